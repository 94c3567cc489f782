import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CallBudget } from "../connect/budget";
import type { ConnectOperationName } from "../connect/model/index";
import type { RateLimit } from "../connect/quota-spec";

/**
 * One operation's item: `tat`, the theoretical arrival time (ms since the
 * epoch) of the next request at the steady rate (GCRA, the token bucket
 * written as a single time), and a version for conditional writes.
 */
interface Schedule {
  tat: number;
  version: number;
}

/** Conflicting reservations in a row before a request gives up (and SQS delivers it again). */
const CONFLICTS = 25;

export interface TableBudgetOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Thrown when the budget cannot be read or kept: no token, so no request. */
export class BudgetUnavailableError extends Error {
  override readonly name = "BudgetUnavailableError";
}

/**
 * Connect's per-operation quotas kept in DynamoDB, one item per operation,
 * shared at run time by every worker and the reconciliation: a lone caller
 * gets the whole rate, several share it in the order they ask. A request
 * reserves its slot with one conditional write (on the item's version:
 * dynalite has no transactions and none is needed) and waits for the slot
 * without asking again, so waiting costs no reads and no caller starves.
 * Within a process the reservations of an operation go one at a time (they
 * would only conflict), the waits overlap. Without the table there is no
 * slot: the request fails and is retried, never sent over the quota.
 * docs/deploy.md, "Connect quotas".
 */
export class TableBudget implements CallBudget {
  private readonly reserving = new Map<ConnectOperationName, Promise<unknown>>();
  /** The item as this process last wrote it: a lone caller needs no read. */
  private readonly known = new Map<ConnectOperationName, Schedule>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limits: Readonly<Record<ConnectOperationName, RateLimit>>,
    options: TableBudgetOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async take(operation: ConnectOperationName): Promise<void> {
    const reservation = (this.reserving.get(operation) ?? Promise.resolve()).then(() =>
      this.reserve(operation),
    );
    this.reserving.set(
      operation,
      reservation.catch(() => undefined),
    );
    const slot = await reservation;
    const wait = slot - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  /** The time this request may go: the burst at once after a quiet spell, then one per 1/rate. */
  private async reserve(operation: ConnectOperationName): Promise<number> {
    const { rps, burst } = this.limits[operation];
    const interval = 1000 / rps;
    const tolerance = (burst - 1) * interval;
    for (let conflicts = 0; conflicts < CONFLICTS; conflicts++) {
      const schedule = this.known.get(operation) ?? (await this.read(operation));
      const now = this.now();
      const slot = Math.max(now, schedule.tat - tolerance);
      const next = { tat: Math.max(schedule.tat, now) + interval, version: schedule.version + 1 };
      if (await this.write(operation, schedule.version, next)) {
        this.known.set(operation, next);
        return slot;
      }
      this.known.delete(operation);
    }
    throw new BudgetUnavailableError(
      `${operation}: the shared budget kept changing under other callers (${CONFLICTS} tries)`,
    );
  }

  private async read(operation: ConnectOperationName): Promise<Schedule> {
    const { Item } = await this.reach(operation, () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { operation }, ConsistentRead: true }),
      ),
    );
    if (!Item) return { tat: 0, version: 0 };
    return { tat: Number(Item.tat), version: Number(Item.version) };
  }

  /** false when another caller wrote the item first. */
  private async write(
    operation: ConnectOperationName,
    version: number,
    next: Schedule,
  ): Promise<boolean> {
    try {
      await this.reach(operation, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { operation },
            UpdateExpression: "SET tat = :tat, version = :next",
            ConditionExpression:
              version === 0 ? "attribute_not_exists(version)" : "version = :version",
            ExpressionAttributeValues: {
              ":tat": next.tat,
              ":next": next.version,
              ...(version === 0 ? {} : { ":version": version }),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A table that cannot be reached gives no slot. */
  private async reach<T>(operation: ConnectOperationName, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw new BudgetUnavailableError(
        `${operation}: the shared budget table cannot be reached (${(error as Error).name})`,
        { cause: error },
      );
    }
  }
}
