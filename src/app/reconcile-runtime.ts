import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { ConnectClient } from "@aws-sdk/client-connect";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConnectGateway, DEFAULT_RETRY } from "../connect/gateway";
import { Pacer } from "../connect/pacer";
import { NameResolver } from "../connect/resolver";
import type { SyncRules } from "../domain/rules";
import { type HrDirectory, StoredRecordsDirectory } from "../hr/directory";
import { EventPublisher } from "../queue/publisher";
import { EmployeeRepository } from "../store/employees";
import { ReconcileRunRepository } from "../store/runs";
import { metrics } from "./observability";
import type { ReconcileDeps } from "./reconcile";

export interface ReconcileConfig {
  CONNECT_INSTANCE_ID: string;
  EMPLOYEES_TABLE: string;
  RECONCILE_RUNS_TABLE: string;
  QUEUE_URL: string;
  CONNECT_RPS: number;
  CONNECT_BURST: number;
  CONNECT_MAX_ATTEMPTS: number;
  rules: SyncRules;
}

export interface ReconcileClients {
  connect: ConnectClient;
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
}

/** The reconciliation's adapters; the roster defaults to the records the service has stored. */
export function createReconcileDeps(
  config: ReconcileConfig,
  clients: ReconcileClients,
  roster?: { directory: HrDirectory; source: string },
): ReconcileDeps {
  const employees = new EmployeeRepository(clients.documents, config.EMPLOYEES_TABLE);
  const connect = new ConnectGateway(clients.connect, {
    instanceId: config.CONNECT_INSTANCE_ID,
    pacer: new Pacer(config.CONNECT_RPS, config.CONNECT_BURST),
    retry: { ...DEFAULT_RETRY, maxAttempts: config.CONNECT_MAX_ATTEMPTS },
    observe: ({ operation, outcome }) => {
      metrics.addMetric(`Connect${operation}`, MetricUnit.Count, 1);
      if (outcome === "ThrottlingException")
        metrics.addMetric("ConnectThrottles", MetricUnit.Count, 1);
    },
  });
  return {
    employees,
    roster: roster?.directory ?? new StoredRecordsDirectory(employees),
    rosterSource: roster?.source,
    connect,
    resolver: new NameResolver(connect),
    rules: config.rules,
    runs: new ReconcileRunRepository(clients.documents, config.RECONCILE_RUNS_TABLE),
    publisher: new EventPublisher(clients.sqs, config.QUEUE_URL),
    now: () => new Date(),
  };
}
