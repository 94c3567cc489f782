import type { ConnectOperationName } from "./model/index";
import { Pacer } from "./pacer";
import type { RateLimit } from "./quota-spec";

/**
 * Where a caller gets permission to send one request of an operation to
 * Connect: it resolves when the request may go. Connect throttles each
 * operation separately, per account and Region, so budgets are per operation.
 */
export interface CallBudget {
  take(operation: ConnectOperationName): Promise<void>;
}

/** One in-process token bucket per operation: a caller that has Connect to itself. */
export class ProcessBudget implements CallBudget {
  private readonly pacers = new Map<ConnectOperationName, Pacer>();

  constructor(private readonly limits: Readonly<Record<ConnectOperationName, RateLimit>>) {}

  take(operation: ConnectOperationName): Promise<void> {
    let pacer = this.pacers.get(operation);
    if (!pacer) {
      const { rps, burst } = this.limits[operation];
      pacer = new Pacer(rps, burst);
      this.pacers.set(operation, pacer);
    }
    return pacer.take();
  }
}

/**
 * One in-process bucket for every operation: a static share of a quota all
 * operations were assumed to share (CONNECT_RPS), the service's first model.
 */
export class OneBucketBudget implements CallBudget {
  constructor(private readonly pacer: Pacer) {}

  take(): Promise<void> {
    return this.pacer.take();
  }
}
