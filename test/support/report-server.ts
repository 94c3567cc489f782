import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a report server was asked: path, Authorization header and form body (a token request). */
export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

export interface ReportServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** An HTTP server on loopback answering with `handle`, recording each request. */
export async function startReportServer(
  handle: (request: SeenRequest, response: ServerResponse, raw: IncomingMessage) => void,
): Promise<ReportServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on("data", (chunk: Buffer) => chunks.push(chunk));
    raw.on("end", () => {
      const request = {
        method: raw.method ?? "GET",
        path: raw.url ?? "/",
        authorization: raw.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(request);
      handle(request, response, raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
