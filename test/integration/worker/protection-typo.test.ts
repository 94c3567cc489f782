import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/** The shipped rules with the protected profile misspelt: it would protect no admin. */
const RULES = readFileSync(new URL("../../../config/sync-rules.yaml", import.meta.url), "utf8")
  .replace("securityProfiles: [Admin]", "securityProfiles: [Admn]")
  .replace(/maxAgeSeconds: \d+/, "maxAgeSeconds: 0");

let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack({ rulesYaml: RULES });
});

afterAll(async () => {
  await stack?.close();
});

describe("a protected security profile the instance lacks", () => {
  it("sends a leaver to the DLQ with the misspelt name instead of deleting anyone", async () => {
    await stack.invoke([hrEvent({ record: employeeRecord("TY1") })]);

    const response = await stack.invoke([
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T13:00:00Z",
        record: employeeRecord("TY1", { status: "terminated" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    expect(response.connectCalls).not.toContain("DeleteUser");
    expect(stack.userIdOf("ty1@example.com")).toBeDefined();
    const [letter] = await stack.deadLetters();
    expect(letter?.attributes).toMatchObject({
      errorName: "UnknownNameError",
      reason: expect.stringContaining('"Admn" does not exist (did you mean "Admin"?)'),
    });
  });
});
