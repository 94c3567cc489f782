import { readFileSync } from "node:fs";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordOutcome } from "../../../src/app/process-message";
import { signBambooHrWebhook } from "../../../src/hr/bamboohr/webhook";
import { normaliseHiBob, signHiBobWebhook } from "../../../src/hr/hibob/webhook";
import { signStandardWebhook } from "../../../src/hr/signatures";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../../src/local/aws-stand-ins";
import {
  type BambooHrFake,
  type FakeEmployee,
  startBambooHrFake,
} from "../../../src/local/bamboohr-fake";
import { type ConnectEmulator, startConnectEmulator } from "../../../src/local/connect-emulator";
import {
  type HiBobFake,
  type HiBobFakeEmployee,
  startHiBobFake,
} from "../../../src/local/hibob-fake";
import { type HttpApi, startHttpApi } from "../../../src/local/http-api";
import { lambdaContext, toSqsEvent } from "../../../src/local/lambda-shapes";
import { QueueRunner } from "../../../src/local/queue-runner";
import { serviceEnv } from "../../../src/local/stack";
import { loadWorkerConfig } from "../../../src/runtime/config";
import { syncWorkerHandler } from "../../../src/runtime/sync-worker";
import {
  BAMBOOHR_KEY,
  HIBOB_SECRET,
  startWebhookStack,
  type WebhookStack,
} from "../../support/webhook-stack";

/**
 * From a signed HTTP request to the user in Connect: the local HTTP API runs
 * the real hr-webhook handler, which queues on fauxqs; a Lambda-like loop
 * feeds the real sync-worker handler, which reads thin BambooHR and HiBob
 * events from their fakes and converges the Connect emulator.
 */

const file = (path: string) => new URL(`../../../${path}`, import.meta.url).pathname;
const sampleText = (path: string) => readFileSync(file(`events/hr/${path}.json`), "utf8");
const ROSTER: FakeEmployee[] = JSON.parse(sampleText("bamboohr/employees"));
const BAMBOOHR_API_KEY = "e2e-api-key";
const HIBOB_ROSTER: HiBobFakeEmployee[] = JSON.parse(sampleText("hibob/employees"));
const HIBOB_USER = { serviceUserId: "SERVICE-E2E", token: "e2e-hibob-token" };

let aws: AwsStandIns;
let emulator: ConnectEmulator;
let bamboo: BambooHrFake;
let hibob: HiBobFake;
let webhook: WebhookStack;
let api: HttpApi;
let runner: QueueRunner;
let sqs: SQSClient;
let workerHandler: ReturnType<typeof syncWorkerHandler>;
const outcomes: RecordOutcome[] = [];

