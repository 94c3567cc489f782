/**
 * `connect-hr-sync emulator`: runs the Amazon Connect emulator until SIGINT or
 * SIGTERM. Usage errors (bad options, bad seed file, bad --faults) print one
 * readable line and exit with code 2, without a stack trace.
 */
import { Command, type CommanderError, InvalidArgumentError } from "commander";
import pc from "picocolors";
import {
  type ConnectEmulator,
  EmulatorSeedError,
  type FaultSettings,
  FaultSpecError,
  parseFaultSpec,
  startConnectEmulator,
} from "../../local/connect-emulator/index";

const USAGE_ERROR_EXIT_CODE = 2;

interface EmulatorCommandOptions {
  port: number;
  host: string;
  seed?: string;
  rps?: number;
  burst?: number;
  quota: boolean;
  faults?: FaultSettings;
  json?: boolean;
}

export function emulatorCommand(): Command {
  return new Command("emulator")
    .description("Run the Amazon Connect emulator (user management API) on loopback")
    .option("--port <n>", "port to listen on; 0 picks a free port", parsePort, 4010)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--seed <file>", "JSON seed file (default: a small built-in instance)")
    .option(
      "--rps <n>",
      "request quota: requests per second (default 2; 0 turns it off)",
      parseRate,
    )
    .option("--burst <n>", "request quota: burst size (default 5)", parseBurst)
    .option("--no-quota", "turn the request quota off")
    .option(
      "--faults <spec>",
      "inject faults, e.g. seed=42,throttle=0.05,internal=0.02,latency=5-40,applied-then-failed=0.05,drop=0.5",
      parseFaults,
    )
    .option("--json", "print one JSON line (url, instanceId, region, accountId) instead of text")
    .exitOverride(exitOnCommanderError)
    .action(runEmulator);
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
    });
  } catch (error) {
    return failToStart(error);
  }
  const stop = async () => {
    await emulator.close();
    process.exit(0);
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
  const quota = emulator.quota();
  const lines = [
    `${pc.green("Amazon Connect emulator")} listening on ${pc.bold(url)}`,
    `  instance id  ${instanceId}`,
    `  region       ${region}   account ${accountId}`,
    `  quota        ${quota ? `${quota.rps} requests/s, burst ${quota.burst}` : "off"}`,
    `  try          aws connect list-users --instance-id ${instanceId} --endpoint-url ${url}`,
    `  admin        ${url}/_emulator   (Ctrl-C stops)`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function failToStart(error: unknown): void {
  if (error instanceof EmulatorSeedError || error instanceof FaultSpecError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = USAGE_ERROR_EXIT_CODE;
    return;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
    process.stderr.write(`error: cannot listen there (${code}); try another --port or --host\n`);
    process.exitCode = 1;
    return;
  }
  throw error;
}

/** Commander's own usage errors (unknown option, bad value) exit 2; help and version exit 0. */
function exitOnCommanderError(error: CommanderError): never {
  const informational =
    error.code === "commander.helpDisplayed" || error.code === "commander.version";
  process.exit(informational ? 0 : USAGE_ERROR_EXIT_CODE);
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

function parseFaults(value: string): FaultSettings {
  try {
    return parseFaultSpec(value);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(`${error.message}.`);
    throw error;
  }
}
