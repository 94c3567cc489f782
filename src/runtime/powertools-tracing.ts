import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import { SERVICE_NAME } from "./observability";
import type { Tracing } from "./tracing-shape";

/** Tracing by Powertools' Tracer: one chunk, imported by tracing.ts only when tracing is on. */
export function powertoolsTracing(): Tracing {
  const tracer = new Tracer({ serviceName: SERVICE_NAME });
  return {
    client: (client) => tracer.captureAWSv3Client(client),
    handler: (options) => [captureLambdaHandler(tracer, options)],
  };
}
