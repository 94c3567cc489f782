import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { HrEvent } from "../../src/domain/hr";
import { SAMPLE_RULES_FILE } from "../../src/local/stack";
import { loadRulesFile } from "../../src/runtime/config";
import { naiveDrain } from "../baselines/naive";
import { pacedDrain, SAMPLE_PAUSE_MS, SAMPLE_QUOTA_RPS } from "../baselines/paced";
import { type ColdStart, coldStartBenchmark, type FunctionName } from "./cold-start";
import {
  type BaselineResult,
  baselineDrain,
  capacity,
  type DrainResult,
  type Quota,
  serviceDrain,
  startBenchWorld,
} from "./drain";
import { type ReconcileResult, reconcileBenchmark } from "./reconcile";
import { benchWorkload, desiredSpec, instanceIds } from "./workload";

export const PARTS = ["drain", "baselines", "reconcile", "cold-start"] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  seed: number;
  quota: Quota;
  workers: number;
  /** Employees in the backlog (about 2.3 events each). */
  employees: number;
  reconcileUsers: number;
  coldStartRepeats: number;
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
  reconcile?: ReconcileResult;
  coldStart?: Record<FunctionName, ColdStart>;
  coldStartReference?: { bundleBytes: number; importMs: number; repeats: number };
  targets: Record<string, Target>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

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
      const drain = await serviceDrain(world, workload, { workers, quota, today });
      const admitted = drain.calls - drain.quotaThrottled;
      const allowed = capacity(quota, drain.windowMs);
      report.drain = {
        ...drain,
        quotaUtilization: drain.writes / allowed,
        requestUtilization: admitted / allowed,
        throttleRatio: ratio(drain.quotaThrottled, drain.calls),
        callsPerEvent: ratio(drain.calls, drain.events),
        callsPerEventRatio: ratio(drain.calls, drain.fewestCalls),
      };

      progress(
        "drain again, reading every leaver before its deletion (protected.maxAgeSeconds: 0)",
      );
      const exactWorld = await startBenchWorld(options.employees, quota);
      try {
        const rulesFile = join(await mkdtemp(join(tmpdir(), "bench-rules-")), "rules.yaml");
        const shipped = await readFile(SAMPLE_RULES_FILE, "utf8");
        if (!/maxAgeSeconds: \d+/.test(shipped))
          throw new Error("the sample rules set no maxAgeSeconds");
        await writeFile(rulesFile, shipped.replace(/maxAgeSeconds: \d+/, "maxAgeSeconds: 0"));
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
    add("drain.eventsLost", "0", d.eventsLost, d.eventsLost === 0 && d.unconverged === 0);
  }
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
