import { CreateQuickConnectCommand } from "@aws-sdk/client-connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaverEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * #17's quick connects through the real worker and emulator: a deletion also
 * deletes a USER quick connect made after the container indexed them, not
 * only those its index (15 minutes) knows: with the test stack's rules
 * (`protected.maxAgeSeconds: 0`) a deletion trusts no earlier list.
 */

let stack: WorkerStack;

beforeAll(async () => {
  // The shipped rules: leavers deleted at once.
  stack = await startWorkerStack();
});

afterAll(async () => {
  await stack?.close();
});

async function quickConnectFor(userId: string, name: string): Promise<string> {
  const { QuickConnectId } = await stack.connect.send(
    new CreateQuickConnectCommand({
      InstanceId: stack.emulator.instanceId,
      Name: name,
      QuickConnectConfig: {
        QuickConnectType: "USER",
        UserConfig: { UserId: userId, ContactFlowId: "transfer-to-agent" },
      },
    }),
  );
  return String(QuickConnectId);
}

const quickConnectIds = () =>
  stack.emulator.dumpState().quickConnects.map((q) => String(q.QuickConnectId));

describe("a leaver's quick connects", () => {
  it("deletes a quick connect made for the user after the container indexed them, and keeps the others", async () => {
    // Prepare: a first leaver makes the container index the USER quick connects (one, Kept's),
    // then a transfer target naming the next leaver is made within the index's 15 minutes.
    const keptUser = await stack.hire("QCKEPT");
    const keptQuickConnect = await quickConnectFor(keptUser, "Transfer to Kept");
    await stack.hire("QCFIRST");
    const first = await stack.invoke([leaverEvent("QCFIRST")]);
    expect(first.batchItemFailures).toEqual([]);
    const leaverUser = await stack.hire("QCLATE");
    const lateQuickConnect = await quickConnectFor(leaverUser, "Transfer to Late");

    // Act
    const response = await stack.invoke([leaverEvent("QCLATE")]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await stack.describeUser(leaverUser)).toBeUndefined();
    expect(quickConnectIds()).not.toContain(lateQuickConnect);
    expect(quickConnectIds()).toContain(keptQuickConnect);
    // Cheap: one page listed, only the quick connect the index did not know described.
    expect(response.connectCalls).toEqual([
      "DescribeUser",
      "ListQuickConnects",
      "DescribeQuickConnect",
      "DeleteQuickConnect",
      "DeleteUser",
    ]);
  });
});
