import { DeleteUserCommand } from "@aws-sdk/client-connect";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../src/runtime/aws-clients";
import { leaverEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * #17's hourly breaker through the real worker and emulator: a leaver whose
 * deletion fails after the breaker admitted it, and that SQS delivers again,
 * takes one of the hour's slots, not one per delivery.
 */

const RULES = `
version: 1
identity: { mode: SAML, usernameTemplate: "{email}" }
scope:
  include: [{ department: { oneOf: [Support] } }]
defaults:
  routingProfile: UK Support
  securityProfiles: [Agent]
  hierarchy: EMEA/London
  phone: { type: SOFT_PHONE, autoAccept: false, afterContactWorkSeconds: 30 }
protected:
  usernames: [admin]
  securityProfiles: [Admin]
  maxAgeSeconds: 0
leavers: { action: delete }
guard: { maxDeletesPerHour: 2 }
`;

let stack: WorkerStack;

beforeAll(async () => {
  // Two attempts per Connect request, so that a throttled DeleteUser fails the event quickly.
  stack = await startWorkerStack({ rulesYaml: RULES, env: { CONNECT_MAX_ATTEMPTS: "2" } });
});

afterAll(async () => {
  await stack?.close();
});

/** Connect refuses every DeleteUser from now on (its quota spent for the next 1000 s). */
async function throttleDeleteUser() {
  stack.emulator.setQuota("DeleteUser=0.001/1");
  // Spends the one token: the user does not exist, the request counts all the same.
  await stack.connect
    .send(new DeleteUserCommand({ InstanceId: stack.emulator.instanceId, UserId: "no-such-user" }))
    .catch(() => undefined);
}

async function heldThisHour(): Promise<string[]> {
  const runId = `breaker-${new Date().toISOString().slice(0, 13).replace(/[-T]/g, "")}`;
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: stack.aws.tables.ReconcileRunsTable, Key: { runId } }),
  );
  return ((Item?.held as { employeeId: string }[] | undefined) ?? []).map((e) => e.employeeId);
}

describe("the leaver breaker and SQS's retries", () => {
  it("counts a leaver retried after a failed deletion once: the next leaver still fits the hour", async () => {
    // Prepare: a limit of 2; the first leaver's DeleteUser throttled on two deliveries.
    const retried = await stack.hire("RTY1");
    const next = await stack.hire("RTY2");
    const over = await stack.hire("RTY3");
    const event = leaverEvent("RTY1");
    await throttleDeleteUser();
    const failures = [await stack.invoke([event]), await stack.invoke([event])];
    stack.emulator.setQuota(false);

    // Act: SQS delivers it a third time, then the next leavers arrive.
    const third = await stack.invoke([event]);
    const second = await stack.invoke([leaverEvent("RTY2")]);
    const past = await stack.invoke([leaverEvent("RTY3")]);

    // Assess
    for (const failed of failures) {
      expect(failed.batchItemFailures).toHaveLength(1);
      expect(failed.connectCalls).toContain("DeleteUser");
    }
    for (const done of [third, second, past]) expect(done.batchItemFailures).toEqual([]);
    expect(await stack.describeUser(retried)).toBeUndefined();
    expect(await stack.describeUser(next)).toBeUndefined();
    // The hour's two slots went to RTY1 and RTY2: the third leaver is held, its user kept.
    expect(await stack.describeUser(over)).toBeDefined();
    expect(await heldThisHour()).toEqual(["RTY3"]);
  });
});
