import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from "@aws-sdk/lib-dynamodb";
import type { EmployeeState, EmployeeStore, SaveResult } from "../app/ports/employees";

/** Employees table: one item per employee, keyed by employeeId. */
export class EmployeeRepository implements EmployeeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(employeeId: string): Promise<EmployeeState | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { employeeId }, ConsistentRead: true }),
    );
    return Item as EmployeeState | undefined;
  }

  /** Writes the state unless a newer version is stored: a stale event never undoes a newer one. */
  async save(state: EmployeeState): Promise<SaveResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: state,
          ConditionExpression: "attribute_not_exists(employeeId) OR #version <= :version",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":version": state.version },
        }),
      );
      return "saved";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "stale";
      throw error;
    }
  }

  async *scan(): AsyncGenerator<EmployeeState> {
    for await (const page of paginateScan(
      { client: this.db },
      { TableName: this.tableName, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) yield item as EmployeeState;
    }
  }
}
