import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry, AuditHistory, AuditTrail } from "../app/ports/audit";
import { type EmployeeRef, employeeKey } from "../domain/employee-key";

/** Audit trail table: partition `source#employeeId`, sort key `at`; entries expire after the retention. */
export class AuditLog implements AuditTrail, AuditHistory {
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
      new PutCommand({
        TableName: this.tableName,
        Item: { ...entry, employeeKey: employeeKey(entry), at, expiresAt },
      }),
    );
  }

  /** An employee's trail, oldest first. */
  async forEmployee(employee: EmployeeRef): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "employeeKey = :key",
          ExpressionAttributeValues: { ":key": employeeKey(employee) },
          ExclusiveStartKey,
        }),
      );
      for (const { employeeKey: _, ...entry } of page.Items ?? [])
        entries.push(entry as AuditEntry);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return entries;
  }
}
