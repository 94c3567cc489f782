import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { ApproveResult, ReconcileRun, ReconcileRuns } from "../app/ports/runs";

/** Reconciliation runs in DynamoDB, keyed by runId; runs expire after the retention. */
export class ReconcileRunRepository implements ReconcileRuns {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays = 90,
  ) {}

  async save(run: ReconcileRun): Promise<void> {
    const expiresAt = Math.floor(Date.parse(run.finishedAt) / 1000) + this.retentionDays * 86_400;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...run, expiresAt } }));
  }

  async get(runId: string): Promise<ReconcileRun | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { runId }, ConsistentRead: true }),
    );
    return Item as ReconcileRun | undefined;
  }

  /** Marks a held run approved, exactly once, even when two operators approve together. */
  async approve(runId: string, approvedBy: string, at: Date): Promise<ApproveResult> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { runId },
          UpdateExpression: "SET #status = :approved, approvedAt = :at, approvedBy = :by",
          ConditionExpression: "#status = :held",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":approved": "approved",
            ":held": "held",
            ":at": at.toISOString(),
            ":by": approvedBy,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { kind: "approved", run: Attributes as ReconcileRun };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const run = await this.get(runId);
      return run ? { kind: "not-held", status: run.status } : { kind: "not-found" };
    }
  }
}
