import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BambooHrEmployee } from "../hr/bamboohr/mapping";

/**
 * A loopback stand-in for the two BambooHR REST endpoints the service reads,
 * answering as BambooHR does:
 *
 * - `GET /api/gateway.php/{companyDomain}/v1/employees/{id}?fields=a,b`: the
 *   id and only the requested fields (null when empty); 404 for an unknown id.
 * - `GET /api/gateway.php/{companyDomain}/v1/employees/directory`: the active
 *   employees with their directory fields.
 *
 * HTTP Basic auth with the API key as user name (any password), else 401;
 * XML unless the client accepts JSON; 404 for another company domain.
 * `failNext` makes the next answers fail (429, 503...) to exercise retries.
 */
export type FakeEmployee = BambooHrEmployee & { id: string };

export interface BambooHrFakeOptions {
  companyDomain: string;
  apiKey: string;
  employees?: readonly FakeEmployee[];
  port?: number;
  host?: string;
}

export interface BambooHrFake {
  /** The API base URL, as BAMBOOHR_API_URL: `http://127.0.0.1:<port>/api/gateway.php`. */
  url: string;
  /** Requests answered so far, failures and refusals included. */
  readonly requests: number;
  setEmployee(employee: FakeEmployee): void;
  removeEmployee(id: string): void;
  /** The next `times` requests answer `status` (with Retry-After when given). */
  failNext(status: number, times?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const DIRECTORY_FIELDS = [
  "displayName",
  "firstName",
  "lastName",
  "jobTitle",
  "workEmail",
  "department",
  "location",
] as const;

export async function startBambooHrFake(options: BambooHrFakeOptions): Promise<BambooHrFake> {
  const employees = new Map<string, FakeEmployee>(
    (options.employees ?? []).map((e) => [String(e.id), { ...e, id: String(e.id) }]),
  );
  let requests = 0;
  const failures: { status: number; retryAfterSeconds?: number }[] = [];
  const prefix = `/api/gateway.php/${options.companyDomain}/v1/`;

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const url = new URL(req.url ?? "/", "http://fake");
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = { "content-type": "text/plain" };
      if (failure.retryAfterSeconds !== undefined)
        headers["retry-after"] = String(failure.retryAfterSeconds);
      res.writeHead(failure.status, headers);
      res.end("Service temporarily unavailable");
      return;
    }
    if (!url.pathname.startsWith(prefix)) return text(res, 404, "Not Found");
    if (!authorised(req.headers.authorization, options.apiKey))
      return text(res, 401, "Unauthorized");
    if (req.method !== "GET") return text(res, 405, "Method Not Allowed");
    const rest = url.pathname.slice(prefix.length);
    const json = (req.headers.accept ?? "").includes("application/json");

    if (rest === "employees/directory") {
      const listed = [...employees.values()]
        .filter((e) => String(e.status ?? "Active").toLowerCase() === "active")
        .map((e) => ({
          id: e.id,
          displayName: `${e.firstName ?? ""} ${e.lastName ?? ""}`.trim(),
          ...Object.fromEntries(
            DIRECTORY_FIELDS.filter((f) => f !== "displayName").map((f) => [
              f,
              (e as Record<string, unknown>)[f] ?? null,
            ]),
          ),
        }));
      const fields = DIRECTORY_FIELDS.map((id) => ({ id, type: "text", name: id }));
      return reply(res, json, { fields, employees: listed });
    }

    const byId = /^employees\/([^/]+)$/.exec(rest);
    if (byId) {
      const employee = employees.get(decodeURIComponent(byId[1] ?? ""));
      if (!employee) return text(res, 404, "Not Found");
      const requested = (url.searchParams.get("fields") ?? "firstName,lastName")
        .split(",")
        .map((f) => f.trim())
        .filter((f) => f !== "" && f !== "id");
      const body: Record<string, unknown> = { id: employee.id };
      for (const field of requested)
        body[field] = (employee as Record<string, unknown>)[field] ?? null;
      return reply(res, json, body);
    }
    return text(res, 404, "Not Found");
  };

  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => answer(req, res));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}/api/gateway.php`,
    get requests() {
      return requests;
    },
    setEmployee(employee) {
      employees.set(String(employee.id), { ...employee, id: String(employee.id) });
    },
    removeEmployee(id) {
      employees.delete(id);
    },
    failNext(status, times = 1, retryAfterSeconds) {
      for (let i = 0; i < times; i++) failures.push({ status, retryAfterSeconds });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function authorised(header: string | undefined, apiKey: string): boolean {
  const encoded = /^Basic\s+(.+)$/i.exec(header ?? "")?.[1];
  if (!encoded) return false;
  const [user] = Buffer.from(encoded, "base64").toString("utf8").split(":");
  return user === apiKey;
}

function reply(res: ServerResponse, json: boolean, body: Record<string, unknown>): void {
  if (json) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
    return;
  }
  // BambooHR answers XML unless asked for JSON; the shape does not matter here, only that it is not JSON.
  res.writeHead(200, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0"?><response id="${String(body.id ?? "")}"/>`);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(body);
}
