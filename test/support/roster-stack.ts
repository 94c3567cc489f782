import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { vi } from "vitest";
import type { AuditEntry } from "../../src/app/ports/audit";
import type { ReconcileRun } from "../../src/app/ports/runs";
import type { HrRecord } from "../../src/domain/hr";
import { LOCAL_CREDENTIALS } from "../../src/local/aws-stand-ins";
import { lambdaContext } from "../../src/local/lambda-shapes";
import { LOCAL_ROSTER } from "../../src/local/roster-bucket";
import { type LocalStack, startLocalStack } from "../../src/local/stack";
import { EventPublisher } from "../../src/queue/publisher";
import { documentClient, dynamoDbClient } from "../../src/runtime/aws-clients";
import { loadReconcileConfig } from "../../src/runtime/config";
import { metrics } from "../../src/runtime/observability";
import { reconcileHandler } from "../../src/runtime/reconcile";
import { AuditLog } from "../../src/store/audit";
import { ReconcileRunRepository } from "../../src/store/runs";
import { employeeRecord, hrEvent } from "./hr-fixtures";

const SCHEDULE_EVENT = JSON.parse(
  readFileSync(new URL("../../events/schedule/reconcile.json", import.meta.url), "utf8"),
);

export const ROSTER_HEADER =
  "employeeId,firstName,lastName,email,department,location,jobCode,status,startDate,endDate";

/** A roster CSV with import's columns: one line per record. */
export function rosterCsv(records: readonly HrRecord[]): string {
  const cell = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  const lines = records.map((r) =>
    [
      r.employeeId,
      r.firstName,
      r.lastName,
      r.email,
      r.department,
      r.location,
      r.jobCode,
      r.status,
      r.startDate,
      r.endDate,
    ]
      .map(cell)
      .join(","),
  );
  return `${[ROSTER_HEADER, ...lines].join("\n")}\n`;
}

/** What one invocation of the real reconcile handler did: its answer or its error, and the metrics it raised. */
export interface HandlerRun {
  answer?: { runId: string; status: string };
  error?: Error;
  metrics: string[];
  run?: ReconcileRun;
}

/**
 * One HR source of a shared world: its employees, its roster and its roster
 * history are its own, so that the tests of one file share one stack.
 */
export interface RosterFeed {
  source: string;
  /** Hires by webhook (a queued event of this source), as HR's feed would; waits for the worker. */
  hire(...records: HrRecord[]): Promise<void>;
  /** Drops a new export under `<source>/` in the local S3; answers its s3:// location. */
  upload(csv: string): Promise<string>;
  /** This source's roster in the local S3 (under `<source>/`), with these extra keys: rosters-file lines. */
  s3Roster(...extra: string[]): string[];
  /** A rosters file whose only roster is this source's: these lines (default: the S3 one). */
  rostersFile(entry?: string[]): Promise<string>;
  audit(employeeId: string): Promise<AuditEntry[]>;
}

export interface RosterWorld {
  stack: LocalStack;
  /** A source of its own for one test. */
  feed(source: string): RosterFeed;
  /** Hires by webhook (a queued canonical event), as HR's feed would; waits for the worker. */
  hire(...records: HrRecord[]): Promise<void>;
  /** Runs the real reconcile handler on the schedule's event, with these variables over the stack's. */
  reconcile(env?: Record<string, string>): Promise<HandlerRun>;
  user(username: string): Record<string, unknown> | undefined;
  users(): Record<string, unknown>[];
  audit(employeeId: string): Promise<AuditEntry[]>;
  /** A rosters file of this YAML, for ROSTERS_FILE. */
  rostersFile(yaml: string): Promise<string>;
  close(): Promise<void>;
}

/** The local stack with the canonical roster in the local S3 (`local --roster`), starting from `initial`. */
export async function startRosterWorld(initial: readonly HrRecord[] = []): Promise<RosterWorld> {
  const dir = await mkdtemp(join(tmpdir(), "roster-"));
  const csv = join(dir, "roster.csv");
  await writeFile(csv, rosterCsv(initial));
  const stack = await startLocalStack({
    quota: { rps: 200, burst: 200 },
    bambooHrEmployees: [],
    hiBobEmployees: [],
    rosterFile: csv,
  });
  const sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const documents = documentClient(dynamoDbClient(stack.env));
  const publisher = new EventPublisher(sqs, stack.env.QUEUE_URL ?? "");
  const runs = new ReconcileRunRepository(documents, stack.env.RECONCILE_RUNS_TABLE ?? "");
  const auditLog = new AuditLog(documents, stack.env.AUDIT_TABLE ?? "", 400);
  const s3 = new S3Client({
    endpoint: stack.aws.s3Endpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  let files = 0;
  const writeRosters = async (yaml: string) => {
    files += 1;
    const file = join(dir, `rosters-${files}.yaml`);
    await writeFile(file, yaml);
    return file;
  };
  let exports = 0;
  const feed = (source: string): RosterFeed => {
    const s3Roster = (...extra: string[]) => [
      "kind: s3",
      `bucket: ${LOCAL_ROSTER.bucket}`,
      `prefix: ${source}/`,
      ...extra,
    ];
    return {
      source,
      async hire(...records) {
        await publisher.publish(records.map((record) => hrEvent({ record, source })));
        await stack.runner.drained();
      },
      async upload(csv) {
        exports += 1;
        // Keys that sort in upload order: two uploads in one second are still told apart.
        const key = `${source}/roster-${String(exports).padStart(6, "0")}.csv`;
        await s3.send(new PutObjectCommand({ Bucket: LOCAL_ROSTER.bucket, Key: key, Body: csv }));
        return `s3://${LOCAL_ROSTER.bucket}/${key}`;
      },
      s3Roster,
      rostersFile(entry = s3Roster()) {
        const lines = ["version: 1", "rosters:", `  ${source}:`, ...entry.map((l) => `    ${l}`)];
        return writeRosters(`${lines.join("\n")}\n`);
      },
      audit: (employeeId) => auditLog.forEmployee({ source, employeeId }),
    };
  };
  return {
    stack,
    feed,
    async hire(...records) {
      await publisher.publish(records.map((record) => hrEvent({ record })));
      await stack.runner.drained();
    },
    async reconcile(extra = {}) {
      const env = { ...stack.env, CONNECT_RPS: "200", CONNECT_BURST: "200", ...extra };
      const handler = reconcileHandler(loadReconcileConfig(env), env);
      const raised = vi.spyOn(metrics, "addMetric");
      try {
        const answer = (await handler(SCHEDULE_EVENT, lambdaContext("reconcile", 900_000))) as {
          runId: string;
          status: string;
        };
        await stack.runner.drained();
        const names = raised.mock.calls.map((call) => call[0]);
        return { answer, metrics: names, run: await runs.get(answer.runId) };
      } catch (error) {
        await stack.runner.drained();
        return { error: error as Error, metrics: raised.mock.calls.map((call) => call[0]) };
      } finally {
        raised.mockRestore();
      }
    },
    user: (username) => stack.emulator.dumpState().users.find((u) => u.Username === username),
    users: () => stack.emulator.dumpState().users,
    audit: (employeeId) => auditLog.forEmployee({ source: "canonical", employeeId }),
    rostersFile: writeRosters,
    async close() {
      sqs.destroy();
      s3.destroy();
      await stack.close();
    },
  };
}

/** Employees R1..Rn as the fixtures make them (Support, London: uk-support). */
export const staff = (...ids: string[]) => ids.map((id) => employeeRecord(id));
