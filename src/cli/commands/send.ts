/**
 * `connect-hr-sync send FILE`: signs a file of HR events as its sender would
 * and posts it, for operators testing a deployment. Canonical events are
 * signed the Standard Webhooks way: one event, an array (sent in requests of
 * up to 100 events), or a CloudEvents envelope (application/cloudevents+json).
 * BambooHR payloads (told by their shape, or --source bamboohr) are signed
 * with X-BambooHR-Signature and posted to /hr/events/bamboohr.
 * The URL and secret default to what `connect-hr-sync local` exports.
 */
import { readFile } from "node:fs/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { BAMBOOHR_SOURCE, signBambooHrWebhook } from "../../hr/bamboohr/webhook";
import { isStandardWebhookSecret, signStandardWebhook } from "../../hr/signatures";
import { MAX_EVENTS_PER_REQUEST } from "../../hr/webhook-source";
import { EXIT, withExitCodes } from "../exit";

export const SEND_SOURCES = ["canonical", BAMBOOHR_SOURCE] as const;
export type SendSource = (typeof SEND_SOURCES)[number];

/** Where the command finds its URL and secrets when no flag gives them (`local` exports these). */
export const SEND_ENV = {
  url: "HR_WEBHOOK_URL",
  canonicalSecret: "HR_WEBHOOK_SECRET",
  bambooHrKey: "BAMBOOHR_WEBHOOK_KEY",
} as const;

export interface SendOptions {
  url: string;
  secret: string;
  /** Default: told by the payload's shape. */
  source?: SendSource;
  json?: boolean;
  /** Per request. */
  timeoutSeconds?: number;
}

export interface SendIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

interface RequestReport {
  status: number;
  events: number;
  accepted?: string[];
  problem?: Problem;
  retryAfter?: string;
}

class UsageError extends Error {}

interface SendFlags {
  url?: string;
  secret?: string;
  source?: SendSource;
  json?: boolean;
  timeout: number;
}

export function sendCommand(): Command {
  const command = new Command("send")
    .description(
      "Sign a file of HR events as its sender would (Standard Webhooks, or BambooHR) and POST it to the webhook",
    )
    .argument(
      "<file>",
      "JSON file: one canonical event, an array of them, a CloudEvents envelope, or a BambooHR webhook payload",
    )
    .option(
      "--url <url>",
      `the webhook URL, e.g. https://<api-id>.execute-api.<region>.amazonaws.com/hr/events (default $${SEND_ENV.url})`,
    )
    .option(
      "--secret <secret>",
      `the signing secret: canonical whsec_... (default $${SEND_ENV.canonicalSecret}); BambooHR's webhook key (default $${SEND_ENV.bambooHrKey})`,
    )
    .addOption(
      new Option("--source <name>", "who signs: default told by the payload's shape").choices(
        SEND_SOURCES,
      ),
    )
    .option("--json", "print one JSON document instead of text")
    .option("--timeout <seconds>", "per-request timeout", parseSeconds, 30)
    .action(async (file: string, flags: SendFlags) => {
      const io = {
        out: (text: string) => process.stdout.write(text),
        err: (text: string) => process.stderr.write(text),
      };
      process.exitCode = await runSendCommand(file, flags, process.env, io);
    });
  return withExitCodes(command, {
    [EXIT.ok]: "every request was accepted (202)",
    [EXIT.failed]: "a request was refused (the rest are not sent)",
    [EXIT.usage]: "bad arguments: a missing file, not JSON, a bad or missing --url or --secret",
    [EXIT.unreachable]: "the URL could not be reached",
  });
}

