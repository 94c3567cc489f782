import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectOperationName } from "../../../src/connect/model/index";
import { perOperationLimits } from "../../../src/connect/quota-spec";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../../src/local/aws-stand-ins";
import { documentClient } from "../../../src/runtime/aws-clients";
import { BudgetUnavailableError, TableBudget } from "../../../src/store/budget-table";

/**
 * A clock that moves only when callers wait: the earliest sleeper wakes
 * first, at its own time, after the others' requests to the table have had
 * a moment to run. Grants are counted against this time, with no real time
 * in the assertions.
 */
function virtualClock(start: number) {
  let now = start;
  const sleepers: { wake: number; resolve: () => void }[] = [];
  const wakeEarliest = () => {
    sleepers.sort((a, b) => a.wake - b.wake);
    const next = sleepers.shift();
    if (!next) return;
    now = Math.max(now, next.wake);
    next.resolve();
  };
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        sleepers.push({ wake: now + ms, resolve });
        setTimeout(wakeEarliest, 2);
      }),
  };
}

const LIMITS = perOperationLimits({
  CreateUser: { rps: 2, burst: 5 },
  UpdateUserHierarchy: { rps: 2, burst: 5 },
});

let aws: AwsStandIns;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let table: string;
let startAt = Date.parse("2026-12-03T08:00:00Z");

beforeAll(async () => {
  aws = await startAwsStandIns();
  client = new DynamoDBClient({
    endpoint: aws.dynamoEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  documents = documentClient(client);
  table = aws.tables.ConnectBudgetTable ?? "";
});

afterAll(async () => {
  client?.destroy();
  await aws?.close();
});

/** Each test starts an hour later, so buckets left by the one before are full again. */
function clock() {
  startAt += 3_600_000;
  return virtualClock(startAt);
}

async function takeAll(
  budget: TableBudget,
  operation: ConnectOperationName,
  count: number,
  now: () => number,
  grants: { caller: string; at: number }[],
  caller: string,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await budget.take(operation);
    grants.push({ caller, at: now() });
  }
}

describe("the shared Connect budget (DynamoDB, dynalite)", () => {
  it("gives a lone caller the whole rate of an operation: the burst at once, then 2 a second", async () => {
    const time = clock();
    const budget = new TableBudget(documents, table, LIMITS, time);
    const grants: { caller: string; at: number }[] = [];

    await takeAll(budget, "CreateUser", 25, time.now, grants, "worker");

    const elapsedSeconds = (time.now() - startAt) / 1000;
    // 25 requests, 5 from the burst and 20 at 2 a second: 10 s, no time left idle.
    expect(elapsedSeconds).toBeCloseTo(10, 1);
    expect(grants.slice(0, 5).every((grant) => grant.at === startAt)).toBe(true);
  });

  it("lets two callers share one operation's budget without exceeding it, both served as they go", async () => {
    const time = clock();
    const first = new TableBudget(documents, table, LIMITS, time);
    const second = new TableBudget(documents, table, LIMITS, time);
    const grants: { caller: string; at: number }[] = [];

    await Promise.all([
      takeAll(first, "UpdateUserHierarchy", 20, time.now, grants, "first"),
      takeAll(second, "UpdateUserHierarchy", 20, time.now, grants, "second"),
    ]);

    // Never more than the burst plus the rate times the time since the first grant.
    for (const [index, grant] of grants.entries()) {
      const seconds = (grant.at - startAt) / 1000;
      expect(index + 1).toBeLessThanOrEqual(5 + 2 * seconds + 1e-9);
    }
    // Together they used the whole budget: 40 requests in (40 - 5) / 2 = 17.5 s.
    expect((time.now() - startAt) / 1000).toBeCloseTo(17.5, 0);
    // Neither waits for the other to finish: both are served in the first half (how evenly
    // depends on which caller's table requests the event loop runs first).
    const firstHalf = grants.slice(0, 20).filter((grant) => grant.caller === "first").length;
    expect(firstHalf).toBeGreaterThanOrEqual(1);
    expect(firstHalf).toBeLessThanOrEqual(19);
  });

  it("keeps operations apart: a spent CreateUser budget leaves the hierarchy budget whole", async () => {
    const time = clock();
    const budget = new TableBudget(documents, table, LIMITS, time);
    await takeAll(budget, "CreateUser", 5, time.now, [], "worker");

    await takeAll(budget, "UpdateUserHierarchy", 5, time.now, [], "worker");

    expect(time.now()).toBe(startAt);
  });

  it("gives no token when its table cannot be reached, so no request goes out unpaced", async () => {
    const time = clock();
    const budget = new TableBudget(documents, "no-such-table", LIMITS, time);

    await expect(budget.take("CreateUser")).rejects.toThrow(BudgetUnavailableError);
    await expect(budget.take("CreateUser")).rejects.toThrow(
      /CreateUser: the shared budget table cannot be reached \(ResourceNotFoundException\)/,
    );
  });
});
