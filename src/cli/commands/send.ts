/**
 * `connect-hr-sync send FILE --url URL --secret S`: signs a file of canonical
 * HR events the Standard Webhooks way and posts it, for operators testing a
 * deployment. One event, an array (sent in requests of up to 100 events), or
 * a CloudEvents envelope (sent as application/cloudevents+json).
 *
 * Exit codes: 0 every request was accepted (202); 1 a request was refused
 * (the rest are not sent); 2 usage (missing file, not JSON, bad secret or
 * URL); 3 the URL could not be reached.
 */
import { readFile } from "node:fs/promises";
import { Command, type CommanderError, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import { isStandardWebhookSecret, signStandardWebhook } from "../../hr/signatures";
import { MAX_EVENTS_PER_REQUEST } from "../../hr/webhook-source";

export const SEND_EXIT = { accepted: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export interface SendOptions {
  url: string;
  secret: string;
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

export function sendCommand(): Command {
  return new Command("send")
    .description(
      "Sign a file of canonical HR events (Standard Webhooks) and POST it to the webhook",
    )
    .argument("<file>", "JSON file: one HR event, an array of events, or a CloudEvents envelope")
    .requiredOption(
      "--url <url>",
      "the webhook URL, e.g. https://<api-id>.execute-api.<region>.amazonaws.com/hr/events",
    )
    .addOption(
      new Option("--secret <secret>", "the canonical signing secret (whsec_...)")
        .env("HR_WEBHOOK_SECRET")
        .makeOptionMandatory(),
    )
    .option("--json", "print one JSON document instead of text")
    .option("--timeout <seconds>", "per-request timeout", parseSeconds, 30)
    .exitOverride(exitOnCommanderError)
    .action(async (file: string, options: SendOptions & { timeout: number }) => {
      process.exitCode = await runSend(
        file,
        { ...options, timeoutSeconds: options.timeout },
        {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
        },
      );
    });
}

/** The command without commander: answers the exit code. */
export async function runSend(file: string, options: SendOptions, io: SendIo): Promise<number> {
  let requests: { body: string; contentType: string; events: number }[];
  let url: URL;
  try {
    url = webhookUrl(options.url);
    if (!isStandardWebhookSecret(options.secret))
      throw new UsageError(
        "--secret must be a Standard Webhooks secret: whsec_ followed by a base64 key of at least 16 bytes",
      );
    requests = await readRequests(file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n`);
    return SEND_EXIT.usage;
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
      return SEND_EXIT.unreachable;
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
  return refused ? SEND_EXIT.refused : SEND_EXIT.accepted;
}

function webhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${text}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError("--url must be an http(s) URL");
  // The API's base URL is enough: the canonical route is /hr/events.
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/hr/events";
  return url;
}

async function readRequests(
  file: string,
): Promise<{ body: string; contentType: string; events: number }[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(String(error))?.[1];
    throw new UsageError(`${file} is not JSON${at ? ` (at character ${at})` : ""}`);
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) throw new UsageError(`${file} holds an empty array: nothing to send`);
    if (parsed.length <= MAX_EVENTS_PER_REQUEST)
      return [{ body: text, contentType: "application/json", events: parsed.length }];
    const chunks = [];
    for (let start = 0; start < parsed.length; start += MAX_EVENTS_PER_REQUEST) {
      const chunk = parsed.slice(start, start + MAX_EVENTS_PER_REQUEST);
      chunks.push({
        body: JSON.stringify(chunk),
        contentType: "application/json",
        events: chunk.length,
      });
    }
    return chunks;
  }
  const cloudEvent = parsed !== null && typeof parsed === "object" && "specversion" in parsed;
  return [
    {
      body: text,
      contentType: cloudEvent ? "application/cloudevents+json" : "application/json",
      events: 1,
    },
  ];
}

async function post(
  url: URL,
  request: { body: string; contentType: string; events: number },
  options: SendOptions,
): Promise<RequestReport> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": request.contentType,
      ...signStandardWebhook(request.body, options.secret),
    },
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

/** Commander's own usage errors (missing option, unknown option) exit 2; help exits 0. */
function exitOnCommanderError(error: CommanderError): never {
  const informational =
    error.code === "commander.helpDisplayed" || error.code === "commander.version";
  process.exit(informational ? 0 : SEND_EXIT.usage);
}
