import type { Context, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { processGroupsAtOnce } from "../../../src/runtime/fifo-batch";

function record(messageId: string, group: string): SQSRecord {
  return {
    messageId,
    body: "{}",
    attributes: { MessageGroupId: group },
  } as unknown as SQSRecord;
}

const context = {} as Context;

/** A promise the test settles when it chooses. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("a FIFO batch, its message groups at once", () => {
  it("syncs another employee while one employee's record waits, each employee in order", async () => {
    const waitForCreateUser = gate();
    const order: string[] = [];
    const handler = async (message: SQSRecord) => {
      if (message.messageId === "a1") await waitForCreateUser.opened;
      order.push(message.messageId);
      if (message.messageId === "b2") waitForCreateUser.open();
    };

    const response = await processGroupsAtOnce(
      { Records: [record("a1", "A"), record("a2", "A"), record("b1", "B"), record("b2", "B")] },
      handler,
      context,
    );

    // B's records ran while A's first waited; A's second still came after A's first.
    expect(order).toEqual(["b1", "b2", "a1", "a2"]);
    expect(response.batchItemFailures).toEqual([]);
  });

  it("fails the rest of a failing employee's records only; the other employees carry on", async () => {
    const handled: string[] = [];
    const handler = async (message: SQSRecord) => {
      handled.push(message.messageId);
      if (message.messageId === "a1") throw new Error("Connect said no");
    };

    const response = await processGroupsAtOnce(
      { Records: [record("a1", "A"), record("b1", "B"), record("a2", "A"), record("b2", "B")] },
      handler,
      context,
    );

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: "a1" },
      { itemIdentifier: "a2" },
    ]);
    expect(handled).not.toContain("a2");
    expect(handled).toEqual(expect.arrayContaining(["b1", "b2"]));
  });
});
