import { readFile } from "node:fs/promises";
import {
  DeleteUserCommand,
  SearchUsersCommand,
  UpdateUserSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { HrRecord } from "../../../src/domain/hr";
import { documentClient } from "../../../src/runtime/aws-clients";
import { metrics } from "../../../src/runtime/observability";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/** Support and Sales differ only in routing profile, so a move between them changes one facet. */
const RULES = `
version: 1
identity: { mode: SAML, usernameTemplate: "{email}" }
scope:
  include: [{ department: { oneOf: [Support, Sales] } }]
defaults:
  routingProfile: Basic Routing Profile
  securityProfiles: [Agent]
  hierarchy: EMEA/London
  phone: { type: SOFT_PHONE, autoAccept: false, afterContactWorkSeconds: 30 }
rules:
  - name: support
    when: { department: Support }
    set: { routingProfile: UK Support }
  - name: sales
    when: { department: Sales }
    set: { routingProfile: UK Sales }
protected:
  usernames: [admin]
  securityProfiles: [Admin]
  maxAgeSeconds: 0
`;

let stack: WorkerStack;
const db = () => documentClient();

async function userIdOf(username: string): Promise<string | undefined> {
  const { Users = [] } = await stack.connect.send(
    new SearchUsersCommand({
      InstanceId: stack.emulator.instanceId,
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: username, ComparisonType: "EXACT" },
      },
    }),
  );
  return Users[0]?.Id;
}

async function auditOf(employeeId: string) {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: stack.aws.tables.AuditTable,
      KeyConditionExpression: "employeeKey = :key",
      ExpressionAttributeValues: { ":key": `canonical#${employeeId}` },
    }),
  );
  return Items;
}

async function storedState(employeeId: string) {
  const { Item } = await db().send(
    new GetCommand({
      TableName: stack.aws.tables.EmployeesTable,
      Key: { employeeKey: `canonical#${employeeId}` },
    }),
  );
  return Item;
}

/** Creates the employee's user and forgets the calls it took. */
async function hire(id: string, overrides: Partial<HrRecord> = {}) {
  await stack.invoke([
    hrEvent({
      type: "joiner",
      occurredAt: "2026-11-28T09:00:00Z",
      record: employeeRecord(id, overrides),
    }),
  ]);
  return (await userIdOf(`${id.toLowerCase()}@example.com`)) ?? "";
}

beforeAll(async () => {
  stack = await startWorkerStack({ rulesYaml: RULES, env: { CONNECT_MAX_ATTEMPTS: "2" } });
  // Warm the name cache so that each test counts only the calls its own event causes.
  await hire("WARMUP");
});

afterAll(async () => {
  await stack?.close();
});

