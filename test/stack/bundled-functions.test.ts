import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  environment,
  FUNCTIONS,
  type FunctionName,
  serverlessEsbuildOptions,
} from "../../bench/benchmark/cold-start";
import { bundleSizes } from "../../scripts/bundle-report";
import { signStandardWebhook } from "../../src/hr/signatures";
import { startAwsStandIns } from "../../src/local/aws-stand-ins";
import { startConnectEmulator } from "../../src/local/connect-emulator";
import { apiGatewayEventV2 } from "../../src/local/http-api";
import { toSqsEvent } from "../../src/local/lambda-shapes";
import { serviceEnv } from "../../src/local/stack";
import { hrEvent, hrEventBody, hrRecord } from "../support/hr-fixtures";

/**
 * Each function bundled as `serverless package` bundles it (its settings
 * files parsed ahead of time), started in a fresh Node process the way
 * Lambda starts it: importing the handler's file runs its module scope.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const run = promisify(execFile);

let dir: string;
const bundles: Partial<Record<FunctionName, string>> = {};
/** Every input file each function's bundle holds, its lazily loaded chunks too. */
const inputs: Partial<Record<FunctionName, string[]>> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bundled-"));
  const options = await serverlessEsbuildOptions(dir);
  for (const [name, entry] of Object.entries(FUNCTIONS) as [FunctionName, string][]) {
    const { metafile } = await build({
      ...options,
      entryPoints: [join(ROOT, entry)],
      outdir: join(dir, name),
      absWorkingDir: ROOT,
    });
    if (!metafile) throw new Error(`no metafile for ${entry}`);
    bundles[name] = resolve(ROOT, bundleSizes(metafile, entry).entryOutput ?? "");
    inputs[name] = Object.keys(metafile.inputs);
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Imports the bundle in a fresh process; answers what its handler export is
 * and whether the X-Ray SDK was loaded (it creates cls-hooked's AWSXRay namespace).
 */
async function start(name: FunctionName, env: NodeJS.ProcessEnv = environment()) {
  const url = pathToFileURL(bundles[name] ?? "").href;
  const script = `const { handler } = await import(${JSON.stringify(url)}); console.log(typeof handler, process.namespaces?.AWSXRay ? "xray" : "no-xray");`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env,
    cwd: ROOT,
  });
  return stdout.trim();
}

describe("the bundled functions", () => {
  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s starts and exports its handler, with tracing and without (the tracer not loaded)",
    async (name) => {
      const traced = await start(name, { ...environment(), POWERTOOLS_TRACE_ENABLED: "true" });
      const untraced = await start(name, { ...environment(), POWERTOOLS_TRACE_ENABLED: "false" });

      expect([traced, untraced]).toEqual(["function xray", "function no-xray"]);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s carries zod's mini form and none of classic zod",
    (name) => {
      const zod = (inputs[name] ?? []).filter((input) => input.includes("node_modules/zod/"));

      expect(zod.filter((input) => input.includes("/v4/mini/"))).not.toEqual([]);
      expect(zod.filter((input) => input.includes("/v4/classic/"))).toEqual([]);
    },
  );

  it("names a bad field in zod's English words, which the bundle configures without classic zod", async () => {
    // Prepare
    const body = JSON.stringify(hrEventBody({ employeeId: "" }));
    const event = apiGatewayEventV2({
      method: "POST",
      routeKey: "POST /hr/events",
      rawPath: "/hr/events",
      headers: {
        "content-type": "application/json",
        ...signStandardWebhook(body, environment().CANONICAL_WEBHOOK_SECRET ?? ""),
      },
      body,
    });

    // Act
    const answer = (await invoke("hr-webhook", event, environment())) as { body: string };

    // Assess
    expect(JSON.parse(answer.body).errors).toContainEqual({
      path: "employeeId",
      message: "Too small: expected string to have >=1 characters",
    });
  });

  it("refuses a manual reconcile invoke whose dryRun is not a boolean, naming the field", async () => {
    // Act
    const invoking = invoke("reconcile", { dryRun: "yes" }, environment());

    // Assess
    await expect(invoking).rejects.toThrow(
      /InvalidInvocationError\]?: Invalid invocation: dryRun: Invalid input: expected boolean, received string/,
    );
  });

  it("refuses to start when SYNC_RULES_FILE names another rules file than the one it carries", async () => {
    // Act
    const starting = start("sync-worker", {
      ...environment(),
      SYNC_RULES_FILE: "config/other.yaml",
    });

    // Assess
    await expect(starting).rejects.toThrow(
      /SYNC_RULES_FILE is config\/other\.yaml, but this bundle carries .*sync-rules.*: package the function again/,
    );
  });
});

