import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { EmployeeState, EmployeeStore, SaveResult } from "../app/ports/employees";
import { latestTrustedVersion } from "../domain/clock";
import { type EmployeeRef, employeeKey } from "../domain/employee-key";

/** Employees table: one item per employee of each source, keyed by `source#employeeId`. */
export class EmployeeRepository implements EmployeeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(employee: EmployeeRef): Promise<EmployeeState | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { employeeKey: employeeKey(employee) },
        ConsistentRead: true,
      }),
    );
    return Item && stateOf(Item);
  }

  /**
   * Writes the state unless a newer version is stored: a stale event never
   * undoes a newer one. A stored version further ahead of the clock than a
   * sender may be orders nothing and is replaced.
   */
  async save(state: EmployeeState): Promise<SaveResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...state, employeeKey: employeeKey(state) },
          ConditionExpression:
            "attribute_not_exists(employeeKey) OR #version <= :version OR #version > :trusted",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: {
            ":version": state.version,
            ":trusted": latestTrustedVersion(new Date(state.updatedAt)),
          },
        }),
      );
      return "saved";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "stale";
      throw error;
    }
  }

  async markMissing(employee: EmployeeRef, since: string | null): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { employeeKey: employeeKey(employee) },
          UpdateExpression: since === null ? "REMOVE missingSince" : "SET missingSince = :since",
          ConditionExpression: "attribute_exists(employeeKey)",
          ...(since === null ? {} : { ExpressionAttributeValues: { ":since": since } }),
        }),
      );
    } catch (error) {
      // The employee's state is gone meanwhile: nothing to note.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async *scan(): AsyncGenerator<EmployeeState> {
    for await (const page of paginateScan(
      { client: this.db },
      { TableName: this.tableName, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) yield stateOf(item);
    }
  }
}

/** The stored item without its key attribute. */
function stateOf(item: Record<string, unknown>): EmployeeState {
  const { employeeKey: _, ...state } = item;
  return state as unknown as EmployeeState;
}
