import type { ConnectClient } from "@aws-sdk/client-connect";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ReconcileDeps } from "../app/reconcile";
import { BAMBOOHR_SOURCE } from "../hr/bamboohr/webhook";
import { EventPublisher } from "../queue/publisher";
import { EmployeeRepository } from "../store/employees";
import { ReconcileRunRepository } from "../store/runs";
import type { ReconcileConfig } from "./config";
import { connectAdapters } from "./connect-adapters";
import { bambooHrDirectory } from "./hr-directories";

export interface ReconcileClients {
  connect: ConnectClient;
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
}

/**
 * The reconciliation's adapters. BambooHR's directory is the roster of the
 * employees BambooHR sent, when it is configured.
 */
export function createReconcileDeps(
  config: ReconcileConfig,
  clients: ReconcileClients,
  env: NodeJS.ProcessEnv = process.env,
): ReconcileDeps {
  const employees = new EmployeeRepository(clients.documents, config.EMPLOYEES_TABLE);
  const bamboo = bambooHrDirectory(config, env);
  return {
    employees,
    vendorRoster: bamboo ? { source: BAMBOOHR_SOURCE, directory: bamboo } : undefined,
    ...connectAdapters(config, clients.connect),
    rules: config.rules,
    runs: new ReconcileRunRepository(
      clients.documents,
      config.RECONCILE_RUNS_TABLE,
      config.RECONCILE_RETENTION_DAYS,
    ),
    publisher: new EventPublisher(clients.sqs, config.QUEUE_URL),
    now: () => new Date(),
  };
}
