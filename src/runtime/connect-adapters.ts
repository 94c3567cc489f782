import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { ConnectClient } from "@aws-sdk/client-connect";
import { DEFAULT_RETRY } from "../connect/caller";
import { ConnectGateway } from "../connect/gateway";
import { Pacer } from "../connect/pacer";
import { NameResolver } from "../connect/resolver";
import type { ConnectSettings } from "./config";
import { metrics } from "./observability";

/**
 * The Connect gateway (paced just under this container's share of the quota, with
 * a metric per call and per throttle) and the name resolver over it.
 */
export function connectAdapters(
  config: ConnectSettings,
  client: ConnectClient,
): { connect: ConnectGateway; names: NameResolver } {
  const connect = new ConnectGateway(client, {
    instanceId: config.instanceId,
    // One token of the burst is kept in reserve: requests reach Connect a little later than
    // they leave, and a bucket that is already full cannot bank that delay (seen as throttles).
    pacer: new Pacer(config.rps, Math.max(1, config.burst - 1)),
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
