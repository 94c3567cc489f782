import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectClient, DescribeUserCommand, type User } from "@aws-sdk/client-connect";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { HrEvent } from "../../src/domain/hr";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../src/local/aws-stand-ins";
import { type ConnectEmulator, startConnectEmulator } from "../../src/local/connect-emulator";
import { lambdaContext, type ReceivedMessage, toSqsEvent } from "../../src/local/lambda-shapes";
import { serviceEnv } from "../../src/local/stack";
import { employeeRecord, hrEvent } from "./hr-fixtures";

const SEED_FILE = new URL("../../events/connect-seed.json", import.meta.url).pathname;
const RULES_FILE = new URL("../../config/sync-rules.yaml", import.meta.url).pathname;

export interface WorkerStack {
  aws: AwsStandIns;
  emulator: ConnectEmulator;
  connect: ConnectClient;
  /** Runs the real sync-worker handler on one SQS FIFO batch; answers with the Connect operations it caused. */
  invoke(
    messages: readonly (HrEvent | string)[],
    context?: Context,
  ): Promise<SQSBatchResponse & { connectCalls: string[]; messageIds: string[] }>;
  /** Runs the handler on an SQS event as given, e.g. a sample from events/sqs/. */
  invokeEvent(event: SQSEvent): Promise<SQSBatchResponse>;
  /** The emulator's id of a routing profile, security profile or hierarchy group path. */
  idOf(kind: "routingProfiles" | "securityProfiles" | "hierarchyGroups", name: string): string;
  /** Everything waiting in the DLQ, with its message attributes. */
  deadLetters(): Promise<{ body: string; attributes: Record<string, string> }[]>;
  describeUser(userId: string): Promise<User | undefined>;
  /** The id of the user with this name, read from the emulator without a Connect call. */
  userIdOf(username: string): string | undefined;
  /** Employee `id` hired (employeeRecord's fixture) by one joiner; answers their user's id. */
  hire(id: string): Promise<string>;
  close(): Promise<void>;
}

function shippedRulesWithMaxAge(seconds: number): string {
  const shipped = readFileSync(RULES_FILE, "utf8");
  const setting = /^ {2}maxAgeSeconds: \d+$/m;
  if (!setting.test(shipped))
    throw new Error("the shipped rules no longer set protected.maxAgeSeconds");
  return shipped.replace(setting, `  maxAgeSeconds: ${seconds}`);
}

let sequence = 0;

/** One message as SQS would deliver it: group = employeeId, dedup = eventId. */
function received(message: HrEvent | string): ReceivedMessage {
  sequence += 1;
  const body = typeof message === "string" ? message : JSON.stringify(message);
  const employeeId = typeof message === "string" ? "unparsable" : message.employeeId;
  const eventId = typeof message === "string" ? `raw-${sequence}` : message.eventId;
  return {
    MessageId: `msg-${sequence}`,
    ReceiptHandle: `rh-${sequence}`,
    Body: body,
    Attributes: {
      ApproximateReceiveCount: "1",
      MessageGroupId: employeeId,
      MessageDeduplicationId: eventId,
      SequenceNumber: String(sequence).padStart(20, "0"),
    },
  };
}

/**
 * The worker's real handler against local DynamoDB, SQS and the Connect
 * emulator (seeded from events/connect-seed.json, quota off), with the
 * shipped rules unless others are given.
 */
export async function startWorkerStack(
  options: {
    rulesYaml?: string;
    env?: Record<string, string>;
    /**
     * The shipped rules' `protected.maxAgeSeconds`; 0 unless given, so that a deletion's
     * calls do not depend on what ran before it in the file.
     */
    protectionMaxAgeSeconds?: number;
    /** How the emulated instance manages identities; the shipped seed's SAML unless given. */
    identityManagementType?: "SAML" | "CONNECT_MANAGED" | "EXISTING_DIRECTORY";
    /**
     * Connect's eventual consistency: writes stay unseen by reads (none unless given). The
     * emulator's clock then stands still, so a write shows only when the test flushes it
     * (`emulator.flushPending()`), never because the machine was slow.
     */
    lag?: number;
  } = {},
): Promise<WorkerStack> {
  const aws = await startAwsStandIns();
  const seed = options.identityManagementType
    ? {
        ...JSON.parse(readFileSync(SEED_FILE, "utf8")),
        identityManagementType: options.identityManagementType,
      }
    : SEED_FILE;
  const startedAt = Date.now();
  const emulator = await startConnectEmulator({
    seed,
    quota: false,
    lag: options.lag,
    clock: options.lag ? () => startedAt : undefined,
  });
  const rulesFile = join(await mkdtemp(join(tmpdir(), "rules-")), "rules.yaml");
  await writeFile(
    rulesFile,
    options.rulesYaml ?? shippedRulesWithMaxAge(options.protectionMaxAgeSeconds ?? 0),
  );
  Object.assign(process.env, serviceEnv(aws, emulator, rulesFile), {
    CONNECT_RPS: "1000",
    CONNECT_BURST: "1000",
    ...options.env,
  });
  const { handler } = await import("../../handlers/sync-worker");
  const connect = new ConnectClient({
    endpoint: emulator.url,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({
    endpoint: aws.sqsEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const queueArn = aws.queues.SyncQueue?.arn ?? "";

  return {
    aws,
    emulator,
    connect,
    async invoke(messages, context = lambdaContext("sync-worker", 60_000)) {
      const before = emulator.calls().at(-1)?.seq ?? 0;
      const event = toSqsEvent(messages.map(received), queueArn, aws.region);
      const response = await handler(event, context);
      const connectCalls = emulator
        .calls()
        .filter((call) => call.seq > before)
        .map((call) => call.operation ?? "unknown");
      return { ...response, connectCalls, messageIds: event.Records.map((r) => r.messageId) };
    },
    invokeEvent: (event) => handler(event, lambdaContext("sync-worker", 60_000)),
    idOf(kind, name) {
      const found = emulator
        .dumpState()
        [kind].find((r) => ("path" in r ? r.path : r.name) === name);
      if (!found) throw new Error(`the emulator has no ${kind} named ${name}`);
      return found.id;
    },
    async deadLetters() {
      const letters: { body: string; attributes: Record<string, string> }[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: aws.queues.SyncDeadLetterQueue?.url,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ["All"],
            VisibilityTimeout: 300,
          }),
        );
        if (Messages.length === 0) return letters;
        for (const m of Messages) {
          const attributes = Object.fromEntries(
            Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
          );
          letters.push({ body: m.Body ?? "", attributes });
        }
      }
    },
    async hire(id) {
      const event = toSqsEvent(
        [received(hrEvent({ type: "joiner", record: employeeRecord(id) }))],
        queueArn,
        aws.region,
      );
      const { batchItemFailures } = await handler(event, lambdaContext("sync-worker", 60_000));
      if (batchItemFailures.length > 0) throw new Error(`hiring ${id} failed`);
      const user = emulator
        .dumpState()
        .users.find((u) => u.Username === `${id.toLowerCase()}@example.com`);
      return String(user?.Id ?? "");
    },
    userIdOf(username) {
      const user = emulator.dumpState().users.find((u) => u.Username === username);
      return user?.Id as string | undefined;
    },
    async describeUser(userId) {
      try {
        const { User } = await connect.send(
          new DescribeUserCommand({ InstanceId: emulator.instanceId, UserId: userId }),
        );
        return User;
      } catch (error) {
        if ((error as Error).name === "ResourceNotFoundException") return undefined;
        throw error;
      }
    },
    async close() {
      connect.destroy();
      sqs.destroy();
      await emulator.close();
      await aws.close();
    },
  };
}
