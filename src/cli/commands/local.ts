import { Command, InvalidArgumentError } from "commander";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { logger } from "../../runtime/observability";
import { EXIT, USAGE_MEANING, withExitCodes } from "../exit";
import {
  exportLines,
  localEnvFile,
  readLocalEnv,
  removeLocalEnv,
  writeLocalEnv,
} from "../local-env-file";
import { outcomeText } from "../outcome-text";
import { action, CliError, colour, printJson } from "../output";
import { SEND_ENV } from "./send";

/** What another shell, command or SDK needs to reach the local stack (no secrets). */
const SHARED_ENV = [
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_ENDPOINT_URL_CONNECT",
  "AWS_ENDPOINT_URL_DYNAMODB",
  "AWS_ENDPOINT_URL_SQS",
  // The local S3, where `--roster` puts the canonical roster, and the rosters file naming it.
  "AWS_ENDPOINT_URL_S3",
  "ROSTERS_FILE",
  "CONNECT_INSTANCE_ID",
  // How long the local emulator's reads trail its writes (0 without --lag).
  "CONNECT_SETTLE_SECONDS",
  "EMPLOYEES_TABLE",
  "AUDIT_TABLE",
  "IDEMPOTENCY_TABLE",
  "RECONCILE_RUNS_TABLE",
  "QUEUE_URL",
  "DLQ_URL",
  "SYNC_RULES_FILE",
] as const;

/**
 * The environment other commands and clients need: the stack's endpoints and
 * names, AWS_DEFAULT_REGION for the AWS CLI v1 and older SDKs, and what
 * `send` reads (the local secrets are no secret: they live as long as the stack).
 */
export function sharedEnv(stack: LocalStack): Record<string, string> {
  const env: Record<string, string> = Object.fromEntries(
    SHARED_ENV.flatMap((name) =>
      stack.env[name] === undefined && name === "ROSTERS_FILE"
        ? []
        : [[name, stack.env[name] ?? ""]],
    ),
  );
  return {
    ...env,
    AWS_DEFAULT_REGION: env.AWS_REGION ?? "",
    [SEND_ENV.url]: stack.webhookUrl,
    [SEND_ENV.canonicalSecret]: stack.webhookSecret,
    [SEND_ENV.bambooHrKey]: stack.bambooHr.webhookKey,
    [SEND_ENV.hiBobSecret]: stack.hiBob.webhookSecret,
    SCIM_URL: stack.scimUrl,
    SCIM_TOKEN: stack.scimToken,
  };
}

function parseLag(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
    throw new InvalidArgumentError("a lag is a whole number of milliseconds from 0 to 600000");
  return ms;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  }
  return port;
}

interface LocalFlags {
  port: number;
  json?: boolean;
  seed?: string;
  rules?: string;
  roster?: string;
  verbose?: boolean;
  env?: boolean;
  lag?: number;
}

/** How often a stack started by a wrapper (npx, a shell) checks that its parent still runs. */
const PARENT_CHECK_MS = 1000;

export function localCommand(): Command {
  const command = new Command("local")
    .description("Run the whole service on this machine (no AWS account) until stopped")
    .option("--port <n>", "port of the webhook HTTP API; 0 picks a free one", parsePort, 3000)
    .option("--seed <file>", "Connect emulator seed (default events/connect-seed.json)")
    .option("--rules <file>", "sync rules file (default config/sync-rules.yaml)")
    .option(
      "--lag <ms>",
      "Connect's eventual consistency: each write shows to reads within 0..ms (seeded; default none)",
      parseLag,
    )
    .option(
      "--roster <file>",
      "serve this CSV (import's columns) as the canonical feed's HR roster from the local S3: reconcile repairs lost webhooks from it",
    )
    .option(
      "--json",
      "print one JSON line (webhookUrl, webhookSecret, connectEndpoint, instanceId, bambooHr, hiBob, scimUrl, scimToken, env), then one per event the worker handles",
    )
    .option(
      "--env",
      'print the running local stack\'s environment as export lines and exit: eval "$(connect-hr-sync local --env)"',
    )
    .option("--verbose", "print the service's structured logs")
    .action(action((flags: LocalFlags) => (flags.env ? printEnv() : runLocal(flags))));
  return withExitCodes(command, {
    [EXIT.ok]: "stopped by Ctrl-C, SIGTERM or the end of its parent; --env: printed",
    [EXIT.usage]: `${USAGE_MEANING} (a port in use, a bad seed, rules or roster file)`,
    [EXIT.unreachable]: "--env: no local stack is running",
  });
}

