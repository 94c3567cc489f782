import type { MiddlewareObj } from "@middy/core";

/** What a function traces with (tracing.ts): its AWS clients and its handler. */
export interface Tracing {
  /** The client, each of its calls an X-Ray subsegment. */
  client<T>(client: T): T;
  /** The handler's segment and cold-start annotation, as middy middleware (none when off). */
  handler(options?: { captureResponse?: boolean }): MiddlewareObj[];
}
