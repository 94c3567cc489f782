import { Command, InvalidArgumentError } from "commander";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { logger } from "../../runtime/observability";
import { EXIT } from "../exit";
import { action, colour, printJson } from "../output";

/** What another shell, command or SDK needs to reach the local stack (no secrets). */
const SHARED_ENV = [
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_ENDPOINT_URL_CONNECT",
  "AWS_ENDPOINT_URL_DYNAMODB",
  "AWS_ENDPOINT_URL_SQS",
  "CONNECT_INSTANCE_ID",
  "EMPLOYEES_TABLE",
  "AUDIT_TABLE",
  "IDEMPOTENCY_TABLE",
  "RECONCILE_RUNS_TABLE",
  "QUEUE_URL",
  "DLQ_URL",
  "SYNC_RULES_FILE",
] as const;

export function sharedEnv(stack: LocalStack): Record<string, string> {
  return Object.fromEntries(SHARED_ENV.map((name) => [name, stack.env[name] ?? ""]));
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
  verbose?: boolean;
}

export function localCommand(): Command {
  return new Command("local")
    .description("Run the whole service on this machine (no AWS account) until stopped")
    .option("--port <n>", "port of the webhook HTTP API; 0 picks a free one", parsePort, 3000)
    .option("--seed <file>", "Connect emulator seed (default events/connect-seed.json)")
    .option("--rules <file>", "sync rules file (default config/sync-rules.yaml)")
    .option(
      "--json",
      "print one JSON line (webhookUrl, webhookSecret, connectEndpoint, instanceId, env), then one per event the worker handles",
    )
    .option("--verbose", "print the service's structured logs")
    .action(
      action(async (flags: LocalFlags) => {
        if (flags.verbose) logger.setLogLevel("INFO");
        // After the first line, each message the worker handles is one more line (JSON with --json).
        let ready = false;
        const stack = await startLocalStack({
          port: flags.port,
          seedFile: flags.seed,
          rulesFile: flags.rules,
          onOutcome: (outcome) => {
            if (!ready) return;
            if (flags.json) printJson({ processed: outcome });
            else
              process.stdout.write(
                `  ${colour.dim("worker")} ${outcome.employeeId ?? "?"} ${outcome.result}\n`,
              );
          },
        });
        const stop = async () => {
          await stack.close();
          process.exit(EXIT.ok);
        };
        // Before printing: whoever reads the output may signal at once.
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        const env = sharedEnv(stack);
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
        line("Connect emulator", info.connectEndpoint);
        line("instance id", info.instanceId);
        process.stdout.write(`\nTry it from another shell:\n\n`);
        for (const [name, value] of Object.entries(env))
          process.stdout.write(`  export ${name}=${value}\n`);
        process.stdout.write(
          `\n  npx connect-hr-sync send events/hr/canonical/joiner.json --url ${info.webhookUrl} --secret ${info.webhookSecret}\n` +
            "  npx connect-hr-sync reconcile\n  aws connect list-users --instance-id $CONNECT_INSTANCE_ID\n",
        );
        return undefined;
      }),
    );
}
