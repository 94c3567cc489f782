import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UpdateUserSecurityProfilesCommand } from "@aws-sdk/client-connect";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { HrRecord } from "../../../src/domain/hr";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { lambdaContext } from "../../../src/local/lambda-shapes";
import { startLocalRoster } from "../../../src/local/roster-bucket";
import { documentClient, dynamoDbClient } from "../../../src/runtime/aws-clients";
import { loadReconcileConfig } from "../../../src/runtime/config";
import { reconcileHandler } from "../../../src/runtime/reconcile";
import { ReconcileRunRepository } from "../../../src/store/runs";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";
import { rosterCsv } from "../../support/roster-stack";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * Connect's reads trail its writes (issue #15): the real handlers against an
 * emulator whose writes stay unseen by reads until each test makes them
 * visible (`flushPending`; the emulator's clock stands still), so nothing
 * waits on a clock and a slow machine changes nothing. The service's settle
 * time is the local stack's: a second more than the lag.
 *
 * Writes act on the emulator's true state, as the issue has Connect's do, so
 * an update here never answers 404 for a user just created: the worker first
 * reads the user (DescribeUser, which does lag, below). Should Connect's own
 * write path answer 404 for a user changed moments ago, the same retry holds;
 * test/unit/app/sync/sync-employee.test.ts drives that path with the fake.
 */
const LAG_MS = 60_000;

const SCHEDULE_EVENT = JSON.parse(
  readFileSync(new URL("../../../events/schedule/reconcile.json", import.meta.url), "utf8"),
);

let stack: WorkerStack;

/** A stack of its own for the tests of one describe; the worker handler is loaded again for it. */
function useStack(options: Parameters<typeof startWorkerStack>[0]): void {
  beforeAll(async () => {
    vi.resetModules();
    stack = await startWorkerStack({ lag: LAG_MS, ...options });
  });
  afterAll(async () => {
    await stack?.close();
  });
}

/** The users Connect truly holds with this user name (the emulator's state, not a lagging read). */
const usersNamed = (username: string) =>
  stack.emulator.dumpState().users.filter((user) => user.Username === username);

describe("the worker under Connect's lag", () => {
  // Every user is read again (DescribeUser) right before it is changed.
  useStack({ protectionMaxAgeSeconds: 0 });

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
    // The SDK's retry finds the name taken; the search does not find who holds it yet.
    expect(lost.connectCalls.slice(-3)).toEqual(["CreateUser", "CreateUser", "SearchUsers"]);
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

/** Runs the real reconcile handler on the schedule's event with this roster; answers the stored run. */
async function reconcileWith(records: readonly HrRecord[]) {
  const dir = await mkdtemp(join(tmpdir(), "roster-"));
  const csv = join(dir, "roster.csv");
  await writeFile(csv, rosterCsv(records));
  const roster = await startLocalRoster(stack.aws, csv);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROSTERS_FILE: roster.rostersFile,
    LOCAL_MODE: "true",
  };
  const handler = reconcileHandler(loadReconcileConfig(env), env);
  const answer = (await handler(SCHEDULE_EVENT, lambdaContext("reconcile", 900_000))) as {
    runId: string;
  };
  await roster.close();
  const runs = new ReconcileRunRepository(
    documentClient(dynamoDbClient(env)),
    env.RECONCILE_RUNS_TABLE ?? "",
  );
  return runs.get(answer.runId);
}

/** The repairs the reconciliation queued, as the worker will receive them. */
async function queuedRepairs(): Promise<string[]> {
  const sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.aws.queues.SyncQueue?.url,
        MaxNumberOfMessages: 10,
      }),
    );
    if (Messages.length === 0) break;
    bodies.push(...Messages.map((m) => m.Body ?? ""));
  }
  sqs.destroy();
  return bodies;
}

describe("the reconciliation under Connect's lag", () => {
  useStack({ protectionMaxAgeSeconds: 0 });

  it("leaves alone a user the service created moments ago that ListUsers does not show yet, counts it, and still queues the leaver HR's roster asks for", async () => {
    // Prepare: a leaver-to-be hired a while ago (reads show them), a joiner hired moments ago (they do not).
    const leaving = employeeRecord("EC3");
    const joined = employeeRecord("EC4");
    await stack.invoke([hrEvent({ record: leaving })]);
    stack.emulator.flushPending();
    await stack.invoke([hrEvent({ record: joined })]);

    // Act
    const run = await reconcileWith([
      { ...leaving, status: "terminated", endDate: "2026-11-27" },
      joined,
    ]);
    const repairs = (await queuedRepairs()).map((body) => JSON.parse(body));
    const repaired = await stack.invoke(repairs);

    // Assess: the joiner is neither drift nor repaired; the leaver is queued and deleted.
    expect(run?.settling).toBe(1);
    expect(run?.counts.missing).toBe(0);
    expect(run?.queued).toBe(1);
    expect(run?.repairsFrom).toEqual({ hr: 1, connect: 0 });
    expect(repairs.map((r) => [r.employeeId, r.type])).toEqual([["EC3", "leaver"]]);
    expect(repaired.batchItemFailures).toEqual([]);
    expect(repaired.connectCalls).toContain("DeleteUser");
    expect(usersNamed("ec3@example.com")).toEqual([]);
    expect(usersNamed("ec4@example.com")).toHaveLength(1);
  });
});

describe("deletion protection under Connect's lag", () => {
  // As shipped: who holds a protected profile is read with one SearchUsers, trusted for a minute.
  useStack({ protectionMaxAgeSeconds: 60 });

  /**
   * A grant that reads show is seen, even by a list read while other writes
   * still lag. (A grant younger than the lag no read can show: the window
   * docs/deploy.md states, maxAgeSeconds plus the lag, is the promise.)
   */
  it("keeps a leaver made Admin once SearchUsers shows the grant, while Connect's reads lag", async () => {
    // Prepare: the agent exists; a person gives them the Admin profile and the grant becomes visible.
    await stack.invoke([hrEvent({ record: employeeRecord("EC5") })]);
    stack.emulator.flushPending();
    const userId = stack.userIdOf("ec5@example.com");
    await stack.connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: stack.emulator.instanceId,
        UserId: userId,
        SecurityProfileIds: [stack.idOf("securityProfiles", "Admin")],
      }),
    );
    stack.emulator.flushPending();
    // Another agent's write still lags when the list is read.
    await stack.invoke([hrEvent({ record: employeeRecord("EC6") })]);
    const leaver = hrEvent({
      type: "leaver",
      occurredAt: "2026-11-28T13:00:00Z",
      record: employeeRecord("EC5", { status: "terminated" }),
    });

    // Act
    const left = await stack.invoke([leaver]);

    // Assess: on the list, read again, found protected, kept.
    expect(left.connectCalls).toEqual(["SearchUsers", "DescribeUser"]);
    expect(left.batchItemFailures).toEqual([]);
    expect(usersNamed("ec5@example.com").map((user) => user.Id)).toEqual([userId]);
  });
});
