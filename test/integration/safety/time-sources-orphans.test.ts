import { readFileSync } from "node:fs";
import { CreateUserCommand } from "@aws-sdk/client-connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANONICAL_SOURCE } from "../../../src/domain/employee-key";
import { managedTags } from "../../../src/domain/managed";
import { signBambooHrWebhook } from "../../../src/hr/bamboohr/webhook";
import type { FakeEmployee } from "../../../src/local/bamboohr-fake";
import { documentClient, dynamoDbClient } from "../../../src/runtime/aws-clients";
import { EmployeeRepository } from "../../../src/store/employees";
import { employeeRecord, hrEventBody } from "../../support/hr-fixtures";
import { rulesFile, type SafetyStack, startSafetyStack } from "../../support/safety-stack";

/**
 * #13 points 3 to 6, through the real handlers: the sender's clock, one id
 * space per source, orphans, and protection before every change.
 */

let s: SafetyStack;
const BAMBOOHR_ROSTER: FakeEmployee[] = JSON.parse(
  readFileSync(new URL("../../../events/hr/bamboohr/employees.json", import.meta.url), "utf8"),
);
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

beforeAll(async () => {
  s = await startSafetyStack({ rulesFile: await rulesFile("", 0) });
});

afterAll(async () => {
  await s?.close();
});

async function hire(id: string): Promise<string> {
  await s.post([hrEventBody({ record: employeeRecord(id) })]);
  await s.drain();
  return String(s.user(`${id.toLowerCase()}@example.com`)?.Id);
}

function employees(): EmployeeRepository {
  return new EmployeeRepository(
    documentClient(dynamoDbClient(s.stack.env)),
    s.stack.env.EMPLOYEES_TABLE ?? "",
  );
}

async function postBambooHr(payload: object) {
  const { body, headers } = signBambooHrWebhook(payload, s.stack.bambooHr.webhookKey);
  const response = await fetch(`${s.stack.webhookUrl}/bamboohr`, { method: "POST", headers, body });
  return response.status;
}

describe("time is bounded", () => {
  it("refuses at the webhook an event dated a year ahead, naming the field, and queues nothing", async () => {
    const answer = await s.post([
      hrEventBody({ occurredAt: inAYear(), record: employeeRecord("T1") }),
    ]);
    const outcomes = await s.drain();

    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([
      { path: "[0].occurredAt", message: "is more than 5 minutes ahead of the server's clock" },
    ]);
    expect(outcomes).toEqual([]);
    expect(s.user("t1@example.com")).toBeUndefined();
  });

  it("refuses in the worker a queue message dated ahead, from whoever sent it", async () => {
    await s.sendRaw({
      eventId: "future-1",
      type: "joiner",
      employeeId: "T2",
      source: CANONICAL_SOURCE,
      occurredAt: inAYear(),
      record: employeeRecord("T2"),
    });
    const outcomes = await s.drain();

    expect(outcomes).toEqual([
      expect.objectContaining({ result: "dead-lettered", errorName: "InvalidEventError" }),
    ]);
    expect(s.user("t2@example.com")).toBeUndefined();
  });

  it("lets a genuine leaver through although a stored version is ahead of the clock", async () => {
    const userId = await hire("T3");
    const repo = employees();
    const state = await repo.get({ source: CANONICAL_SOURCE, employeeId: "T3" });
    // As an event from a skewed sender, stored before the bound existed, would have left it.
    await repo.save({ ...(state as NonNullable<typeof state>), version: inAYear() });

    await s.post([
      hrEventBody({
        type: "leaver",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord("T3", { status: "terminated" }),
      }),
    ]);
    const outcomes = await s.drain();

    expect(outcomes).toEqual([expect.objectContaining({ employeeId: "T3", result: "deleted" })]);
    expect(s.stack.emulator.dumpState().users.some((u) => u.Id === userId)).toBe(false);
  });
});

