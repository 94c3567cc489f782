import { createHash } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { LeaverBreaker } from "../app/ports/breaker";
import { DRIFT_CLASSES, type DriftEntry } from "../domain/drift";

const WINDOW_ITEM = "breaker#window";
const HOUR_MS = 3_600_000;
/** Conflicting writers retry this often before the request fails (and SQS retries it). */
const ATTEMPTS = 8;

/** One deletion or disable the window counts: when, and a digest of the event that asked for it. */
interface Counted {
  at: string;
  leaver?: string;
}

/** A fixed-size digest: the window item stays small, and holds no sender's id as given. */
const digest = (leaver: string) => createHash("sha256").update(leaver).digest("hex").slice(0, 32);

/**
 * The breaker in the reconcile-runs table: one item holds the times of the
 * last hour's deletions and disables, each with a digest of its event so
 * that a retried event is not counted twice (written with a version check, since
 * dynalite has no transactions), and each UTC hour's held leavers are a run
 * (`breaker-<hour>`) that `approve` releases as the reconciliation's are.
 */
export class LeaverBreakerRepository implements LeaverBreaker {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays = 90,
  ) {}

  async admit(limit: number, now: Date, leaver: string): Promise<boolean> {
    const key = digest(leaver);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { runId: WINDOW_ITEM },
          ConsistentRead: true,
        }),
      );
      const version = Number(Item?.version ?? 0);
      // `times`: the window as written before events were told apart, read until it is rewritten.
      const legacy: Counted[] = ((Item?.times as string[] | undefined) ?? []).map((at) => ({ at }));
      const recent = [...legacy, ...((Item?.counted as Counted[] | undefined) ?? [])].filter(
        ({ at }) => now.getTime() - Date.parse(at) < HOUR_MS,
      );
      if (recent.some((c) => c.leaver === key)) return true;
      if (recent.length >= limit) return false;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { runId: WINDOW_ITEM },
            UpdateExpression: "SET counted = :counted, version = :next REMOVE times",
            ConditionExpression: "attribute_not_exists(version) OR version = :version",
            ExpressionAttributeValues: {
              ":counted": [...recent, { at: now.toISOString(), leaver: key }],
              ":next": version + 1,
              ":version": version,
            },
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error("the leaver breaker's window kept changing under concurrent writers");
  }

  async hold(entry: DriftEntry, now: Date): Promise<string> {
    const hour = now.toISOString().slice(0, 13).replace(/[-T]/g, "");
    // An hour whose holds were approved already starts a second run for the rest.
    for (const runId of [`breaker-${hour}`, `breaker-${hour}-${now.getTime()}`]) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { runId },
            UpdateExpression:
              "SET held = list_append(if_not_exists(held, :none), :entry), #status = :held, " +
              "startedAt = if_not_exists(startedAt, :now), finishedAt = :now, dryRun = :false, " +
              "counts = if_not_exists(counts, :counts), changes = if_not_exists(changes, :none), " +
              "changesTruncated = :false, queued = :zero, notQueued = if_not_exists(notQueued, :none), " +
              "expiresAt = :expires, guard = :guard",
            ConditionExpression: "attribute_not_exists(runId) OR #status = :held",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":entry": [entry],
              ":none": [],
              ":held": "held",
              ":now": now.toISOString(),
              ":false": false,
              ":zero": 0,
              ":counts": Object.fromEntries(DRIFT_CLASSES.map((c) => [c, 0])),
              ":expires": Math.floor(now.getTime() / 1000) + this.retentionDays * 86_400,
              ":guard": {
                held: true,
                deletions: 0,
                managed: 0,
                reason:
                  "more deletions and disables from HR events within an hour than guard.maxDeletesPerHour",
              },
            },
          }),
        );
        return runId;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error("no breaker run could hold the leaver");
  }
}
