import type { BenchReport, Target } from "./bench-report";
import { coldStartTargets } from "./cold-start";
import type { PerOperationResult } from "./per-operation";
import type { ConvergenceFigures } from "./workload";

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

/** Each figure with a target (issues #16 and #20): its bound, its value, whether it holds. */
export function targets(report: BenchReport): Record<string, Target> {
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
  perOperation("drain.perOperation", report.drain?.perOperation, 1.1);
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