describe("sync-worker", () => {
  it("creates a joiner's user with one CreateUser carrying every facet", async () => {
    const joiner = hrEvent({
      type: "joiner",
      record: employeeRecord("J1", { phone: { afterContactWorkSeconds: 45 } }),
    });

    const response = await stack.invoke([joiner]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["CreateUser"]);
    const user = await stack.describeUser((await userIdOf("j1@example.com")) ?? "");
    expect(user).toMatchObject({
      Username: "j1@example.com",
      IdentityInfo: { FirstName: "Grace", LastName: "Hopper" },
      RoutingProfileId: stack.idOf("routingProfiles", "UK Support"),
      SecurityProfileIds: [stack.idOf("securityProfiles", "Agent")],
      HierarchyGroupId: stack.idOf("hierarchyGroups", "EMEA/London"),
      PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 45 },
      Tags: { "connect-hr-sync:managed": "true", "connect-hr-sync:employee-id": "J1" },
    });
    expect(await auditOf("J1")).toEqual([
      expect.objectContaining({
        operation: "CreateUser",
        eventId: joiner.eventId,
        reason: "joiner/webhook",
        outcome: "applied",
      }),
    ]);
  });

  it("changes a mover's routing profile with one Update call when only it differs, reading the user first (maxAgeSeconds 0)", async () => {
    const userId = await hire("M1");
    const before = await stack.describeUser(userId);
    const mover = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T10:00:00Z",
      record: employeeRecord("M1", { department: "Sales" }),
    });

    const response = await stack.invoke([mover]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["DescribeUser", "UpdateUserRoutingProfile"]);
    const after = await stack.describeUser(userId);
    expect(after?.RoutingProfileId).toBe(stack.idOf("routingProfiles", "UK Sales"));
    expect({ ...after, RoutingProfileId: undefined, LastModifiedTime: undefined }).toEqual({
      ...before,
      RoutingProfileId: undefined,
      LastModifiedTime: undefined,
    });
  });

  it("makes no Connect call for a duplicate delivery of an event", async () => {
    const joiner = hrEvent({ type: "joiner", record: employeeRecord("D1") });
    await stack.invoke([joiner]);

    const response = await stack.invoke([joiner]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual([]);
    expect(await auditOf("D1")).toHaveLength(1);
  });

  it("counts a duplicate delivery as a duplicate in the metrics, not as a second agent created", async () => {
    const joiner = hrEvent({ type: "joiner", record: employeeRecord("D2") });
    const counted = vi.spyOn(metrics, "addMetric");

    await stack.invoke([joiner]);
    await stack.invoke([joiner]);

    const names = counted.mock.calls.map(([name]) => name);
    counted.mockRestore();
    expect(names.filter((n) => n === "AgentsCreated")).toHaveLength(1);
    expect(names.filter((n) => n === "EventsDuplicate")).toHaveLength(1);
  });

  it("ignores an event older than the one already applied", async () => {
    const userId = await hire("S1");
    await stack.invoke([
      hrEvent({
        type: "mover",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord("S1", { department: "Sales" }),
      }),
    ]);

    const stale = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T11:00:00Z",
      record: employeeRecord("S1", { department: "Support" }),
    });
    const response = await stack.invoke([stale]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual([]);
    expect((await storedState("S1"))?.version).toBe("2026-11-28T12:00:00.000Z");
    expect((await stack.describeUser(userId))?.RoutingProfileId).toBe(
      stack.idOf("routingProfiles", "UK Sales"),
    );
  });

  it("deletes a leaver's user", async () => {
    const userId = await hire("L1");
    const leaver = hrEvent({
      type: "leaver",
      occurredAt: "2026-11-28T13:00:00Z",
      record: employeeRecord("L1", { status: "terminated", endDate: "2026-11-20" }),
    });

    const response = await stack.invoke([leaver]);

    expect(response.batchItemFailures).toEqual([]);
    // Every deletion lists the quick connects of type USER (none) first.
    expect(response.connectCalls).toEqual(["DescribeUser", "ListQuickConnects", "DeleteUser"]);
    expect(await stack.describeUser(userId)).toBeUndefined();
    expect((await auditOf("L1")).map((e) => e.operation)).toEqual(["CreateUser", "DeleteUser"]);
  });

  it("keeps a user who was given a protected security profile when their leaver event comes", async () => {
    const userId = await hire("P1");
    const adminProfileId = stack.idOf("securityProfiles", "Admin");
    await stack.connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: stack.emulator.instanceId,
        UserId: userId,
        SecurityProfileIds: [adminProfileId],
      }),
    );

    const response = await stack.invoke([
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T13:00:00Z",
        record: employeeRecord("P1", { status: "terminated" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["DescribeUser"]);
    expect(await stack.describeUser(userId)).toBeDefined();
  });

  it("never touches a Connect user it does not manage, even when a leaver has its user name", async () => {
    const adminId = await userIdOf("admin");

    const response = await stack.invoke([
      hrEvent({
        type: "leaver",
        record: employeeRecord("X1", { username: "admin", status: "terminated" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual([]);
    expect(await stack.describeUser(adminId ?? "")).toBeDefined();
  });

  it("sends a permanently failing event to the DLQ with its reason while the rest of the batch succeeds", async () => {
    const tooLong = hrEvent({
      record: employeeRecord("F1", { username: `${"x".repeat(60)}@example.com` }),
    });
    const fine = hrEvent({ record: employeeRecord("F2") });

    const response = await stack.invoke([tooLong, "{not json", fine]);

    expect(response.batchItemFailures).toEqual([]);
    expect(await userIdOf("f2@example.com")).toBeDefined();
    const letters = await stack.deadLetters();
    expect(letters.map((l) => l.attributes.errorName).sort()).toEqual([
      "InvalidEventError",
      "InvalidRecordError",
    ]);
    const reasons = Object.fromEntries(
      letters.map((l) => [l.attributes.errorName, l.attributes.reason]),
    );
    expect(reasons.InvalidRecordError).toMatch(
      /record\.username: the user name given in the HR record is 72 characters long; SAML instances allow at most 64/,
    );
    expect(reasons.InvalidEventError).toMatch(/not a valid HR event/);
    expect(letters.find((l) => l.attributes.errorName === "InvalidRecordError")?.body).toBe(
      JSON.stringify(tooLong),
    );
    expect((await storedState("F1"))?.lastError).toMatchObject({
      name: "InvalidRecordError",
      eventId: tooLong.eventId,
    });
  });

  it("fails only the rest of one employee's records when a Connect call keeps failing", async () => {
    const done = hrEvent({ record: employeeRecord("T0") });
    await stack.invoke([done]);
    stack.emulator.setFaults({ seed: 7, throttle: 1 });
    const first = hrEvent({ record: employeeRecord("T1") });
    const second = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T10:00:00Z",
      record: employeeRecord("T1", { department: "Sales" }),
    });

    const response = await stack.invoke([first, second, done]);
    stack.emulator.setFaults(false);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      response.messageIds.slice(0, 2),
    );
    expect(await userIdOf("t1@example.com")).toBeUndefined();
    const retry = await stack.invoke([first, second]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await userIdOf("t1@example.com")).toBeDefined();
  });

  it.each([
    ["a 500", "LOST1", { appliedThenFailed: 1 }],
    ["a dropped connection", "LOST2", { appliedThenFailed: 1, drop: 1 }],
  ])(
    "adopts the user its own lost CreateUser made when the answer was %s, creating no duplicate",
    async (_, id, faults) => {
      const joiner = hrEvent({ record: employeeRecord(id) });
      stack.emulator.setFaults({ seed: 3, ...faults });

      const response = await stack.invoke([joiner]);
      stack.emulator.setFaults(false);

      expect(response.batchItemFailures).toEqual([]);
      expect(response.connectCalls).toEqual([
        "CreateUser",
        "CreateUser",
        "SearchUsers",
        "DescribeUser",
      ]);
      const username = `${id.toLowerCase()}@example.com`;
      expect(stack.emulator.dumpState().users.filter((u) => u.Username === username)).toHaveLength(
        1,
      );
      expect((await auditOf(id)).map((e) => e.outcome)).toEqual(["adopted"]);
    },
  );

  it("creates the user again when it was deleted behind the service's back", async () => {
    const userId = await hire("GONE1");
    await stack.connect.send(
      new DeleteUserCommand({ InstanceId: stack.emulator.instanceId, UserId: userId }),
    );

    const response = await stack.invoke([
      hrEvent({
        type: "mover",
        occurredAt: "2026-11-28T10:00:00Z",
        record: employeeRecord("GONE1", { department: "Sales" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    // The read before the change finds it gone: no failed Update, one CreateUser.
    expect(response.connectCalls).toEqual(["DescribeUser", "CreateUser"]);
    const recreated = await userIdOf("gone1@example.com");
    expect(recreated).toBeDefined();
    expect(recreated).not.toBe(userId);
    expect((await stack.describeUser(recreated ?? ""))?.RoutingProfileId).toBe(
      stack.idOf("routingProfiles", "UK Sales"),
    );
  });

  it("handles the sample SQS batch in events/sqs: joiner, mover, a duplicate delivery, leaver", async () => {
    const sample = JSON.parse(
      await readFile(
        new URL("../../../events/sqs/sync-worker-batch.json", import.meta.url),
        "utf8",
      ),
    );

    const response = await stack.invokeEvent(sample);

    expect(response.batchItemFailures).toEqual([]);
    expect((await auditOf("E2001")).map((e) => e.operation)).toEqual([
      "CreateUser",
      "UpdateUserRoutingProfile",
      "DeleteUser",
    ]);
    expect(await userIdOf("ada.lovelace@example.com")).toBeUndefined();
  });

  it("sends the sample message with an invalid body straight to the DLQ", async () => {
    const sample = JSON.parse(
      await readFile(
        new URL("../../../events/sqs/sync-worker-invalid-body.json", import.meta.url),
        "utf8",
      ),
    );

    const response = await stack.invokeEvent(sample);

    expect(response.batchItemFailures).toEqual([]);
    const letters = await stack.deadLetters();
    expect(letters.map((l) => l.attributes.reason)).toEqual([
      expect.stringMatching(/^The message is not a valid HR event: type: .*; occurredAt: /),
    ]);
  });
});
