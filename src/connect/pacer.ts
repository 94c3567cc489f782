/**
 * A token bucket that makes callers wait instead of being throttled:
 * `rate` requests per second on average, at most `burst` at once. Connect's
 * user operations allow about 2/s with a burst of 5 per account and Region,
 * shared by every caller, so each worker paces itself to its share.
 */
export class Pacer {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(rate > 0) || !(burst >= 1)) throw new RangeError("Pacer needs rate > 0 and burst >= 1");
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when the caller may send one request. Callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeInOrder());
    this.queue = turn;
    return turn;
  }

  private async takeInOrder(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.wait(((1 - this.tokens) / this.rate) * 1000);
    }
  }
}