describe("sources are separate", () => {
  it("takes the source from the route: a canonical event that says bamboohr is a canonical employee", async () => {
    const answer = await s.post([
      { ...hrEventBody({ record: employeeRecord("40401") }), source: "bamboohr" },
    ]);
    await s.drain();
    const status = await postBambooHr({
      type: "employee.created",
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "+0000"),
      data: { companyId: "12345", employeeId: "40401", changedFields: [] },
    });
    await s.drain();

    expect(answer.status).toBe(202);
    expect(status).toBe(202);
    expect(s.user("40401@example.com")?.Tags).toMatchObject({
      "connect-hr-sync:source": "canonical",
    });
    expect(s.user("katherine.johnson@example.com")?.Tags).toMatchObject({
      "connect-hr-sync:source": "bamboohr",
      "connect-hr-sync:employee-id": "40401",
    });
  });

  it("refuses a BambooHR directory that lost everyone as a failed run, not mass leavers", async () => {
    const before = s.stack.emulator.dumpState().users;
    for (const employee of BAMBOOHR_ROSTER) s.stack.bambooHr.removeEmployee(employee.id);

    const attempt = s.stack.reconcile();

    await expect(attempt).rejects.toMatchObject({ name: "RosterUnusableError" });
    await s.drain();
    expect(s.stack.emulator.dumpState().users).toEqual(before);
    for (const employee of BAMBOOHR_ROSTER) s.stack.bambooHr.setEmployee(employee);
  });
});

describe("a vendor's absence is confirmed before it counts", () => {
  it("keeps an employee BambooHR's directory misses once, and removes them when the next run misses them again", async () => {
    const gone: FakeEmployee = {
      ...(BAMBOOHR_ROSTER[0] as FakeEmployee),
      id: "40404",
      firstName: "Mary",
      lastName: "Jackson",
      workEmail: "mary.jackson@example.com",
    };
    s.stack.bambooHr.setEmployee(gone);
    for (const employeeId of ["40402", "40404"]) {
      await postBambooHr({
        type: "employee.created",
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "+0000"),
        data: { companyId: "12345", employeeId, changedFields: [] },
      });
    }
    await s.drain();
    s.stack.bambooHr.removeEmployee(gone.id);

    const first = await s.stack.reconcile();
    await s.drain();
    const afterFirst = s.user(String(gone.workEmail));
    const second = await s.stack.reconcile();
    await s.drain();

    expect(first.missingFromSource).toEqual([{ source: "bamboohr", employeeId: "40404" }]);
    expect(afterFirst).toBeDefined();
    expect(second.changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ employeeId: "40404", repair: "delete" })]),
    );
    expect(s.user(String(gone.workEmail))).toBeUndefined();
    expect(s.user("katherine.johnson@example.com")).toBeDefined();
  });
});

describe("orphans are removed", () => {
  it("deletes a user tagged as managed for an employee the service has no state for, audited", async () => {
    const created = await s.connect.send(
      new CreateUserCommand({
        InstanceId: s.stack.emulator.instanceId,
        Username: "orphan1@example.com",
        IdentityInfo: { FirstName: "Or", LastName: "Phan" },
        PhoneConfig: { PhoneType: "SOFT_PHONE" },
        RoutingProfileId: s.stack.emulator.dumpState().routingProfiles[0]?.id,
        SecurityProfileIds: [
          s.stack.emulator.dumpState().securityProfiles.find((p) => p.name === "Agent")?.id ?? "",
        ],
        Tags: managedTags({ source: CANONICAL_SOURCE, employeeId: "ORPH1" }),
      }),
    );

    const run = await s.stack.reconcile();
    await s.drain();

    expect(run.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          class: "orphaned",
          employeeId: "ORPH1",
          userId: created.UserId,
          repair: "delete",
        }),
      ]),
    );
    expect(s.user("orphan1@example.com")).toBeUndefined();
  });
});

describe("protection holds before every change", () => {
  it("keeps an agent a person made an Admin when a mover event comes", async () => {
    const userId = await hire("PROMO1");
    await s.setSecurityProfiles(userId, ["Admin"]);
    const before = s.user("promo1@example.com");

    await s.post([
      hrEventBody({
        type: "mover",
        occurredAt: "2026-11-28T11:00:00Z",
        record: employeeRecord("PROMO1", { department: "Sales" }),
      }),
    ]);
    const outcomes = await s.drain();

    expect(outcomes).toEqual([
      expect.objectContaining({ employeeId: "PROMO1", result: "protected" }),
    ]);
    expect(s.user("promo1@example.com")).toEqual(before);
  });
});
