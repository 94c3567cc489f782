import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../src/app/aws";
import type { HrRecord } from "../../../src/domain/hr";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * Found by the chaos run: a change Connect made whose answer was lost (a 500
 * or a dropped connection after the change) must still have its audit entry.
 */

let stack: WorkerStack;

function employee(id: string, overrides: Partial<HrRecord> = {}): HrRecord {
  return hrRecord({ employeeId: id, email: `${id.toLowerCase()}@example.com`, ...overrides });
}

async function auditOf(employeeId: string) {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: stack.aws.tables.AuditTable,
      KeyConditionExpression: "employeeId = :id",
      ExpressionAttributeValues: { ":id": employeeId },
    }),
  );
  return Items.map((e) => ({ operation: e.operation, outcome: e.outcome, user: e.connectUserId }));
}

function userIdOf(username: string): string | undefined {
  return stack.emulator.dumpState().users.find((u) => u.Username === username)?.Id as
    | string
    | undefined;
}

beforeAll(async () => {
  stack = await startWorkerStack({ env: { CONNECT_MAX_ATTEMPTS: "3" } });
});

afterAll(async () => {
  await stack?.close();
});

describe("lost answers", () => {
  it.each([
    ["a 500", "DEL1", { appliedThenFailed: 1 }],
    ["a dropped connection", "DEL2", { appliedThenFailed: 1, drop: 1 }],
  ])("audits a leaver's DeleteUser whose answer was %s", async (_, id, faults) => {
    await stack.invoke([hrEvent({ record: employee(id) })]);
    const userId = userIdOf(`${id.toLowerCase()}@example.com`);
    stack.emulator.setFaults({ seed: 5, ...faults });

    const response = await stack.invoke([
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employee(id, { status: "terminated" }),
      }),
    ]);
    stack.emulator.setFaults(false);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["DescribeUser", "DeleteUser", "DeleteUser"]);
    expect(userIdOf(`${id.toLowerCase()}@example.com`)).toBeUndefined();
    expect(await auditOf(id)).toEqual([
      { operation: "CreateUser", outcome: "applied", user: userId },
      { operation: "DeleteUser", outcome: "adopted", user: userId },
    ]);
  });

  it("audits an update whose first answer was lost once, when its retry succeeds", async () => {
    await stack.invoke([hrEvent({ record: employee("UPD1") })]);
    stack.emulator.setFaults({ seed: 5, appliedThenFailed: 1 });
    // The fault hits every mutating call: the update is applied three times and never answered.
    const mover = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T12:00:00Z",
      record: employee("UPD1", { jobCode: "TL1" }),
    });
    const failed = await stack.invoke([mover]);
    stack.emulator.setFaults(false);

    const retried = await stack.invoke([mover]);

    expect(failed.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect((await auditOf("UPD1")).map((e) => [e.operation, e.outcome])).toEqual([
      ["CreateUser", "applied"],
      ["UpdateUserSecurityProfiles", "applied"],
    ]);
  });
});
