import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConnectClient,
  CreateUserCommand,
  UpdateUserSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { parse, parseDocument } from "yaml";
import { sqsSafeJson } from "../../src/app/ports/queue";
import type { RecordOutcome } from "../../src/app/process-message";
import { newStandardWebhookSecret, signStandardWebhook } from "../../src/hr/signatures";
import { LOCAL_CREDENTIALS } from "../../src/local/aws-stand-ins";
import { type LocalStack, SAMPLE_RULES_FILE, startLocalStack } from "../../src/local/stack";

/** The whole service on loopback, and the means to attack it as an outsider would. */
export interface SafetyStack {
  stack: LocalStack;
  connect: ConnectClient;
  outcomes: RecordOutcome[];
  /** Signs (with the right secret unless given) and posts canonical events to /hr/events. */
  post(body: unknown, secret?: string): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Sends a message straight to the sync queue, as anyone allowed to send could. */
  sendRaw(body: unknown, groupId?: string): Promise<void>;
  /** Waits until the queue is empty; answers the outcomes of this drain. */
  drain(): Promise<RecordOutcome[]>;
  /** Takes every message off the DLQ, with its attributes. */
  deadLetters(): Promise<{ body: string; attributes: Record<string, string> }[]>;
  user(username: string): Record<string, unknown> | undefined;
  /** A user someone made in the Connect console, with these security profiles. */
  consoleUser(username: string, securityProfiles: string[]): Promise<string>;
  setSecurityProfiles(userId: string, names: string[]): Promise<void>;
  close(): Promise<void>;
}

/** The shipped rules, with extra YAML appended (e.g. an `adoption` section). */
/** The sample rules, with the top-level keys of `extraYaml` replaced and the protection list's age. */
export async function rulesFile(extraYaml = "", maxAgeSeconds?: number): Promise<string> {
  const document = parseDocument(readFileSync(SAMPLE_RULES_FILE, "utf8"));
  for (const [key, value] of Object.entries(parse(extraYaml || "{}") as Record<string, unknown>))
    document.set(key, value);
  if (maxAgeSeconds !== undefined) document.setIn(["protected", "maxAgeSeconds"], maxAgeSeconds);
  const file = join(await mkdtemp(join(tmpdir(), "rules-")), "rules.yaml");
  await writeFile(file, document.toString());
  return file;
}

export async function startSafetyStack(options: { rulesFile?: string } = {}): Promise<SafetyStack> {
  const outcomes: RecordOutcome[] = [];
  const stack = await startLocalStack({
    quota: { rps: 200, burst: 200 },
    rulesFile: options.rulesFile,
    retryAfterSeconds: 1,
    onOutcome: (o) => outcomes.push(o),
  });
  const connect = new ConnectClient({
    endpoint: stack.emulator.url,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const state = () => stack.emulator.dumpState();
  const idOf = (name: string) => state().securityProfiles.find((p) => p.name === name)?.id ?? "";
  let seen = 0;
  return {
    stack,
    connect,
    outcomes,
    async post(body, secret = stack.webhookSecret) {
      const text = JSON.stringify(body);
      const response = await fetch(stack.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...signStandardWebhook(text, secret) },
        body: text,
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    async sendRaw(body, groupId = "attacker") {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.env.QUEUE_URL,
          MessageBody: typeof body === "string" ? body : sqsSafeJson(body),
          MessageGroupId: groupId,
          MessageDeduplicationId: `raw-${Date.now()}-${Math.random()}`,
        }),
      );
    },
    async drain() {
      await stack.runner.drained();
      const fresh = outcomes.slice(seen);
      seen = outcomes.length;
      return fresh;
    },
    async deadLetters() {
      const letters: { body: string; attributes: Record<string, string> }[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: stack.env.DLQ_URL,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ["All"],
          }),
        );
        if (Messages.length === 0) return letters;
        for (const m of Messages) {
          letters.push({
            body: m.Body ?? "",
            attributes: Object.fromEntries(
              Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
            ),
          });
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: stack.env.DLQ_URL,
            Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    },
    user: (username) =>
      state().users.find((u) => String(u.Username).toLowerCase() === username.toLowerCase()),
    async consoleUser(username, securityProfiles) {
      const routing = state().routingProfiles.find((p) => p.name === "Basic Routing Profile");
      const created = await connect.send(
        new CreateUserCommand({
          InstanceId: stack.emulator.instanceId,
          Username: username,
          IdentityInfo: { FirstName: "Sue", LastName: "Pervisor" },
          PhoneConfig: { PhoneType: "SOFT_PHONE" },
          RoutingProfileId: routing?.id,
          SecurityProfileIds: securityProfiles.map(idOf),
        }),
      );
      return created.UserId ?? "";
    },
    async setSecurityProfiles(userId, names) {
      await connect.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: stack.emulator.instanceId,
          UserId: userId,
          SecurityProfileIds: names.map(idOf),
        }),
      );
    },
    async close() {
      connect.destroy();
      sqs.destroy();
      await stack.close();
    },
  };
}

/** A secret that is not the stack's: what an attacker without the signing secret has. */
export const FORGED_SECRET = newStandardWebhookSecret();
