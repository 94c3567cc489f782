import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { GoodRoster, RosterHistory } from "../app/ports/roster-source";

/**
 * The last good roster of each HR source, one small item per source in the
 * reconcile-runs table (`roster#<source>`), without expiry: a roster is held
 * against it however long ago the last good one was.
 */
export class RosterHistoryRepository implements RosterHistory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lastGood(source: string): Promise<GoodRoster | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { runId: keyOf(source) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      employees: Number(Item.employees),
      asOf: String(Item.asOf),
      runId: String(Item.recordedBy),
    };
  }

  async recordGood(source: string, roster: GoodRoster): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            runId: keyOf(source),
            employees: roster.employees,
            asOf: roster.asOf,
            recordedBy: roster.runId,
          },
          // An older roster (a late approval of a held run) never replaces a newer one.
          ConditionExpression: "attribute_not_exists(runId) OR asOf <= :asOf",
          ExpressionAttributeValues: { ":asOf": roster.asOf },
        }),
      )
      .catch((error: unknown) => {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      });
  }
}

function keyOf(source: string): string {
  return `roster#${source}`;
}
