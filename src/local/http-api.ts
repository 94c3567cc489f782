import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { lambdaContext } from "./lambda-shapes";

/**
 * An API Gateway HTTP API on loopback: each request becomes the payload 2.0
 * event API Gateway would send (lower-case headers, path parameters, a
 * base64 body for anything that is not UTF-8 text), the Lambda handler runs
 * with a Lambda context, and its result is written back as API Gateway would.
 */

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface HttpRoute {
  /** `POST`, or `ANY` for every method. */
  method: string;
  /** API Gateway route syntax: `/hr/events/{source}`, `/files/{proxy+}`. */
  path: string;
  handler: HttpHandler;
  functionName?: string;
  timeoutMs?: number;
}

export interface HttpApiOptions {
  port?: number;
  host?: string;
  routes: HttpRoute[];
  /** API Gateway's own payload limit (10 MB for HTTP APIs). */
  maxBodyBytes?: number;
}

export interface HttpApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface CompiledRoute extends HttpRoute {
  routeKey: string;
  pattern: RegExp;
  names: string[];
}

const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const routes = options.routes.map(compileRoute);
  const maxBody = options.maxBodyBytes ?? API_GATEWAY_MAX_BODY;
  const server = createServer((req, res) => {
    serve(req, res, routes, maxBody).catch(() => {
      if (!res.headersSent) writeJson(res, 500, { message: "Internal Server Error" });
      else res.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function compileRoute(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        names.push(greedy[1] ?? "proxy");
        return "(.+)";
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        names.push(param[1] ?? "param");
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return {
    ...route,
    method: route.method.toUpperCase(),
    routeKey: `${route.method.toUpperCase()} ${route.path}`,
    pattern: new RegExp(`^${source}$`),
    names,
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  routes: CompiledRoute[],
  maxBody: number,
): Promise<void> {
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : rawUrl.slice(queryAt + 1);
  const method = (req.method ?? "GET").toUpperCase();

  let match: { route: CompiledRoute; values: string[] } | undefined;
  for (const route of routes) {
    const found = route.pattern.exec(rawPath);
    if (found && (route.method === method || route.method === "ANY")) {
      match = { route, values: found.slice(1) };
      break;
    }
  }
  if (!match) {
    req.resume();
    writeJson(res, 404, { message: "Not Found" });
    return;
  }

  const body = await readBody(req, maxBody);
  if (body === "too-large") {
    writeJson(res, 413, { message: "Request Entity Too Large" });
    return;
  }
  const pathParameters = Object.fromEntries(
    match.route.names.map((name, i) => [name, safeDecode(match.values[i] ?? "")]),
  );
  const event = apiGatewayEventV2({
    method,
    rawPath,
    rawQueryString,
    routeKey: match.route.routeKey,
    pathParameters,
    // API Gateway tells the function the scheme the client used; here it is always http.
    headers: { ...req.headersDistinct, "x-forwarded-proto": "http" },
    body,
    sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
  });
  const functionName = match.route.functionName ?? "http-handler";
  let result: unknown;
  try {
    result = await match.route.handler(
      event,
      lambdaContext(functionName, match.route.timeoutMs ?? 30_000),
    );
  } catch {
    writeJson(res, 500, { message: "Internal Server Error" });
    return;
  }
  writeResult(res, result);
}

function readBody(req: IncomingMessage, maxBody: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface ApiGatewayRequest {
  method: string;
  rawPath: string;
  rawQueryString?: string;
  /** `POST /hr/events/{source}`. */
  routeKey: string;
  pathParameters?: Record<string, string>;
  /** Any case; repeated values as arrays. */
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer | string;
  sourceIp?: string;
  /** When API Gateway received the request. */
  at?: Date;
}

/**
 * The payload 2.0 event API Gateway HTTP APIs send a Lambda function: header
 * names lower case, repeated values joined with commas, cookies apart, the
 * body as text when it is UTF-8 text and base64 otherwise.
 */
export function apiGatewayEventV2(request: ApiGatewayRequest): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    if (key === "cookie") {
      cookies = [...(cookies ?? []), ...values.flatMap((v) => v.split(/;\s*/))];
      continue;
    }
    headers[key] = [...(headers[key] === undefined ? [] : [headers[key]]), ...values].join(",");
  }
  const bytes =
    request.body === undefined
      ? undefined
      : typeof request.body === "string"
        ? Buffer.from(request.body, "utf8")
        : request.body;
  const at = request.at ?? new Date();
  const text =
    bytes !== undefined && isTextType(headers["content-type"]) && isUtf8(bytes)
      ? bytes.toString("utf8")
      : undefined;
  const query = new URLSearchParams(request.rawQueryString ?? "");
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(",");
  const requestId = randomUUID();
  return {
    version: "2.0",
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString ?? "",
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(request.pathParameters && Object.keys(request.pathParameters).length > 0
      ? { pathParameters: request.pathParameters }
      : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0] ?? "localhost",
      http: {
        method: request.method.toUpperCase(),
        path: request.rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: request.routeKey,
      stage: "$default",
      time: clfTime(at),
      timeEpoch: at.getTime(),
    },
    ...(bytes === undefined || bytes.length === 0
      ? {}
      : { body: text ?? bytes.toString("base64") }),
    isBase64Encoded: bytes !== undefined && bytes.length > 0 && text === undefined,
  };
}

function isTextType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type.startsWith("text/") ||
    /^application\/([\w.-]+\+)?(json|xml)$/.test(type) ||
    type === "application/javascript" ||
    type === "application/x-www-form-urlencoded"
  );
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** `29/Nov/2026:00:01:41 +0000`, as requestContext.time has it. */
function clfTime(at: Date): string {
  const months = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
  ];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(at.getUTCDate())}/${months[at.getUTCMonth()]}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
}

function writeResult(res: ServerResponse, result: unknown): void {
  if (
    result === undefined ||
    result === null ||
    typeof result !== "object" ||
    !("statusCode" in result)
  ) {
    // API Gateway's reading of a result without a status code: 200 with the value as JSON.
    const body = typeof result === "string" ? result : JSON.stringify(result ?? null);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
    return;
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name] = String(value);
  if (structured.cookies?.length) headers["set-cookie"] = structured.cookies;
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(
    structured.body === undefined
      ? undefined
      : Buffer.from(structured.body, structured.isBase64Encoded ? "base64" : "utf8"),
  );
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
