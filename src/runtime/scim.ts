import { randomUUID } from "node:crypto";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import type { TokenDeps } from "../app/scim/authenticate";
import type { ScimDeps, ScimOutcome } from "../app/scim/context";
import { handleScimRequest } from "../app/scim/handle-request";
import { EventPublisher } from "../queue/publisher";
import { ScimUserRepository } from "../store/scim-users";
import { documentClient, dynamoDbClient, secretsManagerClient, ssmClient } from "./aws-clients";
import { logger, metrics } from "./observability";
import type { ScimConfig } from "./scim-config";
import { scimAnswer, scimInternalError, scimRequestFrom } from "./scim-http";
import { secretReader } from "./secrets";
import { sqsClient } from "./sqs-client";
import { tracing } from "./tracing";

/** The SCIM users table, the sync queue, the token reader. */
export function scimDeps(
  config: ScimConfig,
  env: NodeJS.ProcessEnv = process.env,
): ScimDeps & TokenDeps {
  return {
    users: new ScimUserRepository(
      documentClient(tracing.client(dynamoDbClient(env))),
      config.tables.scimUsers,
    ),
    queue: new EventPublisher(
      tracing.client(sqsClient(env)),
      config.queueUrl,
      config.publishAttempts,
    ),
    now: () => new Date(),
    newId: randomUUID,
    identityMode: config.identityMode,
    secrets: secretReader({
      maxAgeSeconds: config.secretsMaxAgeSeconds,
      rotationWindowSeconds: config.secretRotationHours * 3600,
      secretsManager: async () => tracing.client(await secretsManagerClient(env)),
      ssm: async () => tracing.client(await ssmClient(env)),
    }),
    token: config.token,
  };
}

/**
 * The scim Lambda (API Gateway HTTP API): `ANY /scim/v2/{proxy+}`, its own
 * function because it alone reads and writes the SCIM users table and
 * answers in SCIM's format. Logs method, route, status, ids and outcomes;
 * never bodies, names, e-mails, filters or tokens.
 */
export function scimHandler(config: ScimConfig, env: NodeJS.ProcessEnv = process.env) {
  const deps = scimDeps(config, env);
  return middy(
    async (
      event: APIGatewayProxyEventV2,
      _context: Context,
    ): Promise<APIGatewayProxyStructuredResultV2> => {
      logger.appendKeys({ requestId: event.requestContext?.requestId });
      metrics.addMetric("ScimRequests", MetricUnit.Count, 1);
      const request = scimRequestFrom(event, config.baseUrl);
      const route = routeOf(request.method, request.path);
      let outcome: ScimOutcome;
      try {
        outcome = await handleScimRequest(request, deps);
      } catch (error) {
        logger.error("scim request failed unexpectedly", {
          route,
          errorName: error instanceof Error ? error.name : "UnknownError",
        });
        countRefusal(500);
        return scimInternalError();
      }
      const answer = scimAnswer(outcome);
      observe(outcome, route, answer.statusCode ?? 500);
      return answer;
    },
  )
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(tracing.handler({ captureResponse: false }));
}

/** `GET /Users/{id}`: the route without the id, which the logs carry apart. */
function routeOf(method: string, path: string): string {
  const [collection = "", id] = path.split("/").filter((s) => s !== "");
  return `${method.toUpperCase()} /${collection}${id === undefined ? "" : "/{id}"}`;
}

function observe(outcome: ScimOutcome, route: string, status: number): void {
  switch (outcome.kind) {
    case "ok":
      if (outcome.change) metrics.addMetric("ScimChangesQueued", MetricUnit.Count, 1);
      logger.info("scim request answered", { route, status, ...outcome.change });
      return;
    case "unavailable":
      logger.error("scim change not queued; the IdP is asked to retry", {
        route,
        status,
        what: outcome.what,
        errorName: outcome.errorName,
        ...outcome.change,
      });
      break;
    case "misconfigured":
      logger.error("scim token is misconfigured", { route, status, problem: outcome.problem });
      break;
    default:
      logger.warn("scim request refused", {
        route,
        status,
        outcome: outcome.kind,
        scimType: outcome.problem.scimType,
      });
  }
  countRefusal(status);
}

/** ScimRejected by status, as its own metric so that its dimension stays its own. */
function countRefusal(status: number): void {
  const single = metrics.singleMetric();
  single.addDimensions({ status: String(status) });
  single.addMetric("ScimRejected", MetricUnit.Count, 1);
}
