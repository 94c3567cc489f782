/**
 * The request quota: one token bucket shared by every caller, as Connect's
 * per-account, per-Region rate limit is. Each AWS-surface request takes a
 * token; an empty bucket answers ThrottlingException without touching state.
 */

export interface QuotaSettings {
  /** Tokens added per second. */
  readonly rps: number;
  /** Bucket size: how many requests may arrive at once after a quiet spell. */
  readonly burst: number;
}

/** Connect's documented default for the user operations: 2 requests/s, burst 5. */
export const DEFAULT_QUOTA: QuotaSettings = { rps: 2, burst: 5 };

export class InvalidQuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidQuotaError";
  }
}

export class TokenBucket {
  readonly settings: QuotaSettings;
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  /** `now` returns milliseconds; injectable so the arithmetic can be tested without waiting. */
  constructor(settings: QuotaSettings, now: () => number = () => performance.now()) {
    this.settings = settings;
    this.now = now;
    this.tokens = settings.burst;
    this.updatedAt = now();
  }

  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.settings.burst, this.tokens + elapsedSeconds * this.settings.rps);
    this.updatedAt = now;
  }
}

/** `false`, or a rate of 0, turns the quota off. */
export function resolveQuota(options: {
  quota?: boolean | undefined;
  rps?: number | undefined;
  burst?: number | undefined;
}): QuotaSettings | false {
  if (options.quota === false || options.rps === 0) return false;
  const rps = options.rps ?? DEFAULT_QUOTA.rps;
  const burst = options.burst ?? DEFAULT_QUOTA.burst;
  if (!Number.isFinite(rps) || rps < 0)
    throw new InvalidQuotaError(`rps must be a number >= 0, got ${rps}`);
  if (!Number.isInteger(burst) || burst < 1) {
    throw new InvalidQuotaError(`burst must be a whole number >= 1, got ${burst}`);
  }
  return { rps, burst };
}
