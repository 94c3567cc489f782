import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncRequest } from "../../../src/domain/sync-request";
import { lambdaContext } from "../../../src/local/lambda-shapes";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * A batch and the clock (issue #13, point 7), at Connect's real quota of 2
 * requests/s and serverless.yml's defaults: two workers with batches of 5,
 * so up to 11 records in flight with the reconciliation, and a call can wait
 * 5.5 s behind the others. The invocation's clock here is that cost per call
 * the emulator answered, so the test is as fast as the machine and as exact
 * as the quota. The worker starts a record (after each employee's first)
 * only with WORKER_RECORD_RESERVE_SECONDS left: 52, as packaging sets it.
 */
const SECONDS_PER_CALL = 5.5;
const MAX_RECEIVE_COUNT = 5;

let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack({ env: { WORKER_RECORD_RESERVE_SECONDS: "52" } });
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
  it("hands back the records it has no time for, unstarted, and works through the batch within maxReceiveCount receives", async () => {
    // Prepare: one employee's joiner and four moves between two teams, ending in UK Support.
    const teams = [
      { department: "Support", location: "London" },
      { department: "Sales", location: "London" },
    ];
    const events = [
      hrEvent({ type: "joiner", record: employeeRecord("E7001") }),
      ...Array.from({ length: 4 }, (_, i) =>
        hrEvent({
          type: "mover",
          occurredAt: `2026-11-28T10:0${i}:00Z`,
          record: employeeRecord("E7001", teams[(i + 1) % 2]),
        }),
      ),
    ];

    // Act: receive what is left until nothing is handed back (as SQS would, in order).
    const receives: { sent: number; handedBack: number; seconds: number }[] = [];
    let left: SyncRequest[] = events;
    while (left.length > 0 && receives.length < MAX_RECEIVE_COUNT + 1) {
      const response = await stack.invoke(left, pacedInvocation());
      const back = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      receives.push({
        sent: left.length,
        handedBack: back.size,
        seconds: response.connectCalls.length * SECONDS_PER_CALL,
      });
      left = left.filter((_, i) => back.has(response.messageIds[i] ?? ""));
    }
    const user = stack.emulator.dumpState().users.find((u) => u.Username === "e7001@example.com");

    // Assess: records were handed back, every receive moved the employee on and kept to the
    // timeout, and the batch was done within maxReceiveCount receives, nothing dead-lettered.
    expect(receives[0]?.handedBack).toBeGreaterThan(0);
    for (const receive of receives) {
      expect(receive.handedBack).toBeLessThan(receive.sent);
      expect(receive.seconds).toBeLessThanOrEqual(60);
    }
    expect(left).toEqual([]);
    expect(receives.length).toBeLessThanOrEqual(MAX_RECEIVE_COUNT);
    expect(user?.RoutingProfileId).toBe(stack.idOf("routingProfiles", "UK Support"));
    expect(await stack.deadLetters()).toEqual([]);
  });
});
