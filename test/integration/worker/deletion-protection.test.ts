import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HrRecord } from "../../../src/domain/hr";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/** The shipped rules: who holds the Admin profile is read at most once a minute. */
let stack: WorkerStack;

function employee(id: string, overrides: Partial<HrRecord> = {}): HrRecord {
  return hrRecord({ employeeId: id, email: `${id.toLowerCase()}@example.com`, ...overrides });
}

function leaver(id: string) {
  return hrEvent({
    type: "leaver",
    occurredAt: "2026-11-28T13:00:00Z",
    record: employee(id, { status: "terminated" }),
  });
}

beforeAll(async () => {
  stack = await startWorkerStack({ protectionMaxAgeSeconds: 60 });
});

afterAll(async () => {
  await stack?.close();
});

describe("deletion protection with the shipped rules", () => {
  it("checks who holds a protected profile for the first leaver, then deletes the next leaver with one call", async () => {
    await stack.invoke([
      hrEvent({ record: employee("DP1") }),
      hrEvent({ record: employee("DP2") }),
    ]);

    const first = await stack.invoke([leaver("DP1")]);
    const second = await stack.invoke([leaver("DP2")]);

    expect(first.connectCalls).toEqual(["SearchUsers", "DeleteUser"]);
    expect(second.connectCalls).toEqual(["DeleteUser"]);
    const remaining = stack.emulator.dumpState().users.map((u) => u.Username);
    expect(remaining).not.toContain("dp1@example.com");
    expect(remaining).not.toContain("dp2@example.com");
  });
});
