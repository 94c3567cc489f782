import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HrRecord } from "../../../src/domain/hr";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * On an EXISTING_DIRECTORY instance the directory owns names and e-mail:
 * Connect refuses to change them, so the service must never try.
 */
const RULES = `
version: 1
identity: { mode: EXISTING_DIRECTORY, usernameTemplate: "{emailLocalPart}" }
scope:
  include: [{ department: Support }]
defaults:
  routingProfile: Basic Routing Profile
  securityProfiles: [Agent]
  hierarchy: null
  phone: { type: SOFT_PHONE, autoAccept: false, afterContactWorkSeconds: 30 }
rules:
  - name: london
    when: { location: London }
    set: { routingProfile: UK Support }
`;

let stack: WorkerStack;

function employee(id: string, overrides: Partial<HrRecord> = {}): HrRecord {
  return hrRecord({
    employeeId: id,
    email: `${id.toLowerCase()}@example.com`,
    username: null,
    ...overrides,
  });
}

function userNamed(username: string) {
  return stack.emulator.dumpState().users.find((u) => u.Username === username);
}

beforeAll(async () => {
  stack = await startWorkerStack({
    rulesYaml: RULES,
    identityManagementType: "EXISTING_DIRECTORY",
  });
});

afterAll(async () => {
  await stack?.close();
});

describe("an EXISTING_DIRECTORY instance", () => {
  it("creates a joiner's agent under the directory user name", async () => {
    const response = await stack.invoke([hrEvent({ record: employee("XD1") })]);

    expect(response.batchItemFailures).toEqual([]);
    // After the name look-ups a fresh container makes once.
    expect(response.connectCalls.at(-1)).toBe("CreateUser");
    expect(userNamed("xd1")).toBeDefined();
  });

  it("moves an agent whose name also changed in HR without touching the name", async () => {
    await stack.invoke([hrEvent({ record: employee("XD2", { location: "Austin" }) })]);
    const before = userNamed("xd2");

    const response = await stack.invoke([
      hrEvent({
        type: "mover",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employee("XD2", { location: "London", lastName: "Renamed" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).toEqual(["UpdateUserRoutingProfile"]);
    expect(userNamed("xd2")?.IdentityInfo).toEqual(before?.IdentityInfo);
  });
});
