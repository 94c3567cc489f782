import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * Connect's reads trail its writes (issue #15): the real worker against an
 * emulator whose writes stay unseen by reads for up to a minute, far longer
 * than any test here. Each test makes them visible when it says so
 * (`flushPending`), so nothing waits on a clock.
 */
const LAG_MS = 60_000;

let stack: WorkerStack;

beforeAll(async () => {
  // Every user is read again (DescribeUser) right before it is changed.
  stack = await startWorkerStack({ lag: LAG_MS });
});

afterAll(async () => {
  await stack?.close();
});

/** The users Connect truly holds with this user name (the emulator's state, not a lagging read). */
const usersNamed = (username: string) =>
  stack.emulator.dumpState().users.filter((user) => user.Username === username);

describe("the worker under Connect's lag", () => {
  it("fails a joiner whose CreateUser answer was lost while the search cannot see the user yet, and its retry adopts that one user", async () => {
    // Prepare: every change is made but its answer is lost (the connection drops).
    const joiner = hrEvent({ record: employeeRecord("EC1") });
    stack.emulator.setFaults({ appliedThenFailed: 1, drop: 1 });

    // Act
    const lost = await stack.invoke([joiner]);
    stack.emulator.setFaults(false);
    const madeAtOnce = usersNamed("ec1@example.com").length;
    stack.emulator.flushPending();
    const retried = await stack.invoke([joiner]);

    // Assess: tried again later, never a second CreateUser after the name was taken.
    expect(lost.batchItemFailures).toEqual([{ itemIdentifier: lost.messageIds[0] }]);
    expect(lost.connectCalls.filter((op) => op === "CreateUser")).toEqual([
      "CreateUser",
      "CreateUser",
    ]);
    expect(madeAtOnce).toBe(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(retried.connectCalls).toEqual(["CreateUser", "SearchUsers", "DescribeUser"]);
    expect(usersNamed("ec1@example.com")).toHaveLength(1);
    expect(stack.emulator.pending().pending).toEqual([]);
  });

  it("fails a mover whose user, created moments ago, DescribeUser does not show yet, instead of creating it again", async () => {
    // Prepare: the joiner is created; HR moves them before reads show the new user.
    await stack.invoke([hrEvent({ record: employeeRecord("EC2") })]);
    const userId = stack.userIdOf("ec2@example.com");
    const mover = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T09:05:00Z",
      record: employeeRecord("EC2", { location: "Paris" }),
    });

    // Act
    const unseen = await stack.invoke([mover]);
    stack.emulator.flushPending();
    const retried = await stack.invoke([mover]);

    // Assess: the 404 is Connect's lag, not a deletion behind the service's back.
    expect(unseen.connectCalls).toEqual(["DescribeUser"]);
    expect(unseen.batchItemFailures).toEqual([{ itemIdentifier: unseen.messageIds[0] }]);
    expect(retried.batchItemFailures).toEqual([]);
    expect(retried.connectCalls).toEqual([
      "DescribeUser",
      "UpdateUserRoutingProfile",
      "UpdateUserHierarchy",
    ]);
    expect(usersNamed("ec2@example.com").map((user) => user.Id)).toEqual([userId]);
  });
});
