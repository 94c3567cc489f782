import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from "@aws-sdk/lib-dynamodb";
import type { AbsentReason, DesiredAgent } from "../domain/agent";
import type { HrRecord } from "../domain/hr";
import type { ConnectUser } from "../domain/plan";

/** What the service last decided and did for one employee. */
export interface EmployeeState {
  employeeId: string;
  /** occurredAt (UTC ISO) of the newest event applied; an older event never overwrites it. */
  version: string;
  lastEventId: string;
  /** The newest HR record (the HR directory for senders of full records). */
  record?: HrRecord;
  /** The HR system the record came from (e.g. "bamboohr"); absent for full-record senders. */
  source?: string;
  /** The agent the rules asked for, or why there is none. */
  desired:
    | { kind: "present"; agent: DesiredAgent }
    | { kind: "absent"; reason: AbsentReason; dueDate?: string };
  /** When the decision changes by itself (a scheduled start or leave). */
  dueDate?: string;
  /** The managed Connect user, as the service last left it. */
  connectUser?: ConnectUser;
  /** Why the last attempt failed for good, until an attempt succeeds. */
  lastError?: { name: string; message: string; at: string; eventId: string };
  updatedAt: string;
}

export type SaveResult = "saved" | "stale";

/** Employees table: one item per employee, keyed by employeeId. */
export class EmployeeRepository {
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
