import type { CallBudget } from "./budget";
import { ConnectPermanentError, ConnectTransientError, isTransientConnectError } from "./errors";
import type { ConnectOperationName } from "./model";
import { describeProblems, validateConnectInput } from "./model/validate";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Throttled requests are refused before Connect acts on them. */
const REFUSED_UNREAD = new Set(["ThrottlingException", "TooManyRequestsException"]);

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

/** Told about every request sent to Connect, for metrics and tests. */
export type ConnectCallObserver = (call: {
  operation: string;
  outcome: string;
  durationMs: number;
}) => void;

export interface ConnectCallerOptions {
  /** Every attempt, retries too, takes a token of its operation first. */
  budget: CallBudget;
  retry?: RetryPolicy;
  observe?: ConnectCallObserver;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How one request reaches Connect: checked against the model, paced to the
 * quota, retried with backoff while the failure is transient, classified
 * permanent otherwise, every attempt observed. Paged operations read every page.
 */
export class ConnectCaller {
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ConnectCallerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Checks a request against the Connect model before it is sent: a request
   * Connect would refuse fails here for good, naming the fields, without
   * spending a call of the quota.
   */
  valid<T extends object>(operation: ConnectOperationName, input: T): T {
    const problems = validateConnectInput(operation, input);
    if (problems.length > 0) {
      throw new ConnectPermanentError(operation, "InvalidConnectInput", describeProblems(problems));
    }
    return input;
  }

  /**
   * Every page of a paged operation: the same input with each NextToken in
   * turn, checked against the model, each page one paced request.
   */
  async everyPage<Input extends object, Page extends { NextToken?: string }, Item>(
    operation: ConnectOperationName,
    input: Input,
    request: (input: Input & { NextToken?: string }) => Promise<Page>,
    items: (page: Page) => Item[] | undefined,
  ): Promise<Item[]> {
    const all: Item[] = [];
    let token: string | undefined;
    do {
      const pageInput = this.valid(operation, { ...input, NextToken: token });
      const page = await this.send(operation, () => request(pageInput));
      all.push(...(items(page) ?? []));
      if (page.NextToken !== undefined && page.NextToken === token) {
        throw new ConnectPermanentError(
          operation,
          "PaginationLoop",
          "the same NextToken came back twice",
        );
      }
      token = page.NextToken;
    } while (token);
    return all;
  }

  /**
   * Sends one request: paced, retried while the failure is transient.
   * Errors named in `expected` are returned as their name instead of thrown.
   * `sent.mayHaveApplied` tells whether a failed attempt may still have
   * been carried out (any failure but throttling).
   */
  async send<Output, E extends string = never>(
    operation: ConnectOperationName,
    request: () => Promise<Output>,
    expected: readonly E[] = [],
    sent: { mayHaveApplied: boolean } = { mayHaveApplied: false },
  ): Promise<Output | E> {
    for (let attempt = 1; ; attempt++) {
      await this.options.budget.take(operation);
      const started = performance.now();
      try {
        const output = await request();
        this.options.observe?.({
          operation,
          outcome: "ok",
          durationMs: performance.now() - started,
        });
        return output;
      } catch (error) {
        const name = error instanceof Error ? error.name : "UnknownError";
        this.options.observe?.({
          operation,
          outcome: name,
          durationMs: performance.now() - started,
        });
        if ((expected as readonly string[]).includes(name)) return name as E;
        if (!isTransientConnectError(error)) {
          throw new ConnectPermanentError(
            operation,
            name,
            error instanceof Error ? error.message : String(error),
            {
              cause: error,
            },
          );
        }
        if (!REFUSED_UNREAD.has(name)) sent.mayHaveApplied = true;
        if (attempt >= this.retry.maxAttempts) {
          throw new ConnectTransientError(operation, name, attempt, { cause: error });
        }
        // Full jitter: spreads the retries of concurrent workers instead of synchronising them.
        const ceiling = Math.min(
          this.retry.maxDelayMs,
          this.retry.baseDelayMs * 2 ** (attempt - 1),
        );
        await this.sleep(this.random() * ceiling);
      }
    }
  }
}
