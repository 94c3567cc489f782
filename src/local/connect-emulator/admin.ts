/**
 * The admin surface, under a prefix no AWS path uses, outside the quota, the
 * faults and the lag: state dump (the true state) and reset, call log and
 * counters, faults and quota at run time, the writes reads do not see yet.
 * Answers JSON; refusals are problem+json naming the problem.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FaultSpecError } from "./faults";
import type { ConnectEmulator } from "./handle";
import { parseJsonObject, readBody, sendJson } from "./http";
import { DEFAULT_QUOTA, InvalidQuotaError } from "./quota";
import { parseQuotaSpec, type QuotaOverrides, type QuotaSetting } from "./quota-settings";
import { EmulatorSeedError } from "./seed";

export const ADMIN_PREFIX = "/_emulator";

export function isAdminPath(pathname: string): boolean {
  return pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`);
}

type AdminHandler = (emulator: ConnectEmulator, body: unknown) => unknown | Promise<unknown>;

const ADMIN_ROUTES: Record<string, AdminHandler> = {
  "GET /_emulator": (emulator) => describeEmulator(emulator),
  "GET /_emulator/state": (emulator) => emulator.dumpState(),
  "POST /_emulator/reset": async (emulator, body) => {
    await emulator.reset(
      isEmpty(body) ? undefined : (body as Parameters<ConnectEmulator["reset"]>[0]),
    );
    return describeEmulator(emulator);
  },
  "GET /_emulator/stats": (emulator) => emulator.stats(),
  "DELETE /_emulator/stats": (emulator) => {
    emulator.resetStats();
    return emulator.stats();
  },
  "GET /_emulator/calls": (emulator) => emulator.calls(),
  "GET /_emulator/faults": (emulator) => emulator.faults(),
  "POST /_emulator/faults": (emulator, body) => {
    const spec = (body as { spec?: unknown } | null)?.spec;
    if (typeof spec === "string") emulator.setFaults(spec);
    else
      emulator.setFaults(
        isEmpty(body) ? false : (body as Parameters<ConnectEmulator["setFaults"]>[0]),
      );
    return emulator.faults();
  },
  "GET /_emulator/pending": (emulator) => emulator.pending(),
  "DELETE /_emulator/pending": (emulator) => {
    emulator.flushPending();
    return emulator.pending();
  },
  "GET /_emulator/quota": (emulator) => ({ quota: emulator.quotaState() }),
  "POST /_emulator/quota": (emulator, body) => {
    emulator.setQuota(quotaSettingOf(body));
    return { quota: emulator.quotaState() };
  },
};

export async function handleAdminRequest(
  emulator: ConnectEmulator,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const pathname = url.pathname.replace(/\/+$/, "");
  const handler = ADMIN_ROUTES[`${request.method} ${pathname}`];
  try {
    const raw = await readBody(request);
    if (!handler) {
      return sendProblem(
        response,
        404,
        "Unknown admin endpoint",
        `No admin endpoint ${request.method} ${pathname}; see GET ${ADMIN_PREFIX}.`,
      );
    }
    const body = raw.length === 0 ? undefined : parseAdminBody(raw);
    sendJson(response, 200, await handler(emulator, body));
  } catch (error) {
    if (error instanceof EmulatorSeedError) {
      return sendProblem(response, 400, "Invalid seed", error.message, error.problems);
    }
    if (
      error instanceof FaultSpecError ||
      error instanceof InvalidQuotaError ||
      error instanceof AdminBodyError
    ) {
      return sendProblem(response, 400, "Invalid request", error.message);
    }
    throw error;
  }
}

class AdminBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminBodyError";
  }
}

/** `false` and `null` are accepted as bodies (they turn faults or the quota off). */
function parseAdminBody(raw: Buffer): unknown {
  const text = raw.toString("utf8").trim();
  if (text === "false" || text === "null") return false;
  try {
    return parseJsonObject(raw);
  } catch {
    throw new AdminBodyError("The body must be a JSON object, false or null.");
  }
}

/**
 * `false`, `{}` or `{ "enabled": false }`: off; `{ "spec": "CreateUser=2/5" }` or
 * `{ "operations": { … } }`: per-operation buckets; `{ "rps", "burst" }`: one
 * shared bucket, missing members at 2/s and 5.
 */
function quotaSettingOf(body: unknown): QuotaSetting {
  const settings = body as Record<string, unknown> | null;
  if (isEmpty(body) || settings?.enabled === false) return false;
  if (typeof settings?.spec === "string") {
    const { spec, ...rest } = settings;
    return { ...rest, operations: parseQuotaSpec(spec) };
  }
  if (settings?.operations !== undefined) return settings as { operations: QuotaOverrides };
  const { rps = DEFAULT_QUOTA.rps, burst = DEFAULT_QUOTA.burst } = settings as {
    rps?: number;
    burst?: number;
  };
  return { rps, burst };
}

function isEmpty(body: unknown): boolean {
  return (
    body === undefined ||
    body === false ||
    body === null ||
    (typeof body === "object" && Object.keys(body as object).length === 0)
  );
}

function describeEmulator(emulator: ConnectEmulator) {
  return {
    url: emulator.url,
    instanceId: emulator.instanceId,
    instanceArn: emulator.instanceArn,
    region: emulator.region,
    accountId: emulator.accountId,
    endpoints: [
      "GET /_emulator",
      ...Object.keys(ADMIN_ROUTES).filter((route) => route !== "GET /_emulator"),
    ],
  };
}

function sendProblem(
  response: ServerResponse,
  status: number,
  title: string,
  detail: string,
  problems?: readonly string[],
): void {
  const body = { type: "about:blank", title, status, detail, ...(problems ? { problems } : {}) };
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
