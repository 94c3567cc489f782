import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

/** One change the service made in Connect, and why. Holds ids and facet names, never personal data. */
export interface AuditEntry {
  employeeId: string;
  /** ISO time of the change, then a sequence number: the sort key. */
  at: string;
  eventId: string;
  /** What triggered it: joiner, mover, leaver, plus the event's source (webhook, reconcile, cli). */
  reason: string;
  operation: string;
  facets: string[];
  connectUserId: string;
  /**
   * "applied"; "adopted" when a retried call found that an earlier attempt,
   * whose answer was lost, had made the change (created or deleted the user);
   * "already-gone" or "already-in-place" when an attempt found the change made
   * before it called (an earlier attempt died before it saw the answer, or
   * someone else made it).
   */
  outcome: string;
}

/** Audit trail table: partition employeeId, sort key `at`; entries expire after the retention. */
export class AuditLog {
  private sequence = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async append(entry: Omit<AuditEntry, "at">, now: Date): Promise<void> {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const at = `${now.toISOString()}#${String(this.sequence).padStart(6, "0")}`;
    const expiresAt = Math.floor(now.getTime() / 1000) + this.retentionDays * 86_400;
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...entry, at, expiresAt } }),
    );
  }

  /** An employee's trail, oldest first. */
  async forEmployee(employeeId: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "employeeId = :id",
          ExpressionAttributeValues: { ":id": employeeId },
          ExclusiveStartKey,
        }),
      );
      entries.push(...((page.Items ?? []) as AuditEntry[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return entries;
  }
}
