import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/**
 * One logger and metrics per container (the tracer: tracing.ts). Log ids (eventId,
 * employeeId, Connect user id) and outcomes; never names, e-mails,
 * passwords or payloads.
 */
export const SERVICE_NAME = "connect-hr-sync";
export const METRICS_NAMESPACE = process.env.POWERTOOLS_METRICS_NAMESPACE || "ConnectHrSync";

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
