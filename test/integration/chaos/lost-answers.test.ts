import { DeleteUserCommand, UpdateUserRoutingProfileCommand } from "@aws-sdk/client-connect";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Facet } from "../../../src/domain/facets";
import type { SyncRequest } from "../../../src/domain/sync-request";
import { documentClient } from "../../../src/runtime/aws-clients";
import { RepairGrantRepository } from "../../../src/store/grants";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * Found by the chaos run: a change Connect made whose answer was lost (a 500
 * or a dropped connection after the change) must still have its audit entry,
 * also when the worker died before it could retry: the next attempt finds the
 * change made, and records that.
 */

let stack: WorkerStack;

async function auditOf(employeeId: string) {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: stack.aws.tables.AuditTable,
      KeyConditionExpression: "employeeKey = :key",
      ExpressionAttributeValues: { ":key": `canonical#${employeeId}` },
    }),
  );
  return Items.map((e) => ({ operation: e.operation, outcome: e.outcome, user: e.connectUserId }));
}

async function storedVersion(employeeId: string): Promise<string> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: stack.aws.tables.EmployeesTable,
      Key: { employeeKey: `canonical#${employeeId}` },
    }),
  );
  return String(Item?.version);
}

/**
 * What the reconciliation queues to repair one employee (a thin event at the
 * stored version), with the grant it records first.
 */
async function repair(
  employeeId: string,
  type: SyncRequest["type"],
  facets?: Facet[],
): Promise<SyncRequest> {
  const runId = `run-test-${employeeId}`;
  const ref = { source: "canonical", employeeId };
  await new RepairGrantRepository(
    documentClient(),
    stack.aws.tables.ReconcileRunsTable ?? "",
  ).record([{ ...ref, runId, origin: "reconcile", ...(facets ? { facets } : {}) }]);
  return {
    eventId: `${runId}-${type}`,
    type,
    ...ref,
    occurredAt: await storedVersion(employeeId),
    origin: "reconcile",
    runId,
    ...(facets ? { facets } : {}),
  };
}

/** Someone (or a lost answer of the service's own) changes Connect behind the stored state. */
async function deleteBehindTheBack(userId: string) {
  await stack.connect.send(
    new DeleteUserCommand({ InstanceId: stack.emulator.instanceId, UserId: userId }),
  );
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
    await stack.invoke([hrEvent({ record: employeeRecord(id) })]);
    const userId = stack.userIdOf(`${id.toLowerCase()}@example.com`);
    stack.emulator.setFaults({ seed: 5, ...faults });

    const response = await stack.invoke([
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord(id, { status: "terminated" }),
      }),
    ]);
    stack.emulator.setFaults(false);

    expect(response.batchItemFailures).toEqual([]);
    // (The container's first deletion also reads its index of quick connects: not in question here.)
    expect(response.connectCalls.filter((op) => op !== "ListQuickConnects")).toEqual([
      "DescribeUser",
      "DeleteUser",
      "DeleteUser",
    ]);
    expect(stack.userIdOf(`${id.toLowerCase()}@example.com`)).toBeUndefined();
    expect(await auditOf(id)).toEqual([
      { operation: "CreateUser", outcome: "applied", user: userId },
      { operation: "DeleteUser", outcome: "adopted", user: userId },
    ]);
  });

  it("audits an update whose first answer was lost once, when its retry succeeds", async () => {
    await stack.invoke([hrEvent({ record: employeeRecord("UPD1") })]);
    stack.emulator.setFaults({ seed: 5, appliedThenFailed: 1 });
    // The fault hits every mutating call: the update is applied three times and never answered.
    const mover = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T12:00:00Z",
      record: employeeRecord("UPD1", { jobCode: "TL1" }),
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

  it("records a leaver's user that is already gone when the worker goes to delete it", async () => {
    await stack.invoke([hrEvent({ record: employeeRecord("GONE2") })]);
    const userId = stack.userIdOf("gone2@example.com") ?? "";
    // An earlier attempt deleted it and died before it saw the answer.
    await deleteBehindTheBack(userId);

    const response = await stack.invoke([
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord("GONE2", { status: "terminated" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["DescribeUser"]);
    expect(await auditOf("GONE2")).toEqual([
      { operation: "CreateUser", outcome: "applied", user: userId },
      { operation: "DeleteUser", outcome: "already-gone", user: userId },
    ]);
  });

  it("records an orphan's user that is already gone when the reconciliation's repair comes", async () => {
    await stack.invoke([hrEvent({ record: employeeRecord("GONE3") })]);
    const userId = stack.userIdOf("gone3@example.com") ?? "";
    // The leaver fails before any change (Connect answers 500): HR's record is stored, the user stays.
    stack.emulator.setFaults({ seed: 9, internal: 1 });
    const failed = await stack.invoke([
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord("GONE3", { status: "terminated" }),
      }),
    ]);
    stack.emulator.setFaults(false);
    await deleteBehindTheBack(userId);

    const response = await stack.invoke([await repair("GONE3", "leaver")]);

    expect(failed.batchItemFailures).toHaveLength(1);
    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["DescribeUser"]);
    expect(await auditOf("GONE3")).toEqual([
      { operation: "CreateUser", outcome: "applied", user: userId },
      { operation: "DeleteUser", outcome: "already-gone", user: userId },
    ]);
  });

  it("records a repaired facet the reconciliation found that is already in place when the repair comes", async () => {
    await stack.invoke([hrEvent({ record: employeeRecord("PLACE1") })]);
    const userId = stack.userIdOf("place1@example.com") ?? "";
    const instance = stack.emulator.instanceId;
    const routing = (name: string) =>
      stack.emulator.dumpState().routingProfiles.find((p) => p.name === name)?.id;
    // Drift the reconciliation saw, then the fix it queued made by an attempt that died unanswered.
    for (const profile of ["Basic Routing Profile", "UK Support"]) {
      await stack.connect.send(
        new UpdateUserRoutingProfileCommand({
          InstanceId: instance,
          UserId: userId,
          RoutingProfileId: routing(profile),
        }),
      );
    }

    const response = await stack.invoke([await repair("PLACE1", "mover", ["routingProfile"])]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["DescribeUser"]);
    expect(await auditOf("PLACE1")).toEqual([
      { operation: "CreateUser", outcome: "applied", user: userId },
      { operation: "UpdateUserRoutingProfile", outcome: "already-in-place", user: userId },
    ]);
  });
});
