import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { formatQuotaSpec, scaledConnectQuotas } from "../../src/connect/quota-spec";
import type { HrEvent } from "../../src/domain/hr";
import { SAMPLE_RULES_FILE } from "../../src/local/stack";
import { loadRulesFile } from "../../src/runtime/config";
import { naiveDrain } from "../baselines/naive";
import { pacedDrain, SAMPLE_PAUSE_MS, SAMPLE_QUOTA_RPS } from "../baselines/paced";
import {
  type ColdStart,
  coldStartBenchmark,
  coldStartTargets,
  type FunctionName,
} from "./cold-start";
import {
  type BaselineResult,
  baselineDrain,
  capacity,
  type DrainResult,
  type Quota,
  serviceDrain,
  startBenchWorld,
} from "./drain";
import { type PerOperationResult, perOperationDrain } from "./per-operation";
import { type ReconcileResult, reconcileBenchmark } from "./reconcile";
import {
  benchWorkload,
  type ConvergenceFigures,
  desiredSpec,
  instanceIds,
  reorgWorkload,
  singleWorkerWorkload,
} from "./workload";

export const PARTS = [
  "drain",
  "baselines",
  "reorg",
  "single-worker",
  "reconcile",
  "cold-start",
] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  seed: number;
  quota: Quota;
  workers: number;
  /** Employees in the backlog (about 2.3 events each). */
  employees: number;
  reconcileUsers: number;
  coldStartRepeats: number;
  /** Connect's per-operation quotas times this in the reorg and single-worker parts. */
  quotaScale: number;
  /** Employees in the reorganisation. */
  reorgEmployees: number;
  /** The single-worker backlog: a few employees, many moves each. */
  singleWorker: { employees: number; moves: number };
  parts: readonly Part[];
  onProgress?: (step: string) => void;
}

export interface Target {
  target: string;
  value: number;
  holds: boolean;
}

export interface BenchReport {
  command: string;
  at: string;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  seed: number;
  quota: Quota;
  drain?: DrainResult & {
    /** Connect write calls accepted, over what the quota allowed in the drain's window (burst + rate x window). */
    quotaUtilization: number;
    /** Every request the quota let through (reads too), over the same. */
    requestUtilization: number;
    /** Requests answered ThrottlingException by the quota, per request. */
    throttleRatio: number;
    callsPerEvent: number;
    /** Calls made (reads and retries too) over the fewest the backlog needs (the planner's writes). */
    callsPerEventRatio: number;
    /** The drain's window over the fewest milliseconds its one shared bucket allowed its requests in. */
    timeOverLowerBound: number;
  };
  /**
   * The same drain with `protected.maxAgeSeconds: 0`: every leaver read again
   * (DescribeUser) right before its deletion. What the exact check costs.
   */
  exactProtection?: {
    quotaUtilization: number;
    requestUtilization: number;
    callsPerEventRatio: number;
    calls: number;
    windowMs: number;
    /** Its drain time divided by the service's with the shipped rules. */
    timeRatio: number;
    eventsLost: number;
    unconverged: number;
  };
  baselines?: {
    naive: BaselineResult & { throttleRatio: number; callsPerEventRatio: number };
    paced: BaselineResult & { throttleRatio: number; pauseMs: number };
    /** The service's drain time divided by the naive worker's. */
    naiveTimeRatio: number;
    /** The service's drain time divided by the 600 ms paced script's. */
    pacedTimeRatio: number;
  };
  /** Connect's per-operation quotas (times `scale`), for the reorg and single-worker parts. */
  perOperationQuota?: { scale: number; spec: string };
  reorg?: PerOperationResult & {
    /** The same reorganisation paced by the static split this replaced. */
    sharedSplit: PerOperationResult;
    /** Its drain time over today's. */
    speedupOverSharedSplit: number;
    /** A candidate not chosen: no budget, the SDK's adaptive retry mode in each container. */
    sdkAdaptive: PerOperationResult;
  };
  singleWorker?: PerOperationResult;
  reconcile?: ReconcileResult;
  coldStart?: Record<FunctionName, ColdStart>;
  coldStartReference?: { bundleBytes: number; importMs: number; repeats: number };
  targets: Record<string, Target>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * The shipped rules for a backlog drain: its leavers are deleted rather than
 * held for a person by the hourly leaver guard (`guard.maxDeletesPerHour`),
 * optionally with another `protected.maxAgeSeconds`. Answers the file's path.
 */
async function benchRules(change: { maxAgeSeconds?: number } = {}): Promise<string> {
  const shipped = await readFile(SAMPLE_RULES_FILE, "utf8");
  const replace = (text: string, pattern: RegExp, by: string) => {
    if (!pattern.test(text)) throw new Error(`the sample rules have no ${pattern.source}`);
    return text.replace(pattern, by);
  };
  let rules = replace(shipped, /maxDeletesPerHour: \d+/, "maxDeletesPerHour: 1000000");
  if (change.maxAgeSeconds !== undefined)
    rules = replace(rules, /maxAgeSeconds: \d+/, `maxAgeSeconds: ${change.maxAgeSeconds}`);
  const file = join(await mkdtemp(join(tmpdir(), "bench-rules-")), "rules.yaml");
  await writeFile(file, rules);
  return file;
}

export async function runBench(options: BenchOptions, command: string): Promise<BenchReport> {
  const progress = options.onProgress ?? (() => undefined);
  const { quota, workers } = options;
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const report: BenchReport = {
    command,
    at: now.toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      platform: `${process.platform}-${process.arch}`,
    },
    seed: options.seed,
    quota,
    targets: {},
  };
  const wants = (part: Part) => options.parts.includes(part);

