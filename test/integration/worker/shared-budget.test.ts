import { ConnectClient } from "@aws-sdk/client-connect";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallBudget, ProcessBudget } from "../../../src/connect/budget";
import { ConnectGateway } from "../../../src/connect/gateway";
import { perOperationLimits } from "../../../src/connect/quota-spec";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../../src/local/aws-stand-ins";
import { type ConnectEmulator, startConnectEmulator } from "../../../src/local/connect-emulator";
import { documentClient } from "../../../src/runtime/aws-clients";
import { TableBudget } from "../../../src/store/budget-table";

/**
 * Two worker containers against the emulator's per-operation quota, each with
 * its own Connect client and budget: drawing from the shared table, together
 * they stay within the quota; each pacing itself to the whole quota alone,
 * they do not.
 */
const QUOTA = "DescribeUser=10/4";
/**
 * The budget keeps two tokens of the burst in reserve (the service keeps one at
 * Connect's 2/s): 200 ms for a busy test machine to deliver a request late.
 */
const LIMITS = perOperationLimits({ DescribeUser: { rps: 10, burst: 2 } });
const CALLS_EACH = 15;

let aws: AwsStandIns;
let dynamo: DynamoDBClient;
let emulator: ConnectEmulator;

beforeAll(async () => {
  aws = await startAwsStandIns();
  dynamo = new DynamoDBClient({
    endpoint: aws.dynamoEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  emulator = await startConnectEmulator({ quota: QUOTA });
});

afterAll(async () => {
  dynamo?.destroy();
  await emulator?.close();
  await aws?.close();
});

function container(budget: CallBudget): ConnectGateway {
  const client = new ConnectClient({
    endpoint: emulator.url,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  // No retries: a throttled request fails the test's count instead of hiding.
  return new ConnectGateway(client, {
    instanceId: emulator.instanceId,
    budget,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
}

async function describeMany(gateway: ConnectGateway): Promise<number> {
  let refused = 0;
  for (let i = 0; i < CALLS_EACH; i++) {
    await gateway
      .describeUser(`00000000-0000-0000-0000-${String(i).padStart(12, "0")}`)
      .catch(() => {
        refused += 1;
      });
  }
  return refused;
}

describe("two sync-workers and Connect's quota of one operation", () => {
  it("stay within it together when they draw from the shared budget table", async () => {
    const table = aws.tables.ConnectBudgetTable ?? "";
    const workers = [1, 2].map(() =>
      container(new TableBudget(documentClient(dynamo), table, LIMITS)),
    );
    const before = emulator.stats().quotaThrottled;

    const refused = await Promise.all(workers.map(describeMany));

    expect(refused).toEqual([0, 0]);
    expect(emulator.stats().quotaThrottled - before).toBe(0);
  });

  it("exceed it when each paces itself to the whole quota alone (what the shared table prevents)", async () => {
    const workers = [1, 2].map(() => container(new ProcessBudget(LIMITS)));
    const before = emulator.stats().quotaThrottled;

    const refused = await Promise.all(workers.map(describeMany));

    expect((refused[0] ?? 0) + (refused[1] ?? 0)).toBeGreaterThan(0);
    expect(emulator.stats().quotaThrottled - before).toBeGreaterThan(0);
  });
});
