import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lambdaContext } from "../../../src/local/lambda-shapes";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * A batch and the clock (issue #13, point 7): at Connect's real quota of 2
 * requests/s, shared by two workers and the reconciliation, each of a worker's
 * calls costs it 1.5 s. The invocation's clock here is that cost per call the
 * emulator answered, so the test is as fast as the machine and as exact as the
 * quota. The worker starts a record only with WORKER_RECORD_RESERVE_SECONDS
 * (20, as serverless.yml sets it for two workers) left.
 */
const SECONDS_PER_CALL = 1.5;

let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack({ env: { WORKER_RECORD_RESERVE_SECONDS: "20" } });
});
afterAll(async () => {
  await stack.close();
});

/** A 60 s invocation whose time passes with each Connect call. */
function pacedInvocation(): Context {
  const start = stack.emulator.calls().length;
  return {
    ...lambdaContext("sync-worker", 60_000),
    getRemainingTimeInMillis: () =>
      60_000 - SECONDS_PER_CALL * 1000 * (stack.emulator.calls().length - start),
  };
}

describe("a backlog at the real quota", () => {
  it("hands back the records it has no time for, unstarted, and they converge on the next receive", async () => {
    // Prepare: one employee's joiner and nine moves between two teams (UK Support, UK Sales), one batch.
    const teams = [
      { department: "Support", location: "London" },
      { department: "Sales", location: "London" },
    ];
    const events = [
      hrEvent({ type: "joiner", record: employeeRecord("E7001") }),
      ...Array.from({ length: 9 }, (_, i) =>
        hrEvent({
          type: "mover",
          occurredAt: `2026-11-28T10:0${i}:00Z`,
          record: employeeRecord("E7001", teams[(i + 1) % 2]),
        }),
      ),
    ];

    // Act
    const first = await stack.invoke(events, pacedInvocation());
    const handedBack = first.batchItemFailures.map((f) =>
      first.messageIds.indexOf(f.itemIdentifier),
    );
    const callsBefore = stack.emulator.calls().length;
    const afterFirst = stack.emulator
      .dumpState()
      .users.find((u) => u.Username === "e7001@example.com");
    const second = await stack.invoke(
      handedBack.map((index) => events[index] as (typeof events)[number]),
      pacedInvocation(),
    );
    const user = stack.emulator.dumpState().users.find((u) => u.Username === "e7001@example.com");

    // Assess: the first receive stopped while 20 s were left, a tail of the group went back...
    expect(handedBack.length).toBeGreaterThan(0);
    expect(handedBack).toEqual(
      Array.from({ length: handedBack.length }, (_, i) => events.length - handedBack.length + i),
    );
    expect(first.connectCalls.length * SECONDS_PER_CALL).toBeLessThanOrEqual(60);
    // ...having changed nothing for them: the user is as the last record started left it...
    const lastStarted = events.length - handedBack.length - 1;
    expect(afterFirst?.RoutingProfileId).toBe(
      stack.idOf("routingProfiles", lastStarted % 2 === 0 ? "UK Support" : "Basic Routing Profile"),
    );
    // ...and the next receive brought the employee to the last move, with nothing dead-lettered.
    expect(second.batchItemFailures).toEqual([]);
    expect(stack.emulator.calls().length).toBeGreaterThan(callsBefore);
    expect(user?.RoutingProfileId).toBe(stack.idOf("routingProfiles", "Basic Routing Profile"));
    expect(await stack.deadLetters()).toEqual([]);
  });
});