beforeAll(async () => {
  aws = await startAwsStandIns();
  emulator = await startConnectEmulator({ seed: file("events/connect-seed.json"), quota: false });
  bamboo = await startBambooHrFake({
    companyDomain: "acme",
    apiKey: BAMBOOHR_API_KEY,
    employees: ROSTER,
  });
  hibob = await startHiBobFake({ ...HIBOB_USER, employees: HIBOB_ROSTER });
  const queue = aws.queues.SyncQueue ?? { url: "", arn: "" };
  const workerEnv: Record<string, string> = {
    ...serviceEnv(aws, emulator, file("config/sync-rules.yaml")),
    CONNECT_RPS: "1000",
    CONNECT_BURST: "1000",
    LOCAL_MODE: "true",
    BAMBOOHR_API_URL: bamboo.url,
    BAMBOOHR_COMPANY_DOMAIN: "acme",
    BAMBOOHR_API_KEY: BAMBOOHR_API_KEY,
    HIBOB_API_URL: hibob.url,
    HIBOB_SERVICE_USER_ID: HIBOB_USER.serviceUserId,
    HIBOB_API_TOKEN: HIBOB_USER.token,
  };
  webhook = await startWebhookStack({ aws });
  api = await startHttpApi({
    routes: [
      { method: "POST", path: "/hr/events", handler: webhook.handler, functionName: "hr-webhook" },
      {
        method: "POST",
        path: "/hr/events/{source}",
        handler: webhook.handler,
        functionName: "hr-webhook",
      },
    ],
  });
  sqs = new SQSClient({
    endpoint: aws.sqsEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  workerHandler = syncWorkerHandler(loadWorkerConfig(workerEnv), workerEnv, (o) =>
    outcomes.push(o),
  );
  runner = new QueueRunner({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: aws.region,
    handler: workerHandler,
  });
});

afterAll(async () => {
  await api?.close();
  sqs?.destroy();
  await webhook?.close();
  await bamboo?.close();
  await hibob?.close();
  await emulator?.close();
  await aws?.close();
});

/** Runs the worker on everything queued, as Lambda's SQS event source would; answers what it did. */
async function drain(): Promise<RecordOutcome[]> {
  const from = outcomes.length;
  for (let round = 0; round < 50; round++) {
    const received = await runner.pollOnce(0);
    if (received === 0 && (await runner.backlog()) === 0) return outcomes.slice(from);
  }
  throw new Error("the queue did not drain: a message keeps failing");
}

async function postSigned(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${api.url}${path}`, { method: "POST", headers, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function postCanonical(body: string) {
  return postSigned("/hr/events", body, {
    "content-type": "application/json",
    ...signStandardWebhook(body, webhook.secret),
  });
}

function postBambooHr(payload: string, at?: Date) {
  const { body, headers } = signBambooHrWebhook(payload, BAMBOOHR_KEY, { at });
  return postSigned("/hr/events/bamboohr", body, headers);
}

/** A HiBob sample as Bob delivers it at `at` (default now), signed with the webhook's secret. */
function postHiBob(name: string, options: { at?: Date; secret?: string } = {}) {
  const { body, headers } = signHiBobWebhook(
    sampleText(`hibob/${name}`),
    options.secret ?? HIBOB_SECRET,
    { at: options.at ?? new Date() },
  );
  return postSigned("/hr/events/hibob", body, headers);
}

/** The user as an operator sees it in Connect: names of profiles and hierarchy, not ids. */
function connectUser(username: string) {
  return emulator.dumpState().seed.users.find((u) => u.username === username);
}

const createUserCalls = () => emulator.calls().filter((c) => c.operation === "CreateUser").length;

describe("signed canonical webhook to the Connect user", () => {
  it("creates, moves and removes Ada's agent from the joiner, mover and leaver samples", async () => {
    const joined = await postCanonical(sampleText("canonical/joiner"));
    const afterJoin = await drain();
    const created = connectUser("ada.lovelace@example.com");

    const moved = await postCanonical(sampleText("canonical/mover"));
    await drain();
    const afterMove = connectUser("ada.lovelace@example.com");

    const left = await postCanonical(sampleText("canonical/leaver"));
    await drain();

    expect([joined.status, moved.status, left.status]).toEqual([202, 202, 202]);
    expect(afterJoin).toEqual([
      expect.objectContaining({ employeeId: "E2001", result: "created" }),
    ]);
    expect(created).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      routingProfile: "UK Support",
      hierarchyGroup: "EMEA/London/Support",
      securityProfiles: ["Agent"],
      tags: { "connect-hr-sync:employee-id": "E2001" },
    });
    expect(afterMove).toMatchObject({
      routingProfile: "Basic Routing Profile",
      hierarchyGroup: "EMEA/London/Sales",
    });
    expect(connectUser("ada.lovelace@example.com")).toBeUndefined();
  });

  it("creates every agent of a batch, each with its own rules", async () => {
    const answer = await postCanonical(sampleText("canonical/batch"));
    await drain();

    expect(answer.status).toBe(202);
    expect(connectUser("alan.turing@example.com")?.hierarchyGroup).toBe("EMEA/London/Sales");
    expect(connectUser("mary.jackson@example.com")).toMatchObject({
      hierarchyGroup: "AMER/Austin/Support",
      phone: { afterContactWorkTimeLimit: 45 },
    });
    const lead = connectUser("annie.easley@example.com");
    expect(lead?.routingProfile).toBe("US Sales");
    expect([...(lead?.securityProfiles ?? [])].sort()).toEqual(["Agent", "CallCenterManager"]);
  });

  it("accepts the same event twice inside the window and applies it once", async () => {
    const body = sampleText("canonical/cloudevent");
    const send = () =>
      postSigned("/hr/events", body, {
        "content-type": "application/cloudevents+json",
        ...signStandardWebhook(body, webhook.secret),
      });
    const creates = createUserCalls();

    const first = await send();
    const second = await send();
    const applied = await drain();

    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.accepted).toEqual(first.json.accepted);
    expect(applied).toEqual([expect.objectContaining({ employeeId: "E2005", result: "created" })]);
    expect(createUserCalls() - creates).toBe(1);
    expect(connectUser("grace.hopper@example.com")).toBeDefined();
  });

  it("skips a redelivery of an applied event after SQS's deduplication window, by its id", async () => {
    const event = JSON.parse(sampleText("canonical/cloudevent")).data;
    const calls = emulator.calls().length;
    const redelivered = toSqsEvent(
      [
        {
          MessageId: "late-redelivery",
          Body: JSON.stringify({
            ...event,
            eventId: "hr-20261128-0201",
            source: "canonical",
            occurredAt: "2026-11-28T09:10:00Z",
          }),
          Attributes: { MessageGroupId: "canonical#E2005", MessageDeduplicationId: "late" },
        },
      ],
      aws.queues.SyncQueue?.arn ?? "",
      aws.region,
    );

    const response = await workerHandler(redelivered, lambdaContext("sync-worker", 60_000));

    expect(response?.batchItemFailures).toEqual([]);
    expect(outcomes.at(-1)).toMatchObject({ employeeId: "E2005", duplicate: true });
    expect(emulator.calls().length).toBe(calls);
  });
});

describe("signed BambooHR webhook to the Connect user", () => {
  it("creates Katherine's agent from the record the worker reads from BambooHR", async () => {
    const reads = bamboo.requests;

    const answer = await postBambooHr(sampleText("bamboohr/employee-created"));
    const applied = await drain();

    expect(answer.status).toBe(202);
    expect(applied).toEqual([expect.objectContaining({ employeeId: "40401", result: "created" })]);
    expect(bamboo.requests - reads).toBe(1);
    expect(connectUser("katherine.johnson@example.com")).toMatchObject({
      firstName: "Katherine",
      lastName: "Johnson",
      routingProfile: "Basic Routing Profile",
      hierarchyGroup: "AMER/Austin/Support",
    });
  });

  it("moves her when BambooHR says she changed, reading what changed from the API", async () => {
    bamboo.setEmployee({ ...(ROSTER[0] as FakeEmployee), department: "Sales" });

    const answer = await postBambooHr(sampleText("bamboohr/employee-updated"));
    await drain();

    expect(answer.status).toBe(202);
    expect(connectUser("katherine.johnson@example.com")).toMatchObject({
      routingProfile: "US Sales",
      hierarchyGroup: "AMER/Austin",
    });
  });

  it("refuses the same delivery replayed outside the window, and Connect does not change", async () => {
    const calls = emulator.calls().length;

    const answer = await postBambooHr(
      sampleText("bamboohr/employee-deleted"),
      new Date(Date.now() - 6 * 60_000),
    );
    const applied = await drain();

    expect(answer.status).toBe(401);
    expect(applied).toEqual([]);
    expect(emulator.calls().length).toBe(calls);
    expect(connectUser("katherine.johnson@example.com")).toBeDefined();
  });

  it("sends the event to the DLQ, naming the BambooHR field, when an active employee has no work e-mail", async () => {
    bamboo.setEmployee({ ...(ROSTER[1] as FakeEmployee), workEmail: null });
    const payload = sampleText("bamboohr/employee-created").replace('"40401"', '"40402"');

    const answer = await postBambooHr(payload);
    const applied = await drain();

    expect(answer.status).toBe(202);
    expect(applied).toEqual([
      expect.objectContaining({ result: "dead-lettered", errorName: "HrRecordUnusableError" }),
    ]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: aws.queues.SyncDeadLetterQueue?.url,
        MessageAttributeNames: ["All"],
      }),
    );
    expect(Messages[0]?.MessageAttributes?.reason?.StringValue).toMatch(/bamboohr\.workEmail/);
  });

  it("keeps her agent when BambooHR's API no longer knows her, until BambooHR confirms she left", async () => {
    bamboo.removeEmployee("40401");

    const answer = await postBambooHr(sampleText("bamboohr/employee-deleted"));
    const applied = await drain();

    expect(answer.status).toBe(202);
    expect(applied).toEqual([
      expect.objectContaining({ result: "dead-lettered", errorName: "NotInHrSourceError" }),
    ]);
    expect(connectUser("katherine.johnson@example.com")).toBeDefined();
  });

  it("removes her agent once BambooHR's API reads her as terminated", async () => {
    bamboo.setEmployee({
      ...(ROSTER[0] as FakeEmployee),
      status: "Inactive",
      terminationDate: "2026-11-27",
    });

    // Another delivery than the earlier update's: its status changed.
    const payload = sampleText("bamboohr/employee-updated").replace(
      '["department", "location"]',
      '["status", "terminationDate"]',
    );
    const answer = await postBambooHr(payload);
    const applied = await drain();

    expect(answer.status).toBe(202);
    expect(applied).toEqual([expect.objectContaining({ employeeId: "40401", result: "deleted" })]);
    expect(connectUser("katherine.johnson@example.com")).toBeUndefined();
  });
});

const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe("signed HiBob webhook to the Connect user", () => {
  const HEDY = HIBOB_ROSTER[0] as HiBobFakeEmployee;
  const joinedAt = new Date();
  let joinedEventIds: unknown;

  it("creates Hedy's agent from the record the worker reads from HiBob's People API", async () => {
    const reads = hibob.requests;

    const answer = await postHiBob("employee-joined", { at: joinedAt });
    const applied = await drain();
    joinedEventIds = answer.json.accepted;

    expect(answer.status).toBe(202);
    expect(applied).toEqual([expect.objectContaining({ employeeId: HEDY.id, result: "created" })]);
    expect(hibob.requests - reads).toBe(1);
    expect(connectUser("hedy.lamarr@example.com")).toMatchObject({
      firstName: "Hedy",
      lastName: "Lamarr",
      routingProfile: "UK Support",
      hierarchyGroup: "EMEA/London/Support",
      tags: { "connect-hr-sync:employee-id": HEDY.id },
    });
  });

  it("applies a replay of that delivery once: the same event, skipped as a duplicate", async () => {
    const calls = emulator.calls().length;

    const replayed = await postHiBob("employee-joined", { at: joinedAt });
    const applied = await drain();

    expect(replayed.status).toBe(202);
    expect(replayed.json.accepted).toEqual(joinedEventIds);
    // SQS drops the repeated deduplication id within 5 minutes; after that the worker's idempotency does.
    expect(applied.filter((o) => !("duplicate" in o && o.duplicate))).toEqual([]);
    expect(emulator.calls().length).toBe(calls);
  });

  it("skips that replay when it reaches the worker after SQS's deduplication window, by its derived id", async () => {
    const { body } = signHiBobWebhook(sampleText("hibob/employee-joined"), HIBOB_SECRET, {
      at: joinedAt,
    });
    const normalised = normaliseHiBob(JSON.parse(body));
    const [event] = normalised.ok ? normalised.events : [];
    const calls = emulator.calls().length;
    const late = toSqsEvent(
      [
        {
          MessageId: "late-hibob-replay",
          Body: JSON.stringify({ ...event, source: "hibob" }),
          Attributes: { MessageGroupId: `hibob#${HEDY.id}`, MessageDeduplicationId: "late-hibob" },
        },
      ],
      aws.queues.SyncQueue?.arn ?? "",
      aws.region,
    );

    const response = await workerHandler(late, lambdaContext("sync-worker", 60_000));

    expect([event?.eventId]).toEqual(joinedEventIds);
    expect(response?.batchItemFailures).toEqual([]);
    expect(outcomes.at(-1)).toMatchObject({ employeeId: HEDY.id, duplicate: true });
    expect(emulator.calls().length).toBe(calls);
  });

  it("moves her when HiBob says she changed, reading what changed from the API", async () => {
    hibob.setEmployee({ ...HEDY, work: { ...HEDY.work, department: "Sales" } });

    const answer = await postHiBob("employee-updated");
    await drain();

    expect(answer.status).toBe(202);
    expect(connectUser("hedy.lamarr@example.com")).toMatchObject({
      routingProfile: "Basic Routing Profile",
      hierarchyGroup: "EMEA/London/Sales",
    });
  });

  it("refuses a forged delivery and a stale one with 401, and Connect does not change", async () => {
    const calls = emulator.calls().length;

    const forged = await postHiBob("employee-left", { secret: "a-guessed-secret" });
    const stale = await postHiBob("employee-left", { at: new Date(Date.now() - 5 * 86_400_000) });
    const applied = await drain();

    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(applied).toEqual([]);
    expect(emulator.calls().length).toBe(calls);
    expect(connectUser("hedy.lamarr@example.com")).toBeDefined();
  });

  it("sends the event to the DLQ, naming HiBob's field, when the service user may not read it", async () => {
    hibob.hideFields(["root.email"]);

    const answer = await postHiBob("employee-updated");
    const applied = await drain();
    hibob.hideFields([]);

    expect(answer.status).toBe(202);
    expect(applied).toEqual([
      expect.objectContaining({ result: "dead-lettered", errorName: "HrRecordUnusableError" }),
    ]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: aws.queues.SyncDeadLetterQueue?.url,
        MessageAttributeNames: ["All"],
        MaxNumberOfMessages: 10,
      }),
    );
    const reasons = Messages.map((m) => m.MessageAttributes?.reason?.StringValue ?? "");
    expect(reasons).toContainEqual(expect.stringMatching(/hibob\.root\.email/));
  });

  it("removes her agent when HiBob terminates her and says she left", async () => {
    hibob.setEmployee({
      ...HEDY,
      internal: {
        status: "Inactive",
        lifecycleStatus: "Terminated",
        terminationDate: daysAgo(2),
      },
    });

    const answer = await postHiBob("employee-left");
    const applied = await drain();

    expect(answer.status).toBe(202);
    expect(applied).toEqual([expect.objectContaining({ employeeId: HEDY.id, result: "deleted" })]);
    expect(connectUser("hedy.lamarr@example.com")).toBeUndefined();
  });
});
