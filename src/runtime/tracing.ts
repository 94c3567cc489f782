import type { Tracing } from "./tracing-shape";

/**
 * X-Ray tracing through Powertools' Tracer, loaded only when tracing is on.
 * Its X-Ray SDK (105 KiB with semver and cls-hooked) costs every cold start
 * about 12 ms, and the Tracer loads it even when told not to trace; so with
 * POWERTOOLS_TRACE_ENABLED=false (the `tracing` deploy parameter false) it
 * is not imported at all: clients stay as they are and handlers get no
 * tracing middleware. (Outside Lambda the Tracer turns itself off too; it is
 * loaded there all the same, as on Lambda.)
 */

const OFF: Tracing = { client: (client) => client, handler: () => [] };

/** Whether Powertools' Tracer would trace: unless POWERTOOLS_TRACE_ENABLED is "false" (any case). */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  return env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== "false";
}

/** Loaded with the function, before its first request: a cold start with tracing pays for it. */
export const tracing: Tracing = tracingWanted(process.env)
  ? (await import("./powertools-tracing")).powertoolsTracing()
  : OFF;
