import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { RepairGrant, RepairGrants } from "../app/ports/grants";
import { type EmployeeRef, employeeKey } from "../domain/employee-key";

/** As long as a message can wait in the queue or the DLQ (SQS keeps it 14 days at most). */
const GRANT_DAYS = 14;

/**
 * Repair grants in the reconcile-runs table, one item per run and employee
 * (`grant#<runId>#<source>#<employeeId>`), expiring with the messages they vouch for.
 */
export class RepairGrantRepository implements RepairGrants {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(grants: readonly RepairGrant[]): Promise<void> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + GRANT_DAYS * 86_400;
    for (let start = 0; start < grants.length; start += 25) {
      let pending = grants.slice(start, start + 25).map((grant) => ({
        PutRequest: { Item: { ...grant, runId: grantKey(grant.runId, grant), expiresAt } },
      }));
      // DynamoDB may leave some of a batch unwritten under load: write those again.
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const { UnprocessedItems } = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
        if (attempt >= 5 && pending.length > 0)
          throw new Error(`${pending.length} repair grants could not be written`);
      }
    }
  }

  async find(runId: string, employee: EmployeeRef): Promise<RepairGrant | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { runId: grantKey(runId, employee) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { expiresAt: _, ...grant } = Item;
    return { ...(grant as RepairGrant), runId };
  }
}

function grantKey(runId: string, employee: EmployeeRef): string {
  return `grant#${runId}#${employeeKey(employee)}`;
}
