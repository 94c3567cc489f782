import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { ConnectClient } from "@aws-sdk/client-connect";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type CallBudget, OneBucketBudget, ProcessBudget } from "../connect/budget";
import { DEFAULT_RETRY } from "../connect/caller";
import { ConnectGateway } from "../connect/gateway";
import type { ConnectOperationName } from "../connect/model/index";
import { Pacer } from "../connect/pacer";
import type { RateLimit } from "../connect/quota-spec";
import { NameResolver } from "../connect/resolver";
import { TableBudget } from "../store/budget-table";
import type { BudgetSettings, ConnectSettings } from "./config";
import { metrics } from "./observability";

/**
 * One token of each burst is kept in reserve: requests reach Connect a little later than
 * they leave, and a bucket that is already full cannot bank that delay (seen as throttles).
 */
const withReserve = ({ rps, burst }: RateLimit): RateLimit => ({
  rps,
  burst: Math.max(1, burst - 1),
});

/** The budget a caller paces its requests with (docs/deploy.md, "Connect quotas"). */
export function callBudget(
  settings: BudgetSettings,
  documents: DynamoDBDocumentClient | undefined,
): CallBudget {
  if (settings.kind === "one-bucket") {
    const { rps, burst } = withReserve(settings);
    return new OneBucketBudget(new Pacer(rps, burst));
  }
  const limits = Object.fromEntries(
    Object.entries(settings.limits).map(([operation, limit]) => [operation, withReserve(limit)]),
  ) as Record<ConnectOperationName, RateLimit>;
  if (settings.table === undefined) return new ProcessBudget(limits);
  if (!documents) throw new Error("a shared Connect budget needs a DynamoDB client");
  return new TableBudget(documents, settings.table, limits);
}

/**
 * The Connect gateway (paced to the quota of each operation, with a metric per
 * call and per throttle) and the name resolver over it.
 */
export function connectAdapters(
  config: ConnectSettings,
  client: ConnectClient,
  documents?: DynamoDBDocumentClient,
): { connect: ConnectGateway; names: NameResolver } {
  const connect = new ConnectGateway(client, {
    instanceId: config.instanceId,
    budget: callBudget(config.budget, documents),
    retry: { ...DEFAULT_RETRY, maxAttempts: config.maxAttempts },
    observe: ({ operation, outcome }) => {
      metrics.addMetric(`Connect${operation}`, MetricUnit.Count, 1);
      metrics.addMetric("ConnectCalls", MetricUnit.Count, 1);
      if (outcome === "ThrottlingException")
        metrics.addMetric("ConnectThrottles", MetricUnit.Count, 1);
    },
  });
  return { connect, names: new NameResolver(connect) };
}
