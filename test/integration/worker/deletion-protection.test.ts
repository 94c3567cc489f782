import { UpdateUserSecurityProfilesCommand } from "@aws-sdk/client-connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/** The shipped rules: who holds the Admin profile is read at most once a minute per container. */
let stack: WorkerStack;

function leaver(id: string) {
  return hrEvent({
    type: "leaver",
    occurredAt: "2026-11-28T13:00:00Z",
    record: employeeRecord(id, { status: "terminated" }),
  });
}

beforeAll(async () => {
  stack = await startWorkerStack({ protectionMaxAgeSeconds: 60 });
});

afterAll(async () => {
  await stack?.close();
});

describe("deletion protection with the shipped rules", () => {
  it("reads who holds a protected profile once, deletes leavers off that list with one call each, and keeps one on it", async () => {
    await stack.invoke(["DP1", "DP2", "DP3"].map((id) => hrEvent({ record: employeeRecord(id) })));
    const promotedId = stack.userIdOf("dp3@example.com");
    await stack.connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: stack.emulator.instanceId,
        UserId: promotedId,
        SecurityProfileIds: [stack.idOf("securityProfiles", "Admin")],
      }),
    );

    const first = await stack.invoke([leaver("DP1")]);
    const second = await stack.invoke([leaver("DP2")]);
    const promoted = await stack.invoke([leaver("DP3")]);

    // The container lists the quick connects of type USER (none) once, and trusts the list as long
    // as the list of protected holders (maxAgeSeconds).
    expect(first.connectCalls).toEqual(["SearchUsers", "ListQuickConnects", "DeleteUser"]);
    expect(second.connectCalls).toEqual(["DeleteUser"]);
    // On the list: read again, found protected, kept.
    expect(promoted.connectCalls).toEqual(["DescribeUser"]);
    expect(stack.userIdOf("dp1@example.com")).toBeUndefined();
    expect(stack.userIdOf("dp2@example.com")).toBeUndefined();
    expect(stack.userIdOf("dp3@example.com")).toBe(promotedId);
  });
});
