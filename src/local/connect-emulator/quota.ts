/**
 * The request quota: token buckets shared by every caller, as Connect's
 * per-account, per-Region limits are. By default one bucket per operation
 * (Connect's documented defaults, src/connect/quotas.ts); or one bucket for
 * every operation (`rps`/`burst`, the emulator's first model, kept for the
 * local stack, benchmarks and tests). Each AWS-surface request takes a token
 * from its bucket; an empty bucket answers ThrottlingException without
 * touching state.
 */
import type { ConnectOperationName } from "../../connect/model/index";
import type { RateLimit } from "../../connect/quota-spec";
import { CONNECT_API_QUOTAS } from "../../connect/quotas";

export type { RateLimit };

export interface SharedQuota extends RateLimit {
  readonly mode: "shared";
}

export interface PerOperationQuota {
  readonly mode: "per-operation";
  readonly operations: Readonly<Record<ConnectOperationName, RateLimit>>;
}

export type QuotaSettings = SharedQuota | PerOperationQuota;

/** The shared bucket's default, Connect's documented 2 requests/s with a burst of 5. */
export const DEFAULT_QUOTA: RateLimit = { rps: 2, burst: 5 };

export class InvalidQuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidQuotaError";
  }
}

export class TokenBucket {
  readonly settings: RateLimit;
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  /** `now` returns milliseconds; injectable so the arithmetic can be tested without waiting. */
  constructor(settings: RateLimit, now: () => number = () => performance.now()) {
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

/** The buckets of one QuotaSettings, each starting full. */
export class QuotaGate {
  readonly settings: QuotaSettings;
  private readonly shared: TokenBucket | undefined;
  private readonly byOperation = new Map<ConnectOperationName, TokenBucket>();

  constructor(settings: QuotaSettings, now?: () => number) {
    this.settings = settings;
    if (settings.mode === "shared") {
      this.shared = new TokenBucket(settings, now);
      return;
    }
    for (const [operation, limit] of Object.entries(settings.operations)) {
      this.byOperation.set(operation as ConnectOperationName, new TokenBucket(limit, now));
    }
  }

  tryTake(operation: ConnectOperationName): boolean {
    const bucket = this.shared ?? this.byOperation.get(operation);
    return bucket ? bucket.tryTake() : true;
  }

  /** The settings with each bucket's tokens left, and each operation's Service Quotas code. */
  describe() {
    if (this.shared) {
      return { ...this.settings, available: this.shared.available() };
    }
    const operations: Record<string, RateLimit & { quotaCode: string; available: number }> = {};
    for (const [operation, bucket] of this.byOperation) {
      operations[operation] = {
        ...bucket.settings,
        quotaCode: CONNECT_API_QUOTAS[operation].quotaCode,
        available: bucket.available(),
      };
    }
    return { mode: this.settings.mode, operations };
  }
}
