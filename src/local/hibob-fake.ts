import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for the HiBob endpoint the service reads,
 * `POST /v1/people/search`, answering as HiBob's contract describes it:
 *
 * - Basic auth with the service user's id and token, else 401.
 * - `fields` (at most 400 ids) picks what comes back, as `"/work/site":
 *   {value}` and nested (`work.site`; root fields at the top); a field the
 *   service user may not read (`hiddenFields`) is left out, still 200.
 * - List fields (department, site, title) come back as item ids; their
 *   display names only in the `humanReadable` node, with `"APPEND"`.
 * - `showInactive` false (the default) lists only Active employees.
 * - `filters`: at most one, `root.id` or `root.email` with `equals`; an empty
 *   array, another field or operator: 400. No paging.
 *
 * `failNext` makes the next answers fail (429, 503...) to exercise retries.
 */
export interface HiBobFakeEmployee {
  id: string;
  firstName?: string | null;
  surname?: string | null;
  email?: string | null;
  work?: {
    department?: string | null;
    site?: string | null;
    title?: string | null;
    startDate?: string | null;
    reportsTo?: { id: string } | null;
  };
  internal?: {
    status?: string | null;
    lifecycleStatus?: string | null;
    terminationDate?: string | null;
  };
}

export interface HiBobFakeOptions {
  serviceUserId: string;
  token: string;
  employees?: readonly HiBobFakeEmployee[];
  /** Field ids the service user has no permission for: HiBob leaves them out silently. */
  hiddenFields?: readonly string[];
  port?: number;
  host?: string;
}

export interface HiBobFake {
  /** The API base URL, as HIBOB_API_URL: `http://127.0.0.1:<port>`. */
  url: string;
  /** Requests answered so far, failures and refusals included. */
  readonly requests: number;
  /** The body of the last search, parsed. */
  readonly lastSearch: Record<string, unknown> | undefined;
  setEmployee(employee: HiBobFakeEmployee): void;
  removeEmployee(id: string): void;
  hideFields(fields: readonly string[]): void;
  failNext(status: number, times?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const LIST_FIELDS = new Set(["work.department", "work.site", "work.title"]);
const MAX_BODY = 64 * 1024;

export async function startHiBobFake(options: HiBobFakeOptions): Promise<HiBobFake> {
  const employees = new Map((options.employees ?? []).map((e) => [e.id, structuredClone(e)]));
  let hidden = new Set(options.hiddenFields ?? []);
  let requests = 0;
  let lastSearch: Record<string, unknown> | undefined;
  const failures: { status: number; retryAfterSeconds?: number }[] = [];

  const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    requests += 1;
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = { "content-type": "text/plain" };
      if (failure.retryAfterSeconds !== undefined)
        headers["retry-after"] = String(failure.retryAfterSeconds);
      res.writeHead(failure.status, headers);
      res.end("Service temporarily unavailable");
      return;
    }
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (path !== "/v1/people/search") return json(res, 404, { error: "Not Found" });
    if (!authorised(req.headers.authorization, options))
      return json(res, 401, { error: "Unauthorized" });
    if (req.method !== "POST") return json(res, 405, { error: "Method Not Allowed" });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: "Bad Request" });
    }
    lastSearch = body;
    const search = checkSearch(body);
    if (typeof search === "string") return json(res, 400, { error: search });
    const listed = [...employees.values()]
      .filter((e) => search.showInactive || (e.internal?.status ?? "Active") === "Active")
      .filter((e) => search.matches(e))
      .map((e) => present(e, search.fields, hidden, search.humanReadable));
    return json(res, 200, { employees: listed });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => answer(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    get requests() {
      return requests;
    },
    get lastSearch() {
      return lastSearch;
    },
    setEmployee(employee) {
      employees.set(employee.id, structuredClone(employee));
    },
    removeEmployee(id) {
      employees.delete(id);
    },
    hideFields(fields) {
      hidden = new Set(fields);
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

interface Search {
  fields: string[];
  showInactive: boolean;
  humanReadable: boolean;
  matches(employee: HiBobFakeEmployee): boolean;
}

/** The search as HiBob's contract allows it, or why HiBob would answer 400. */
function checkSearch(body: Record<string, unknown>): Search | string {
  const fields = body.fields ?? ["root.id", "root.firstName", "root.surname", "root.email"];
  if (!Array.isArray(fields) || fields.length > 400 || !fields.every((f) => typeof f === "string"))
    return "fields must be at most 400 field ids";
  let matches: Search["matches"] = () => true;
  if (body.filters !== undefined) {
    const filters = body.filters as { fieldPath?: unknown; operator?: unknown; values?: unknown }[];
    const [filter] = Array.isArray(filters) ? filters : [];
    if (!Array.isArray(filters) || filters.length !== 1 || !filter) return "filters: one filter";
    const { fieldPath, operator, values } = filter;
    if (fieldPath !== "root.id" && fieldPath !== "root.email")
      return "filters: root.id or root.email";
    if (operator !== "equals" || !Array.isArray(values)) return "filters: equals with values";
    const key = fieldPath === "root.id" ? "id" : "email";
    matches = (e) => values.includes(e[key]);
  }
  return {
    fields: fields as string[],
    showInactive: body.showInactive === true,
    humanReadable: body.humanReadable === "APPEND",
    matches,
  };
}

/** One employee as HiBob answers it: slash keys, nested values, and `humanReadable` when asked. */
function present(
  employee: HiBobFakeEmployee,
  fields: readonly string[],
  hidden: ReadonlySet<string>,
  humanReadable: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: employee.id };
  const human: Record<string, unknown> = {};
  for (const field of fields) {
    if (hidden.has(field)) continue;
    const [category = "", ...rest] = field.split(".");
    const stored = valueAt(employee, field);
    if (stored === undefined) continue;
    const machine =
      LIST_FIELDS.has(field) && typeof stored === "string" ? listItemId(stored) : stored;
    out[`/${field.replace(/\./g, "/")}`] = { value: machine };
    setAt(out, category, rest, machine);
    if (LIST_FIELDS.has(field) && typeof stored === "string") setAt(human, category, rest, stored);
  }
  if (humanReadable) out.humanReadable = human;
  return out;
}

function valueAt(employee: HiBobFakeEmployee, field: string): unknown {
  const [category = "", ...rest] = field.split(".");
  let at: unknown =
    category === "root" ? employee : (employee as unknown as Record<string, unknown>)[category];
  if (at === undefined) return null;
  for (const key of rest) {
    if (at === null || typeof at !== "object") return null;
    at = (at as Record<string, unknown>)[key];
  }
  return at === undefined ? null : at;
}

function setAt(node: Record<string, unknown>, category: string, rest: string[], value: unknown) {
  let at = node;
  if (category !== "root") {
    at[category] ??= {};
    at = at[category] as Record<string, unknown>;
  }
  for (const key of rest.slice(0, -1)) {
    at[key] ??= {};
    at = at[key] as Record<string, unknown>;
  }
  const last = rest.at(-1);
  if (last !== undefined) at[last] = value;
}

/** A stable numeric item id for a list value, as HiBob's list ids look. */
function listItemId(name: string): string {
  return String(Number.parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16));
}

function authorised(header: string | undefined, options: HiBobFakeOptions): boolean {
  const encoded = /^Basic\s+(.+)$/i.exec(header ?? "")?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return (
    colon > 0 &&
    decoded.slice(0, colon) === options.serviceUserId &&
    decoded.slice(colon + 1) === options.token
  );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
