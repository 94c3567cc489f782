import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { formatQuotaSpec, scaledConnectQuotas } from "../../src/connect/quota-spec";
import type { HrEvent } from "../../src/domain/hr";
import { SAMPLE_RULES_FILE } from "../../src/local/stack";
import { loadRulesFile } from "../../src/runtime/config";
import { naiveDrain } from "../baselines/naive";
import { pacedDrain, SAMPLE_PAUSE_MS, SAMPLE_QUOTA_RPS } from "../baselines/paced";
import type { BenchOptions, BenchReport, Part } from "./bench-report";
import { coldStartBenchmark } from "./cold-start";
import { baselineDrain, capacity, serviceDrain, startBenchWorld } from "./drain";
import { perOperationDrain } from "./per-operation";
import { reconcileBenchmark } from "./reconcile";
import { targets } from "./targets";
import {
  benchWorkload,
  desiredSpec,
  instanceIds,
  reorgWorkload,
  singleWorkerWorkload,
} from "./workload";

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
        `drain again under Connect's per-operation quotas x${options.quotaScale}, the budgets shared as deployed`,
      );
      report.drain.perOperation = await perOperationDrain(
        { ...workload, setup: [] },
        {
          workers,
          scale: options.quotaScale,
          today,
          pacing: { kind: "shared-per-operation" },
          rulesFile: await benchRules(),
        },
      );

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
    report.coldStartReference = {
      ...cold.baseline,
      repeats: cold.repeats,
      treeShaken: cold.treeShakenBaseline,
      joined: cold.joinedBaseline,
    };
  }

  report.targets = targets(report);
  return report;
}