/** The flags completed from the environment `local` exports, then the command. */
export async function runSendCommand(
  file: string,
  flags: SendFlags,
  env: NodeJS.ProcessEnv,
  io: SendIo,
): Promise<number> {
  let source = flags.source;
  try {
    source ??= sourceOf(await readJson(file));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  const url = flags.url ?? env[SEND_ENV.url];
  const secretVariable =
    source === BAMBOOHR_SOURCE ? SEND_ENV.bambooHrKey : SEND_ENV.canonicalSecret;
  const secret = flags.secret ?? env[secretVariable];
  if (!url || !secret) {
    io.err(
      `error: ${!url ? `--url (or ${SEND_ENV.url})` : `--secret (or ${secretVariable})`} is required; ` +
        "`connect-hr-sync local --env` prints what a local stack takes\n",
    );
    return EXIT.usage;
  }
  return runSend(file, { ...flags, url, secret, source, timeoutSeconds: flags.timeout }, io);
}

/** BambooHR's payloads by their shape: `{type: "employee.…"}` or `{employees: [...]}`. */
function sourceOf(payload: unknown): SendSource {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return "canonical";
  const { type, employees } = payload as { type?: unknown; employees?: unknown };
  const bamboo =
    (typeof type === "string" && type.startsWith("employee.")) || Array.isArray(employees);
  return bamboo ? BAMBOOHR_SOURCE : "canonical";
}

/** The command without commander: answers the exit code. */
export async function runSend(file: string, options: SendOptions, io: SendIo): Promise<number> {
  let requests: SignedRequest[];
  let url: URL;
  try {
    const bamboo = options.source === BAMBOOHR_SOURCE;
    url = webhookUrl(options.url, bamboo);
    if (!bamboo && !isStandardWebhookSecret(options.secret))
      throw new UsageError(
        "--secret must be a Standard Webhooks secret: whsec_ followed by a base64 key of at least 16 bytes",
      );
    requests = bamboo ? [bambooHrRequest(await readText(file), file)] : await readRequests(file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n`);
    return EXIT.usage;
  }

  const reports: RequestReport[] = [];
  for (const [index, request] of requests.entries()) {
    let report: RequestReport;
    try {
      report = await post(url, request, options);
    } catch (error) {
      const reason = unreachableReason(error);
      io.err(`error: cannot reach ${url.origin} (${reason})\n`);
      if (options.json) io.out(`${JSON.stringify(summary(url, reports, requests, reason))}\n`);
      return EXIT.unreachable;
    }
    reports.push(report);
    if (!options.json) io.out(describe(report, index, requests.length));
    if (report.status !== 202) break;
  }

  const refused = reports.some((r) => r.status !== 202);
  if (options.json) io.out(`${JSON.stringify(summary(url, reports, requests))}\n`);
  else if (refused && reports.length < requests.length)
    io.out(
      `${requests.length - reports.length} later request(s) not sent; the events accepted before stay accepted.\n`,
    );
  return refused ? EXIT.failed : EXIT.ok;
}

function webhookUrl(text: string, bambooHr: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${text}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError("--url must be an http(s) URL");
  // The API's base URL is enough: the canonical route is /hr/events, a vendor's below it.
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/hr/events";
  if (bambooHr && url.pathname.replace(/\/+$/, "") === "/hr/events")
    url.pathname = `/hr/events/${BAMBOOHR_SOURCE}`;
  return url;
}

/** One request's body; it is signed as it is sent. */
interface SignedRequest {
  body: string;
  contentType: string;
  events: number;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`,
    );
  }
}

async function readJson(file: string): Promise<unknown> {
  return parseJson(await readText(file), file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(String(error))?.[1];
    throw new UsageError(`${file} is not JSON${at ? ` (at character ${at})` : ""}`);
  }
}

/** A BambooHR webhook as BambooHR sends it: the body as it is. */
function bambooHrRequest(text: string, file: string): SignedRequest {
  const employees = (parseJson(text, file) as { employees?: unknown[] }).employees;
  return {
    body: text,
    contentType: "application/json",
    events: Array.isArray(employees) ? employees.length : 1,
  };
}

async function readRequests(file: string): Promise<SignedRequest[]> {
  const text = await readText(file);
  const parsed = parseJson(text, file);
  const signed = (body: string, contentType: string, events: number): SignedRequest => ({
    body,
    contentType,
    events,
  });
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) throw new UsageError(`${file} holds an empty array: nothing to send`);
    if (parsed.length <= MAX_EVENTS_PER_REQUEST)
      return [signed(text, "application/json", parsed.length)];
    const chunks = [];
    for (let start = 0; start < parsed.length; start += MAX_EVENTS_PER_REQUEST) {
      const chunk = parsed.slice(start, start + MAX_EVENTS_PER_REQUEST);
      chunks.push(signed(JSON.stringify(chunk), "application/json", chunk.length));
    }
    return chunks;
  }
  const cloudEvent = parsed !== null && typeof parsed === "object" && "specversion" in parsed;
  return [signed(text, cloudEvent ? "application/cloudevents+json" : "application/json", 1)];
}

async function post(
  url: URL,
  request: SignedRequest,
  options: SendOptions,
): Promise<RequestReport> {
  // Signed now, so that a later request of a long file is still within the replay window.
  const headers =
    options.source === BAMBOOHR_SOURCE
      ? signBambooHrWebhook(request.body, options.secret).headers
      : {
          "content-type": request.contentType,
          ...signStandardWebhook(request.body, options.secret),
        };
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: request.body,
    signal: AbortSignal.timeout((options.timeoutSeconds ?? 30) * 1000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const report: RequestReport = { status: response.status, events: request.events };
  if (response.status === 202) {
    const accepted = (body as { accepted?: unknown } | undefined)?.accepted;
    report.accepted = Array.isArray(accepted) ? accepted.map(String) : [];
    return report;
  }
  report.problem =
    body !== null && typeof body === "object"
      ? (body as Problem)
      : { title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 200) };
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) report.retryAfter = retryAfter;
  return report;
}

function describe(report: RequestReport, index: number, total: number): string {
  const which = total > 1 ? ` (request ${index + 1} of ${total})` : "";
  if (report.status === 202) {
    const ids = report.accepted ?? [];
    return `${pc.green("✓")} ${report.status} accepted ${ids.length === 1 ? "1 event" : `${ids.length} events`}${which}\n${ids.map((id) => `    ${id}\n`).join("")}`;
  }
  const problem = report.problem ?? {};
  const lines = [
    `${pc.red("✗")} ${report.status} ${problem.title ?? "refused"}${which}${problem.detail ? `: ${problem.detail}` : ""}`,
    ...(problem.errors ?? []).map((e) => `    ${pc.bold(e.path)}: ${e.message}`),
  ];
  if (report.retryAfter) lines.push(`    try again in ${report.retryAfter} s`);
  return `${lines.join("\n")}\n`;
}

function summary(
  url: URL,
  reports: RequestReport[],
  requests: { events: number }[],
  unreachable?: string,
) {
  return {
    url: url.toString(),
    accepted: reports.flatMap((r) => r.accepted ?? []),
    requests: reports,
    notSent: requests.slice(reports.length).reduce((sum, r) => sum + r.events, 0),
    ...(unreachable ? { unreachable } : {}),
  };
}

function unreachableReason(error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  if (err.name === "TimeoutError") return "no answer in time";
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError("must be a number of seconds > 0.");
  return seconds;
}
