/**
 * `connect-hr-sync send FILE`: signs a file of HR events as its sender would
 * and posts it, for operators testing a deployment. Canonical events are
 * signed the Standard Webhooks way: one event, an array (sent in requests of
 * up to 100 events), or a CloudEvents envelope (application/cloudevents+json).
 * BambooHR payloads (told by their shape, or --source bamboohr) are signed
 * with X-BambooHR-Signature and posted to /hr/events/bamboohr; HiBob's (told
 * by their `triggeredAt`, or --source hibob) with Bob-Signature, restamped
 * now, and posted to /hr/events/hibob.
 * The URL and secret default to what `connect-hr-sync local` exports.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { signBambooHrWebhook } from "../../hr/bamboohr/webhook";
import { signHiBobWebhook } from "../../hr/hibob/webhook";
import { isStandardWebhookSecret, signStandardWebhook } from "../../hr/signatures";
import { BAMBOOHR_SOURCE, HIBOB_SOURCE } from "../../hr/source-names";
import { EXIT, withExitCodes } from "../exit";
import {
  readRequests,
  readText,
  SEND_SOURCES,
  type SendSource,
  type SignedRequest,
  sourceOfFile,
  SendUsageError as UsageError,
  vendorRequest,
} from "../send-requests";

/** Where the command finds its URL and secrets when no flag gives them (`local` exports these). */
export const SEND_ENV = {
  url: "HR_WEBHOOK_URL",
  canonicalSecret: "HR_WEBHOOK_SECRET",
  bambooHrKey: "BAMBOOHR_WEBHOOK_KEY",
  hiBobSecret: "HIBOB_WEBHOOK_SECRET",
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
      "Sign a file of HR events as its sender would (Standard Webhooks, BambooHR or HiBob) and POST it to the webhook",
    )
    .argument(
      "<file>",
      "JSON file: one canonical event, an array of them, a CloudEvents envelope, or a BambooHR or HiBob webhook payload",
    )
    .option(
      "--url <url>",
      `the webhook URL, e.g. https://<api-id>.execute-api.<region>.amazonaws.com/hr/events (default $${SEND_ENV.url})`,
    )
    .option(
      "--secret <secret>",
      `the signing secret, by source: canonical whsec_... (default $${SEND_ENV.canonicalSecret}); BambooHR's webhook key (default $${SEND_ENV.bambooHrKey}); HiBob's webhook secret (default $${SEND_ENV.hiBobSecret})`,
    )
    .addOption(
      new Option(
        "--source <name>",
        "who signs, and which secret and route: default told by the payload's shape",
      ).choices(SEND_SOURCES),
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
    source ??= await sourceOfFile(file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  const url = flags.url ?? env[SEND_ENV.url];
  const secretVariable =
    source === BAMBOOHR_SOURCE
      ? SEND_ENV.bambooHrKey
      : source === HIBOB_SOURCE
        ? SEND_ENV.hiBobSecret
        : SEND_ENV.canonicalSecret;
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

/** The command without commander: answers the exit code. */
export async function runSend(file: string, options: SendOptions, io: SendIo): Promise<number> {
  let requests: SignedRequest[];
  let url: URL;
  try {
    const vendor = options.source === BAMBOOHR_SOURCE || options.source === HIBOB_SOURCE;
    url = webhookUrl(options.url, vendor ? options.source : undefined);
    if (!vendor && !isStandardWebhookSecret(options.secret))
      throw new UsageError(
        "--secret must be a Standard Webhooks secret: whsec_ followed by a base64 key of at least 16 bytes",
      );
    requests = vendor ? [vendorRequest(await readText(file), file)] : await readRequests(file);
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

function webhookUrl(text: string, vendor: string | undefined): URL {
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
  if (vendor && url.pathname.replace(/\/+$/, "") === "/hr/events")
    url.pathname = `/hr/events/${vendor}`;
  return url;
}

async function post(
  url: URL,
  request: SignedRequest,
  options: SendOptions,
): Promise<RequestReport> {
  // Signed now, so that a later request of a long file is still within the replay window.
  const signed = sign(request, options);
  const response = await fetch(url, {
    method: "POST",
    headers: signed.headers,
    body: signed.body,
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

/**
 * The request as its sender signs it. HiBob signs no timestamp but the
 * service refuses an event whose triggeredAt is days old: a sample is
 * restamped now before it is signed.
 */
function sign(
  request: SignedRequest,
  options: SendOptions,
): { body: string; headers: Record<string, string> } {
  if (options.source === BAMBOOHR_SOURCE)
    return {
      body: request.body,
      headers: signBambooHrWebhook(request.body, options.secret).headers,
    };
  if (options.source === HIBOB_SOURCE)
    return signHiBobWebhook(request.body, options.secret, { at: new Date() });
  return {
    body: request.body,
    headers: {
      "content-type": request.contentType,
      ...signStandardWebhook(request.body, options.secret),
    },
  };
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
