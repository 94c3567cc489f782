/**
 * `connect-hr-sync emulator`: runs the Amazon Connect emulator until SIGINT or
 * SIGTERM. Usage errors (bad options, bad seed file, bad --faults or --quota,
 * --quota together with --rps/--burst) print one readable line and exit with
 * code 2, without a stack trace.
 */
import { Command, InvalidArgumentError } from "commander";
import pc from "picocolors";
import { CONNECT_API_QUOTAS } from "../../connect/quotas";
import {
  type ConnectEmulator,
  EmulatorSeedError,
  type FaultSettings,
  FaultSpecError,
  InvalidLagError,
  InvalidQuotaError,
  type LagSettings,
  parseFaultSpec,
  parseQuotaSpec,
  type QuotaSettings,
  startConnectEmulator,
} from "../../local/connect-emulator/index";
import { EXIT, USAGE_MEANING, withExitCodes } from "../exit";

interface EmulatorCommandOptions {
  port: number;
  host: string;
  seed?: string;
  rps?: number;
  burst?: number;
  /** A --quota spec, false for --no-quota, undefined for neither. */
  quota?: string | false;
  faults?: FaultSettings;
  lag?: number;
  lagSeed?: number;
  json?: boolean;
}

export function emulatorCommand(): Command {
  const command = new Command("emulator")
    .description("Run the Amazon Connect emulator (user management API) on loopback")
    .option("--port <n>", "port to listen on; 0 picks a free port", parsePort, 4010)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--seed <file>", "JSON seed file (default: a small built-in instance)")
    .option(
      "--quota <spec>",
      "per-operation quotas (rate/burst) over Connect's defaults, e.g. CreateUser=2/5,DescribeUser=10/20",
      parseQuota,
    )
    .option("--no-quota", "turn the request quota off")
    .option(
      "--rps <n>",
      "one quota bucket shared by every operation instead: requests per second (0 turns it off)",
      parseRate,
    )
    .option("--burst <n>", "burst of that shared bucket (default 5)", parseBurst)
    .option(
      "--faults <spec>",
      "inject faults, e.g. seed=42,throttle=0.05,internal=0.02,latency=5-40,applied-then-failed=0.05,drop=0.5",
      parseFaults,
    )
    .option(
      "--lag <ms>",
      "eventual consistency: each write becomes visible to reads after 0..ms milliseconds (default 0)",
      parseLag,
    )
    .option(
      "--lag-seed <n>",
      "seed of the lag's delays (default: the --faults seed, else 1)",
      parseSeed,
    )
    .option("--json", "print one JSON line (url, instanceId, region, accountId) instead of text")
    .action(runEmulator);
  return withExitCodes(command, {
    [EXIT.ok]: "stopped by SIGINT or SIGTERM",
    [EXIT.usage]: `${USAGE_MEANING}: a bad seed file or --faults, a port in use`,
  });
}

async function runEmulator(options: EmulatorCommandOptions): Promise<void> {
  let emulator: ConnectEmulator;
  try {
    emulator = await startConnectEmulator({
      port: options.port,
      host: options.host,
      seed: options.seed,
      rps: options.rps,
      burst: options.burst,
      quota: options.quota,
      faults: options.faults,
      lag: options.lag,
      lagSeed: options.lagSeed,
    });
  } catch (error) {
    return failToStart(error);
  }
  const stop = async () => {
    await emulator.close();
    process.exit(EXIT.ok);
  };
  // Before the banner: whoever reads it may signal at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  printStarted(emulator, options);
}

function printStarted(emulator: ConnectEmulator, options: EmulatorCommandOptions): void {
  const { url, instanceId, region, accountId } = emulator;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ url, instanceId, region, accountId })}\n`);
    return;
  }
  const lines = [
    `${pc.green("Amazon Connect emulator")} listening on ${pc.bold(url)}`,
    `  instance id  ${instanceId}`,
    `  region       ${region}   account ${accountId}`,
    `  quota        ${describeQuota(emulator.quota())}`,
    `  lag          ${describeLag(emulator.pending().lag)}`,
    `  try          aws connect list-users --instance-id ${instanceId} --endpoint-url ${url}`,
    `  admin        ${url}/_emulator   (Ctrl-C stops)`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** The banner's quota line: which model, and what differs from Connect's defaults. */
function describeQuota(quota: QuotaSettings | false): string {
  if (!quota) return "off";
  if (quota.mode === "shared") {
    return `${quota.rps} requests/s, burst ${quota.burst}, one bucket shared by every operation`;
  }
  const changed = Object.entries(quota.operations)
    .filter(([name, limit]) => {
      const documented = CONNECT_API_QUOTAS[name as keyof typeof CONNECT_API_QUOTAS];
      return limit.rps !== documented.rps || limit.burst !== documented.burst;
    })
    .map(([name, limit]) => `${name} ${limit.rps}/s burst ${limit.burst}`);
  const base = "per operation, Connect's defaults";
  return changed.length > 0 ? `${base} except ${changed.join(", ")}` : base;
}

function describeLag(lag: LagSettings | false): string {
  if (!lag) return "none: every write is visible to reads at once";
  return `writes visible to reads within ${lag.maxMs} ms (seed ${lag.seed})`;
}

function failToStart(error: unknown): void {
  if (
    error instanceof EmulatorSeedError ||
    error instanceof FaultSpecError ||
    error instanceof InvalidQuotaError ||
    error instanceof InvalidLagError
  ) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
    process.stderr.write(`error: cannot listen there (${code}); try another --port or --host\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  throw error;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError("must be a whole number from 0 to 65535.");
  }
  return port;
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0) throw new InvalidArgumentError("must be a number >= 0.");
  return rate;
}

function parseBurst(value: string): number {
  const burst = Number(value);
  if (!Number.isInteger(burst) || burst < 1)
    throw new InvalidArgumentError("must be a whole number >= 1.");
  return burst;
}

/** Checked here so a bad spec is a usage error naming --quota; the emulator parses it again. */
function parseQuota(value: string): string {
  try {
    parseQuotaSpec(value);
    return value;
  } catch (error) {
    if (error instanceof InvalidQuotaError) throw new InvalidArgumentError(`${error.message}.`);
    throw error;
  }
}

function parseLag(value: string): number {
  const milliseconds = Number(value);
  if (!Number.isInteger(milliseconds) || milliseconds < 0) {
    throw new InvalidArgumentError("must be a whole number of milliseconds >= 0.");
  }
  return milliseconds;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError("must be a whole number.");
  return seed;
}

function parseFaults(value: string): FaultSettings {
  try {
    return parseFaultSpec(value);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(`${error.message}.`);
    throw error;
  }
}
