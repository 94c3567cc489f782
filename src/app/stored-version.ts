import type { EmployeeState } from "./ports/employees";

/** An event older than anything real, for employees the service has never seen. */
export const NO_VERSION = "1970-01-01T00:00:00.000Z";

/**
 * The version of a sync the service asks for itself (a repair, an operator's
 * sync): the stored one, so that it is never newer than the HR event it
 * converges to and a later webhook is never taken for stale; now when the
 * stored one is ahead of the clock.
 */
export function storedVersion(state: EmployeeState | undefined, now: Date): string {
  const stored = state?.version;
  if (stored === undefined) return NO_VERSION;
  const clock = now.toISOString();
  // UTC ISO instants order as strings.
  if (stored <= clock) return stored;
  return clock;
}