/** Runs the bundle's handler once in a fresh process on `event`; answers what the handler returned. */
async function invoke(
  name: FunctionName,
  event: unknown,
  env: NodeJS.ProcessEnv,
): Promise<unknown> {
  const url = pathToFileURL(bundles[name] ?? "").href;
  const context = `{ functionName: ${JSON.stringify(name)}, awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => 60000 }`;
  const script = `const { handler } = await import(${JSON.stringify(url)}); console.log(JSON.stringify(await handler(JSON.parse(process.env.EVENT), ${context})));`;
  try {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...env, EVENT: JSON.stringify(event) },
      cwd: ROOT,
    });
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "null");
  } catch (error) {
    // Node prints the minified line that threw: keep the message and stack, not the bundle.
    const { stderr = "" } = error as { stderr?: string };
    const lines = stderr.split("\n").filter((line) => line.length < 400);
    throw new Error(`the bundled ${name} failed:\n${lines.slice(-20).join("\n")}`);
  }
}

describe("the bundled functions against local DynamoDB, SQS and the Connect emulator", () => {
  it("take a joiner's webhook, hire, move and remove the agent, reconcile, and dead-letter a broken message, with the bundles' own SDK clients", async () => {
    // Prepare
    const aws = await startAwsStandIns();
    const emulator = await startConnectEmulator({
      seed: join(ROOT, "events/connect-seed.json"),
      quota: false,
    });
    const sqs = new SQSClient({ endpoint: aws.sqsEndpoint, region: aws.region });
    try {
      const env = {
        ...environment(),
        ...serviceEnv(aws, emulator, environment().SYNC_RULES_FILE),
        CONNECT_RPS: "1000",
        CONNECT_BURST: "1000",
      };
      let sequence = 0;
      const worker = (body: unknown) => {
        sequence += 1;
        const message = {
          MessageId: `msg-${sequence}`,
          ReceiptHandle: `rh-${sequence}`,
          Body: JSON.stringify(body),
          Attributes: {
            ApproximateReceiveCount: "1",
            MessageGroupId: "E1001",
            MessageDeduplicationId: `evt-${sequence}`,
            SequenceNumber: String(sequence).padStart(20, "0"),
          },
        };
        const queueArn = aws.queues.SyncQueue?.arn ?? "";
        return invoke("sync-worker", toSqsEvent([message], queueArn, aws.region), env);
      };
      const nameOf = (kind: "routingProfiles" | "hierarchyGroups", id: unknown) => {
        const found = emulator.dumpState()[kind].find((r) => r.id === id);
        return found && ("path" in found ? found.path : found.name);
      };
      const agent = () => {
        const user = emulator
          .dumpState()
          .users.find((u) => u.Username === "grace.hopper@example.com");
        return (
          user && {
            routingProfile: nameOf("routingProfiles", user.RoutingProfileId),
            hierarchy: nameOf("hierarchyGroups", user.HierarchyGroupId),
          }
        );
      };

      const received = async (queue: "SyncQueue" | "SyncDeadLetterQueue") => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: aws.queues[queue]?.url,
            MaxNumberOfMessages: 10,
            AttributeNames: ["All"],
          }),
        );
        return Messages;
      };
      const queued = async () =>
        toSqsEvent(await received("SyncQueue"), aws.queues.SyncQueue?.arn ?? "", aws.region);
      const joiner = JSON.stringify(
        hrEventBody({ type: "joiner", occurredAt: new Date().toISOString() }),
      );

      // Act
      const accepted = await invoke(
        "hr-webhook",
        apiGatewayEventV2({
          method: "POST",
          routeKey: "POST /hr/events",
          rawPath: "/hr/events",
          headers: {
            "content-type": "application/json",
            ...signStandardWebhook(joiner, environment().CANONICAL_WEBHOOK_SECRET ?? ""),
          },
          body: joiner,
        }),
        env,
      );
      const hired = await invoke("sync-worker", await queued(), env);
      const afterHire = agent();
      const moved = await worker(
        hrEvent({
          type: "mover",
          occurredAt: new Date().toISOString(),
          record: hrRecord({ department: "Sales" }),
        }),
      );
      const afterMove = agent();
      const reconciled = await invoke("reconcile", { dryRun: true }, env);
      const removed = await worker(
        hrEvent({
          type: "leaver",
          occurredAt: new Date().toISOString(),
          record: hrRecord({ department: "Sales", status: "terminated" }),
        }),
      );
      // A message no retry can mend: the worker loads its SQS client only now, for the DLQ.
      const poisoned = await worker("not an event");
      const deadLetters = await received("SyncDeadLetterQueue");

      // Assess
      expect(accepted).toMatchObject({ statusCode: 202 });
      expect([hired, moved, removed, poisoned]).toEqual([
        { batchItemFailures: [] },
        { batchItemFailures: [] },
        { batchItemFailures: [] },
        { batchItemFailures: [] },
      ]);
      expect(deadLetters.map((m) => m.Body)).toEqual([JSON.stringify("not an event")]);
      expect(afterHire).toEqual({ routingProfile: "UK Support", hierarchy: "EMEA/London/Support" });
      expect(afterMove).toEqual({
        routingProfile: "Basic Routing Profile",
        hierarchy: "EMEA/London/Sales",
      });
      expect(reconciled).toMatchObject({ status: expect.any(String), queued: 0 });
      expect(agent()).toBeUndefined();
    } finally {
      sqs.destroy();
      await emulator.close();
      await aws.close();
    }
  }, 60_000);
});