async function printEnv(): Promise<number> {
  const env = readLocalEnv(localEnvFile());
  if (!env)
    throw new CliError(
      "no local stack is running: start one with `connect-hr-sync local` in another shell",
      EXIT.unreachable,
    );
  process.stdout.write(`${QUEUE_URL_NOTE}\n${exportLines(env)}\n`);
  return EXIT.ok;
}

/**
 * fauxqs names its queues on a host of its own (sqs.<region>.localhost), which
 * resolves nowhere else, and an SQS client sends to a queue URL's host unless
 * told not to. A comment line: harmless to `eval`.
 */
const QUEUE_URL_NOTE =
  "# SQS: the queue URLs' host resolves only inside the stack; an AWS SDK v3 SQSClient reaches them " +
  "through AWS_ENDPOINT_URL_SQS with { useQueueUrlAsEndpoint: false }, the AWS CLI with --endpoint-url";

async function runLocal(flags: LocalFlags): Promise<number | undefined> {
  if (flags.verbose) logger.setLogLevel("INFO");
  // After the first line, each message the worker handles is one more line (JSON with --json).
  let ready = false;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      port: flags.port,
      seedFile: flags.seed,
      rulesFile: flags.rules,
      lag: flags.lag,
      rosterFile: flags.roster,
      onOutcome: (outcome) => {
        if (!ready) return;
        if (flags.json) printJson({ processed: outcome });
        else process.stdout.write(`  ${colour.dim("worker")} ${outcomeText(outcome)}\n`);
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL")
      throw new CliError(
        `cannot listen on port ${flags.port} (${code}); try another --port (0 picks a free one)`,
        EXIT.usage,
      );
    throw error;
  }
  const file = localEnvFile();
  const parent = process.ppid;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    removeLocalEnv(file);
    await stack.close();
    process.exit(EXIT.ok);
  };
  // Before printing: whoever reads the output may signal at once.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.once("SIGHUP", stop);
  // `npx … local &` then `kill $!` ends npx, not this process: end with the parent.
  setInterval(() => {
    if (!isRunning(parent)) void stop();
  }, PARENT_CHECK_MS).unref();
  const env = sharedEnv(stack);
  writeLocalEnv(file, env);
  const info = {
    webhookUrl: stack.webhookUrl,
    webhookSecret: stack.webhookSecret,
    connectEndpoint: stack.emulator.url,
    instanceId: stack.emulator.instanceId,
    bambooHr: {
      webhookUrl: `${stack.webhookUrl}/bamboohr`,
      webhookKey: stack.bambooHr.webhookKey,
      apiUrl: stack.bambooHr.url,
    },
    hiBob: {
      webhookUrl: `${stack.webhookUrl}/hibob`,
      webhookSecret: stack.hiBob.webhookSecret,
      apiUrl: stack.hiBob.url,
    },
    scimUrl: stack.scimUrl,
    scimToken: stack.scimToken,
    env,
  };
  ready = true;
  if (flags.json) {
    printJson(info);
    return undefined;
  }
  const line = (label: string, value: string) =>
    process.stdout.write(`  ${colour.bold(label.padEnd(18))} ${value}\n`);
  process.stdout.write(
    `${colour.green("connect-hr-sync is running locally")} (Ctrl-C stops it)\n\n`,
  );
  line("webhook", info.webhookUrl);
  line("signing secret", info.webhookSecret);
  line("BambooHR webhook", `${info.bambooHr.webhookUrl} (key ${info.bambooHr.webhookKey})`);
  line("HiBob webhook", `${info.hiBob.webhookUrl} (secret ${info.hiBob.webhookSecret})`);
  line("SCIM 2.0", `${info.scimUrl} (bearer token ${info.scimToken})`);
  line("Connect emulator", info.connectEndpoint);
  line("instance id", info.instanceId);
  if (stack.roster)
    line(
      "HR roster",
      `s3://${stack.roster.bucket}/${stack.roster.prefix} (the newest export; reconcile reads it)`,
    );
  process.stdout.write(
    `\nTry it from another shell:\n\n  eval "$(npx connect-hr-sync local --env)"\n` +
      "  npx connect-hr-sync send events/hr/canonical/joiner.json\n" +
      "  npx connect-hr-sync reconcile\n" +
      "  aws connect list-users --instance-id $CONNECT_INSTANCE_ID\n",
  );
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
