import type { ColdStart, FunctionName } from "./cold-start";
import type { BaselineResult, DrainResult, Quota } from "./drain";
import type { PerOperationResult } from "./per-operation";
import type { ReconcileResult } from "./reconcile";

/** What `npm run bench` runs (its parts and options) and the report it writes. */

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
    /**
     * The same backlog under Connect's per-operation quotas (x the quota scale) with the budgets
     * every worker shares, as deployed: its timeOverLowerBound is over the largest, over
     * operations, of (calls - burst) / rate.
     */
    perOperation?: PerOperationResult;
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
  coldStartReference?: {
    bundleBytes: number;
    importMs: number;
    repeats: number;
    treeShaken: { bundleBytes: number; importMs: number };
    /** The yardstick with its startup chunks joined, nothing dropped. */
    joined?: { bundleBytes: number; importMs: number };
  };
  targets: Record<string, Target>;
}
