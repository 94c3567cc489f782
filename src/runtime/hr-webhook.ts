import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { type IngestDeps, type IngestOutcome, ingestWebhook } from "../app/ingest-webhook";
import { once } from "../domain/once";
import { canonicalSource } from "../hr/canonical";
import { BAMBOOHR_SOURCE, HIBOB_SOURCE } from "../hr/source-names";
import { EventPublisher } from "../queue/publisher";
import { secretsManagerClient, ssmClient } from "./aws-clients";
import { logger, metrics } from "./observability";
import { secretReader } from "./secrets";
import { sqsClient } from "./sqs-client";
import { tracing } from "./tracing";
import type { WebhookConfig } from "./webhook-config";
import { httpAnswer, internalError, webhookRequestFrom } from "./webhook-http";

/**
 * The enabled sources, their signing secrets, the secret reader and the queue
 * publisher. A vendor's adapter loads with its first request, so that a cold
 * start parses only the canonical schemas.
 */
export function hrWebhookDeps(
  config: WebhookConfig,
  env: NodeJS.ProcessEnv = process.env,
): IngestDeps {
  const sources: IngestDeps["sources"] = new Map([
    [canonicalSource.name, { adapter: canonicalSource, secret: config.secrets.canonical }],
    ...(config.secrets.bamboohr
      ? [
          [
            BAMBOOHR_SOURCE,
            {
              adapter: once(async () =>
                (await import("../hr/bamboohr/webhook")).bambooHrSource({
                  signatureOrder: config.bambooHrSignatureOrder,
                }),
              ),
              secret: config.secrets.bamboohr,
            },
          ] as const,
        ]
      : []),
    ...(config.secrets.hibob
      ? [
          [
            HIBOB_SOURCE,
            {
              adapter: once(async () =>
                (await import("../hr/hibob/webhook")).hiBobSource({
                  maxEventAgeHours: config.hiBobMaxEventAgeHours,
                }),
              ),
              secret: config.secrets.hibob,
            },
          ] as const,
        ]
      : []),
  ]);
  return {
    sources,
    secrets: secretReader({
      maxAgeSeconds: config.secretsMaxAgeSeconds,
      rotationWindowSeconds: config.secretRotationHours * 3600,
      secretsManager: async () => tracing.client(await secretsManagerClient(env)),
      ssm: async () => tracing.client(await ssmClient(env)),
    }),
    publisher: new EventPublisher(
      tracing.client(sqsClient(env)),
      config.queueUrl,
      config.publishAttempts,
    ),
    now: () => new Date(),
  };
}

/**
 * The hr-webhook Lambda (API Gateway HTTP API): `POST /hr/events` and
 * `POST /hr/events/{source}`. Built from a config so that the local HTTP API
 * runs exactly what Lambda runs. Logs ids, counts and outcomes, never bodies,
 * names, e-mails, signatures or secrets; the event itself is never logged.
 */
export function hrWebhookHandler(config: WebhookConfig, env: NodeJS.ProcessEnv = process.env) {
  const deps = hrWebhookDeps(config, env);
  return middy(
    async (
      event: APIGatewayProxyEventV2,
      _context: Context,
    ): Promise<APIGatewayProxyStructuredResultV2> => {
      const requestId = event.requestContext?.requestId;
      logger.appendKeys({ requestId });
      metrics.addMetric("WebhookRequests", MetricUnit.Count, 1);
      let outcome: IngestOutcome;
      try {
        outcome = await ingestWebhook(webhookRequestFrom(event), deps);
      } catch (error) {
        logger.error("webhook failed unexpectedly", {
          errorName: error instanceof Error ? error.name : "UnknownError",
        });
        countRefusal(500, "unknown");
        return internalError(requestId);
      }
      const answer = httpAnswer(outcome, requestId);
      observe(outcome, answer.statusCode ?? 500);
      return answer;
    },
  )
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(tracing.handler({ captureResponse: false }));
}

function observe(outcome: IngestOutcome, status: number): void {
  const source = outcome.kind === "unknown-source" ? "unknown" : outcome.source;
  switch (outcome.kind) {
    case "accepted":
      metrics.addMetric("WebhookEventsAccepted", MetricUnit.Count, outcome.events.length);
      logger.info("webhook accepted", {
        source,
        status,
        events: outcome.events.length,
        // While a rotation lasts: the sender still signs with the previous secret.
        ...(outcome.secret === "previous" ? { secret: "previous" } : {}),
        eventIds: outcome.events.map((e) => e.eventId),
        employeeIds: outcome.events.map((e) => e.employeeId),
      });
      return;
    case "unavailable":
      logger.error("webhook not queued; the sender is asked to retry", {
        source,
        status,
        what: outcome.what,
        errorName: outcome.errorName,
        failedEventIds: outcome.failed?.map((f) => f.eventId),
        failedCodes: outcome.failed?.map((f) => f.code),
        queuedEventIds: outcome.queued,
      });
      break;
    case "misconfigured":
      logger.error("webhook source is misconfigured", { source, status, problem: outcome.problem });
      break;
    default:
      logger.warn("webhook refused", {
        source,
        status,
        outcome: outcome.kind,
        ...(outcome.kind === "unauthorized" ? { failure: outcome.failure } : {}),
        ...(outcome.kind === "invalid" ? { invalidFields: outcome.problems.length } : {}),
        ...(outcome.kind === "too-large" ? { bytes: outcome.bytes, what: outcome.what } : {}),
        ...(outcome.kind === "unsupported-media-type" ? { reason: outcome.reason } : {}),
      });
  }
  countRefusal(status, source);
}

/** WebhookRejected by status and source, as its own metric so that its dimensions stay its own. */
function countRefusal(status: number, source: string): void {
  const single = metrics.singleMetric();
  single.addDimensions({ status: String(status), source });
  single.addMetric("WebhookRejected", MetricUnit.Count, 1);
}