  if (wants("drain") || wants("baselines")) {
    const workload = benchWorkload(options.seed, options.employees, now);
    const world = await startBenchWorld(options.employees, quota);
    try {
      progress(
        `drain: ${workload.events.length} events of ${options.employees} employees, ${workers} workers, quota ${quota.rps}/s burst ${quota.burst}`,
      );
      const drain = await serviceDrain(world, workload, {
        workers,
        quota,
        today,
        rulesFile: await benchRules(),
      });
      const admitted = drain.calls - drain.quotaThrottled;
      const allowed = capacity(quota, drain.windowMs);
      report.drain = {
        ...drain,
        quotaUtilization: drain.writes / allowed,
        requestUtilization: admitted / allowed,
        throttleRatio: ratio(drain.quotaThrottled, drain.calls),
        callsPerEvent: ratio(drain.calls, drain.events),
        callsPerEventRatio: ratio(drain.calls, drain.fewestCalls),
        timeOverLowerBound: ratio(drain.windowMs, drain.lowerBoundMs),
      };

      progress(
        "drain again, reading every leaver before its deletion (protected.maxAgeSeconds: 0)",
      );
      const exactWorld = await startBenchWorld(options.employees, quota);
      try {
        const rulesFile = await benchRules({ maxAgeSeconds: 0 });
        const exact = await serviceDrain(exactWorld, workload, {
          workers,
          quota,
          today,
          rulesFile,
        });
        const exactAllowed = capacity(quota, exact.windowMs);
        report.exactProtection = {
          quotaUtilization: exact.writes / exactAllowed,
          requestUtilization: (exact.calls - exact.quotaThrottled) / exactAllowed,
          callsPerEventRatio: ratio(exact.calls, exact.fewestCalls),
          calls: exact.calls,
          windowMs: exact.windowMs,
          timeRatio: ratio(exact.windowMs, drain.windowMs),
          eventsLost: exact.eventsLost,
          unconverged: exact.unconverged,
        };
      } finally {
        await exactWorld.close();
      }

      if (wants("baselines")) {
        const rules = loadRulesFile(SAMPLE_RULES_FILE);
        const ids = instanceIds(world.initial);
        const common = (endpoint: string) => ({
          events: workload.events,
          desired: (event: HrEvent) => desiredSpec(event, rules, today, ids),
          endpoint,
          region: world.aws.region,
          instanceId: world.emulator.instanceId,
        });
        progress(`baseline: naive worker x${workers}, unpaced, SDK default retries`);
        const naive = await baselineDrain(world, workload, { quota, today }, (endpoint) =>
          naiveDrain({ ...common(endpoint), workers }),
        );
        const pauseMs = (SAMPLE_PAUSE_MS * SAMPLE_QUOTA_RPS) / quota.rps;
        progress(`baseline: one caller pausing ${pauseMs} ms after each call`);
        const paced = await baselineDrain(world, workload, { quota, today }, (endpoint) =>
          pacedDrain({ ...common(endpoint), quotaRps: quota.rps }),
        );
        report.baselines = {
          naive: {
            ...naive,
            throttleRatio: ratio(naive.quotaThrottled, naive.calls),
            callsPerEventRatio: ratio(naive.calls, drain.fewestCalls),
          },
          paced: { ...paced, throttleRatio: ratio(paced.quotaThrottled, paced.calls), pauseMs },
          naiveTimeRatio: ratio(drain.windowMs, naive.windowMs),
          pacedTimeRatio: ratio(drain.windowMs, paced.windowMs),
        };
      }
    } finally {
      await world.close();
    }
  }

