import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { EventPublisher } from "../../../src/queue/publisher";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";

/**
 * Found by the chaos run: when several employees ask for one user name, only
 * one of them can have it. The reconciliation must not queue a CreateUser
 * for the others night after night: it cannot succeed, and each attempt ends
 * in the DLQ.
 */

let stack: LocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  stack = await startLocalStack({
    quota: { rps: 200, burst: 200 },
    bambooHrEmployees: [],
    hiBobEmployees: [],
  });
  sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.close();
});

describe("reconciliation of user names several employees ask for", () => {
  it("queues no repair for employees whose user name another user already holds", async () => {
    const publisher = new EventPublisher(sqs, stack.env.QUEUE_URL ?? "");
    await publisher.publish([
      // Two people HR gave the protected user's name, and two who share one name.
      hrEvent({ record: employeeRecord("DUP1", { username: "admin" }) }),
      hrEvent({ record: employeeRecord("DUP2", { username: "admin" }) }),
      hrEvent({ record: employeeRecord("DUP3", { username: "shared.name" }) }),
      hrEvent({ record: employeeRecord("DUP4", { username: "shared.name" }) }),
    ]);
    await stack.runner.drained();
    const holder = stack.emulator.dumpState().users.find((u) => u.Username === "shared.name");

    const run = await stack.reconcile();
    await stack.runner.drained();

    expect(holder?.Tags).toMatchObject({ "connect-hr-sync:employee-id": "DUP3" });
    expect(run.queued).toBe(0);
    const classOf = (id: string) => run.changes.find((c) => c.employeeId === id)?.class;
    expect([classOf("DUP1"), classOf("DUP2")]).toEqual([undefined, undefined]);
    expect(run.counts.protected).toBe(2);
    expect(classOf("DUP4")).toBe("invalid");
    expect(run.changes.find((c) => c.employeeId === "DUP4")?.problem).toMatch(/user name is held/);
  });
});
