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