  if (wants("reorg") || wants("single-worker")) {
    const scale = options.quotaScale;
    report.perOperationQuota = { scale, spec: formatQuotaSpec(scaledConnectQuotas(scale)) };
    const common = { workers, scale, today };
    if (wants("reorg")) {
      const workload = reorgWorkload(options.reorgEmployees, now);
      progress(
        `reorg: ${options.reorgEmployees} employees change routing profile, hierarchy and security profiles, ${workers} workers, Connect's quotas x${scale}`,
      );
      const shared = await perOperationDrain(workload, {
        ...common,
        pacing: { kind: "shared-per-operation" },
      });
      progress("reorg again, paced by the static split (one bucket, 1/(workers + 1) each)");
      const split = await perOperationDrain(workload, {
        ...common,
        pacing: { kind: "static-split" },
      });
      progress("reorg again, unpaced with the SDK's adaptive retry mode");
      const adaptive = await perOperationDrain(workload, {
        ...common,
        pacing: { kind: "sdk-adaptive" },
      });
      report.reorg = {
        ...shared,
        sharedSplit: split,
        sdkAdaptive: adaptive,
        speedupOverSharedSplit: ratio(split.windowMs, shared.windowMs),
      };
    }
    if (wants("single-worker")) {
      const { employees, moves } = options.singleWorker;
      progress(
        `single worker: ${employees} employees moving ${moves} times each, ${workers} workers`,
      );
      report.singleWorker = await perOperationDrain(singleWorkerWorkload(employees, moves, now), {
        ...common,
        pacing: { kind: "shared-per-operation" },
      });
    }
  }

  if (wants("reconcile")) {
    progress(`reconciliation of ${options.reconcileUsers} users`);
    report.reconcile = await reconcileBenchmark({
      users: options.reconcileUsers,
      quota,
      seed: options.seed,
    });
  }

  if (wants("cold-start")) {
    progress(`cold start: bundling each function, ${options.coldStartRepeats} imports each`);
    const cold = await coldStartBenchmark(options.coldStartRepeats);
    report.coldStart = cold.functions;
    report.coldStartReference = { ...cold.baseline, repeats: cold.repeats };
  }

  report.targets = targets(report);
  return report;
}

/**
 * Nothing lost and nothing wrong: every event processed, every employee's
 * user as their newest record says, no protected or unmanaged user touched,
 * the audit trail matching what Connect did.
 */
function intact(run: Omit<ConvergenceFigures, "examples"> & { eventsLost: number }): boolean {
  return (
    run.eventsLost === 0 &&
    run.unconverged === 0 &&
    run.protectedTouched === 0 &&
    run.unmanagedTouched === 0 &&
    run.missingAudit === 0 &&
    run.phantomAudit === 0
  );
}

function targets(report: BenchReport): Record<string, Target> {
  const out: Record<string, Target> = {};
  const add = (key: string, target: string, value: number | undefined, holds: boolean) => {
    if (value !== undefined) out[key] = { target, value, holds };
  };
  const d = report.drain;
  if (d) {
    add("drain.quotaUtilization", ">= 0.95", d.quotaUtilization, d.quotaUtilization >= 0.95);
    add("drain.throttleRatio", "<= 0.02", d.throttleRatio, d.throttleRatio <= 0.02);
    add("drain.callsPerEventRatio", "<= 1.05", d.callsPerEventRatio, d.callsPerEventRatio <= 1.05);
    add("drain.eventsLost", "0", d.eventsLost, intact(d));
    add("drain.timeOverLowerBound", "<= 1.10", d.timeOverLowerBound, d.timeOverLowerBound <= 1.1);
  }
  const perOperation = (key: string, p: PerOperationResult | undefined, bound: number) => {
    if (!p) return;
    add(
      `${key}.timeOverLowerBound`,
      `<= ${bound.toFixed(2)}`,
      p.timeOverLowerBound,
      p.timeOverLowerBound <= bound,
    );
    add(`${key}.throttleRatio`, "<= 0.02", p.throttleRatio, p.throttleRatio <= 0.02);
    add(`${key}.eventsLost`, "0", p.eventsLost, intact(p));
  };
  perOperation("reorg", report.reorg, 1.1);
  const o = report.reorg;
  if (o)
    add(
      "reorg.speedupOverSharedSplit",
      ">= 2.7",
      o.speedupOverSharedSplit,
      o.speedupOverSharedSplit >= 2.7,
    );
  perOperation("singleWorker", report.singleWorker, 1.15);
  if (report.coldStart) Object.assign(out, coldStartTargets(report.coldStart));
  const r = report.reconcile;
  if (r)
    add(
      "reconcile.readCalls",
      `<= ${r.readCallBound}`,
      r.readCalls,
      r.readCalls <= r.readCallBound,
    );
  return out;
}
