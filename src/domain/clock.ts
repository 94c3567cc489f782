import type { FieldProblem } from "./validation";

/**
 * The sender's clock is not trusted: an event may be dated at most this far
 * ahead of ours. Ingress refuses one beyond it, the worker does too, and a
 * stored version beyond it (from before the bound, or a skewed sender) no
 * longer orders anything: the next event replaces it.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** The newest version (UTC ISO, as eventVersion writes it) the clock lets us trust now. */
export function latestTrustedVersion(now: Date): string {
  return new Date(now.getTime() + MAX_CLOCK_AHEAD_MS).toISOString();
}

/** Whether an instant is further ahead of `now` than any sender's clock may be. */
export function isAheadOfClock(instant: string, now: Date): boolean {
  return Date.parse(instant) > now.getTime() + MAX_CLOCK_AHEAD_MS;
}

/** The problem with an event dated too far ahead, at its field's path; undefined when in bounds. */
export function aheadOfClockProblem(
  path: string,
  occurredAt: string,
  now: Date | undefined,
): FieldProblem | undefined {
  if (now === undefined || !isAheadOfClock(occurredAt, now)) return undefined;
  return {
    path,
    message: `is more than ${MAX_CLOCK_AHEAD_MS / 60_000} minutes ahead of the server's clock`,
  };
}
