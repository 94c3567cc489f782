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

/** An invocation with plenty of time left. */
const context = { getRemainingTimeInMillis: () => 60_000 } as Context;
const clock = { reserveMs: 20_000 };

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
      clock,
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
      clock,
    );

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: "a1" },
      { itemIdentifier: "a2" },
    ]);
    expect(handled).not.toContain("a2");
    expect(handled).toEqual(expect.arrayContaining(["b1", "b2"]));
  });

  it("starts no record with less time left than one can need, and hands the rest back unprocessed", async () => {
    // Prepare: each record takes 15 s of the invocation's 40 s; one can need 20 s.
    let remainingMs = 40_000;
    const timed = { getRemainingTimeInMillis: () => remainingMs } as Context;
    const handled: string[] = [];
    const handedBack: number[] = [];
    const handler = async (message: SQSRecord) => {
      handled.push(message.messageId);
      remainingMs -= 15_000;
    };

    // Act
    const response = await processGroupsAtOnce(
      { Records: ["a1", "a2", "a3", "a4"].map((id) => record(id, "A")) },
      handler,
      timed,
      { reserveMs: 20_000, handedBack: (count) => handedBack.push(count) },
    );

    // Assess: a1 (40 s left) and a2 (25 s) ran; at 10 s a3 and a4 went back, in order.
    expect(handled).toEqual(["a1", "a2"]);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: "a3" },
      { itemIdentifier: "a4" },
    ]);
    expect(handedBack).toEqual([2]);
  });

  it("always starts each employee's first record, so every receive moves each employee on", async () => {
    // Prepare: the invocation begins with less than the reserve left.
    const late = { getRemainingTimeInMillis: () => 5_000 } as Context;
    const handled: string[] = [];

    // Act
    const response = await processGroupsAtOnce(
      { Records: [record("a1", "A"), record("b1", "B"), record("a2", "A")] },
      async (message) => {
        handled.push(message.messageId);
      },
      late,
      { reserveMs: 20_000 },
    );

    // Assess
    expect(handled.sort()).toEqual(["a1", "b1"]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "a2" }]);
  });
});
