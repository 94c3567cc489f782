import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { type ChaosReport, runChaos } from "../../src/local/chaos/run";

const USAGE = `usage: npm run chaos -- [--seed S] [--employees N] [--json] [--runs K] [--workers W] [--lag MS] [--leavers delete|disable]

  --seed S       the run's seed (default: a random one, printed)
  --employees N  employees with a random HR history (default 300)
  --runs K       K runs with seeds S, S+1, ... (default 1)
  --workers W    concurrent sync-worker containers (default 3)
  --lag MS       Connect's eventual consistency: each write shows to reads within 0..MS ms (seeded)
  --leavers P    what a leaver's user becomes: delete (default) or disable (then rehires get it back)
  --json         one JSON object per run on stdout (an array for several runs)`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name} must be a whole number`);
  return number;
}

/** The lines a person reads; the problems only when the run did not converge. */
export function describeRun(report: ChaosReport): string[] {
  const c = report.connect;
  const lines = [
    `seed ${report.seed}: ${report.converged ? "CONVERGED" : "NOT CONVERGED"} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  ${report.employees} employees, ${report.events} events; ${report.deliveries.webhookRequests} webhook requests (+${report.deliveries.webhookResends} resent), ${report.deliveries.queueMessages} straight to the queue, ${report.deliveries.duplicates} duplicates (${report.deliveries.sqsRedeliveries} past SQS deduplication), ${report.deliveries.reorderedEmployees} employees reordered, ${report.deliveries.garbageMessages} garbage messages, ${report.deliveries.hostileRequests} hostile requests`,
    `  ${report.workers} workers; deaths: ${report.workerDeaths.midBatch} after some records, ${report.workerDeaths.frozen} frozen mid-record, ${report.workerDeaths.timedOut} timed out; Connect: ${c.calls} calls, ${c.quotaThrottled} throttled by the quota, injected ${c.injected.throttle} throttles, ${c.injected.internal} internal errors, ${c.injected.appliedThenFailed + c.injected.dropped} applied-then-failed (${c.injected.dropped} dropped)`,
    `  outcomes: ${Object.entries(report.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `  drift injected ${report.drift.injected}; reconciliation ${report.reconcile?.status ?? "not run"}, ${report.reconcile?.queued ?? 0} repairs queued; mismatches before it ${report.drift.mismatchesBeforeReconcile}`,
    `  mismatches ${report.mismatches}, duplicateUsernames ${report.duplicateUsernames}, duplicateAgents ${report.duplicateAgents}, protectedTouched ${report.protectedTouched}, unmanagedTouched ${report.unmanagedTouched}, missingAudit ${report.missingAudit}, phantomAudit ${report.phantomAudit}`,
    `  DLQ: ${report.deadLetters.found} messages for ${report.deadLetters.expected} invalid inputs, ${report.deadLetters.unexpected} unexpected, ${report.deadLetters.missing} missing; webhook anomalies ${report.webhookAnomalies}`,
  ];
  if (!report.converged) lines.push(...report.problems.map((p) => `  ! ${p}`));
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let seed: number;
  let employees: number;
  let runs: number;
  let workers: number;
  let lag: number;
  try {
    seed = positiveInt("--seed", values.seed, randomInt(1, 2 ** 31 - 1));
    employees = positiveInt("--employees", values.employees, 300);
    runs = Math.max(1, positiveInt("--runs", values.runs, 1));
    workers = Math.max(1, positiveInt("--workers", values.workers, 3));
    lag = positiveInt("--lag", values.lag, 0);
    if (values.leavers !== undefined && values.leavers !== "delete" && values.leavers !== "disable")
      throw new Error("--leavers must be delete or disable");
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  const reports: ChaosReport[] = [];
  for (let i = 0; i < runs; i++) {
    const runSeed = seed + i;
    if (!values.json)
      console.log(
        `chaos run with seed ${runSeed} (rerun: npm run chaos -- --seed ${runSeed} --employees ${employees}${lag ? ` --lag ${lag}` : ""}${values.leavers ? ` --leavers ${values.leavers}` : ""})`,
      );
    const report = await runChaos({
      seed: runSeed,
      employees,
      workers,
      lag,
      leavers: values.leavers as "delete" | "disable" | undefined,
      onProgress: values.json ? undefined : (step) => console.error(`  … ${step}`),
    });
    reports.push(report);
    if (!values.json) console.log(describeRun(report).join("\n"));
  }
  if (values.json) console.log(JSON.stringify(runs === 1 ? reports[0] : reports));
  else if (runs > 1) {
    const failed = reports.filter((r) => !r.converged).map((r) => r.seed);
    console.log(
      `${reports.length - failed.length} of ${reports.length} runs converged${failed.length ? `; failing seeds: ${failed.join(", ")}` : ""}`,
    );
  }
  return reports.every((r) => r.converged) ? 0 : 1;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      seed: { type: "string" },
      employees: { type: "string" },
      runs: { type: "string" },
      workers: { type: "string" },
      lag: { type: "string" },
      leavers: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}
