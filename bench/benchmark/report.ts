import type { BenchReport } from "./bench-report";
import { f2, f3, kib, s1 } from "./format";
import type { PerOperationResult } from "./per-operation";
import { coldStartSection, floorText } from "./report-cold-start";
import type { ConvergenceFigures } from "./workload";

const readList = (reads: Record<string, number>) =>
  Object.entries(reads)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${count} ${operation}`)
    .join(", ") || "no reads";
const mark = (holds: boolean) => (holds ? "holds" : "**does not hold**");

/** The lines `npm run bench` prints. */
export function summary(report: BenchReport): string[] {
  const lines: string[] = [`quota ${report.quota.rps} requests/s, burst ${report.quota.burst}`];
  const d = report.drain;
  if (d) {
    lines.push(
      `drain: ${d.events} events (${d.employees} employees), ${d.workers} workers, ${s1(d.windowMs)} of Connect activity`,
      `  quotaUtilization ${f3(d.quotaUtilization)} (every request ${f3(d.requestUtilization)}), throttleRatio ${f3(d.throttleRatio)}, callsPerEventRatio ${f3(d.callsPerEventRatio)} (${d.calls} calls, fewest needed ${d.fewestCalls}), eventsLost ${d.eventsLost}, unconverged ${d.unconverged}`,
    );
  }
  const dp = report.drain?.perOperation;
  if (dp)
    lines.push(
      `  under the per-operation quotas: ${s1(dp.windowMs)} (lower bound ${s1(dp.lowerBoundMs)}), timeOverLowerBound ${f3(dp.timeOverLowerBound)}, throttleRatio ${f3(dp.throttleRatio)}, eventsLost ${dp.eventsLost}, unconverged ${dp.unconverged}`,
    );
  const x = report.exactProtection;
  if (x) {
    lines.push(
      `  with protected.maxAgeSeconds 0: quotaUtilization ${f3(x.quotaUtilization)}, callsPerEventRatio ${f3(x.callsPerEventRatio)} (${x.calls} calls), drain time x${f2(x.timeRatio)}, eventsLost ${x.eventsLost}, unconverged ${x.unconverged}`,
    );
  }
  const b = report.baselines;
  if (b) {
    lines.push(
      `baselines: naive ${s1(b.naive.windowMs)} (${b.naive.calls} calls, throttled ${f3(b.naive.throttleRatio)}, lost ${b.naive.eventsLost}), paced ${s1(b.paced.windowMs)} (${b.paced.calls} calls, ${b.paced.pauseMs} ms pauses)`,
      `  naiveTimeRatio ${f3(b.naiveTimeRatio)}, pacedTimeRatio ${f3(b.pacedTimeRatio)} (service time / baseline time)`,
    );
  }
  const o = report.reorg;
  if (o)
    lines.push(
      `reorg: ${o.events} events, ${s1(o.windowMs)} (lower bound ${s1(o.lowerBoundMs)}), timeOverLowerBound ${f3(o.timeOverLowerBound)}, throttleRatio ${f3(o.throttleRatio)}, eventsLost ${o.eventsLost}, unconverged ${o.unconverged}`,
      `  static split ${s1(o.sharedSplit.windowMs)}: speedupOverSharedSplit ${f2(o.speedupOverSharedSplit)}; SDK adaptive ${s1(o.sdkAdaptive.windowMs)}, throttleRatio ${f3(o.sdkAdaptive.throttleRatio)}`,
    );
  const w = report.singleWorker;
  if (w)
    lines.push(
      `single worker: ${w.events} events of ${w.employees} employees, ${s1(w.windowMs)} (lower bound ${s1(w.lowerBoundMs)}), timeOverLowerBound ${f3(w.timeOverLowerBound)}, throttleRatio ${f3(w.throttleRatio)}, eventsLost ${w.eventsLost}`,
    );
  const r = report.reconcile;
  if (r) {
    lines.push(
      `reconcile: ${r.users} users, ${r.readCalls} read calls (bound ${r.readCallBound}), ${s1(r.wallMs)}`,
    );
  }
  if (report.coldStart) {
    const ref = report.coldStartReference;
    if (ref)
      lines.push(
        `cold start: the bare client ${kib(ref.bundleBytes)}, import ${ref.importMs.toFixed(0)} ms${ref.joined ? ` (its startup chunks joined, nothing dropped: ${kib(ref.joined.bundleBytes)}, ${ref.joined.importMs.toFixed(0)} ms)` : ""}`,
      );
    for (const [name, c] of Object.entries(report.coldStart)) {
      lines.push(
        `cold start ${name}: ${kib(c.bundleBytes)} (lazy chunks ${kib(c.lazyBytes)}), import ${c.importMs.toFixed(0)} ms, importRatio ${f2(c.importRatio)} (${f2(c.importRatioWithoutTracing)} without tracing, ${f2(c.importRatioOverTreeShakenClient)} over the tree-shaken client)${floorText(c)}`,
      );
    }
  }
  for (const [key, t] of Object.entries(report.targets)) {
    lines.push(`target ${key} ${t.target}: ${t.holds ? "holds" : "DOES NOT HOLD"} (${t.value})`);
  }
  return lines;
}

/** What the convergence check found besides lost events; every count 0 on a clean run. */
function checked(run: Omit<ConvergenceFigures, "examples">): string {
  return `${run.unconverged} employees whose user differs from their newest record, ${run.protectedTouched} protected and ${run.unmanagedTouched} unmanaged users touched, ${run.missingAudit} changes without an audit entry and ${run.phantomAudit} entries for a change never made`;
}

const callList = (byOperation: Record<string, number>) =>
  Object.entries(byOperation)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");

function perOperationRows(key: string, p: PerOperationResult): string[] {
  return [
    `| drain time (Connect activity) | ${s1(p.windowMs)} |`,
    `| Connect requests | ${p.calls} |`,
    `| lower bound | ${s1(p.lowerBoundMs)} |`,
    `| \`${key}.timeOverLowerBound\` | **${f3(p.timeOverLowerBound)}** |`,
    `| \`${key}.throttleRatio\` | **${f3(p.throttleRatio)}** (${p.quotaThrottled} throttled) |`,
    `| \`${key}.eventsLost\` | **${p.eventsLost}** (${p.unconverged} users wrong) |`,
  ];
}

/** The drain's backlog again under the per-operation quotas, as deployed: its own small table. */
function drainPerOperation(p: PerOperationResult | undefined): string[] {
  if (!p) return [];
  return [
    "The same backlog again under Connect's per-operation quotas (scaled as in the parts below), the",
    `${p.workers} workers drawing from the budgets they share, as deployed; the lower bound is the largest,`,
    "over operations, of (calls - burst) / rate:",
    "",
    "| figure | value |",
    "|---|---|",
    ...perOperationRows("drain.perOperation", p),
    "",
    perOperationNotes("Requests", p),
    "",
  ];
}

/** Under a table: the requests by operation, and what the convergence check found. */
function perOperationNotes(name: string, p: PerOperationResult): string {
  return `${name}: ${callList(p.callsByOperation)}; ${checked(p)}.`;
}

/** Table rows of several runs, one column each: the first's figure names, every run's value. */
function sideBySide(...runs: string[][]): string[] {
  const cells = (row: string) => row.replace(/^\| | \|$/g, "").split(" | ");
  return (runs[0] ?? []).map((row, i) => {
    const values = runs.map((rows) => cells(rows[i] ?? "")[1] ?? "");
    return `| ${cells(row)[0]} | ${values.join(" | ")} |`;
  });
}

function perOperationSection(report: BenchReport, push: (...lines: string[]) => void): void {
  const o = report.reorg;
  const w = report.singleWorker;
  const q = report.perOperationQuota;
  if (!q || (!o && !w)) return;
  push(
    "## 3. Connect's per-operation quotas",
    "",
    `The emulator throttles each operation in its own bucket, Connect's documented quotas times ${q.scale}`,
    `(\`--quota-scale\`: each write ${2 * q.scale}/s, DescribeUser and ListUsers ${10 * q.scale}/s, every burst ${5 * q.scale}). The`,
    "service runs as deployed: one budget per operation in the budget table (DynamoDB), shared by every",
    "worker, each batch's employees synced at once. Each part first makes its users (not measured),",
    "waits until every bucket is full again, then queues the measured events and starts the workers.",
    "The lower bound is the largest, over operations, of (requests admitted - burst) / rate: the",
    "fewest seconds Connect lets those requests through in, from full buckets. Drain time runs from",
    "the first Connect request of the measured events to the end of the last.",
    "",
  );
  if (o) {
    push(
      `**reorg**: ${o.employees} employees, each becoming a team lead in another department and site at once, so`,
      `each changes routing profile, hierarchy group and security profiles; ${o.workers} workers.`,
      "",
      "| figure | budgets per operation, shared | static split (before) | SDK adaptive, no budget |",
      "|---|---|---|---|",
      ...sideBySide(
        perOperationRows("reorg", o),
        perOperationRows("reorg", o.sharedSplit),
        perOperationRows("reorg", o.sdkAdaptive),
      ),
      "",
      `\`reorg.speedupOverSharedSplit\` = static split / shared = **${f2(o.speedupOverSharedSplit)}**. The static split is`,
      `the deploy this replaced: one bucket of 2/s (burst 5) for every operation, times ${q.scale}, split equally among`,
      `the ${o.workers} workers and the reconciliation, so each worker had ${f2((2 * q.scale) / (o.workers + 1))}/s for all its calls.`,
      "The SDK's adaptive retry mode, a candidate not chosen, sends unpaced until Connect throttles, then",
      "slows each container's client alone; a throttled call is retried by the service's backoff.",
      "",
      perOperationNotes("Shared", o),
      perOperationNotes("Static split", o.sharedSplit),
      perOperationNotes("SDK adaptive", o.sdkAdaptive),
      "",
    );
  }
  if (w) {
    push(
      `**single-worker**: ${w.employees} employees moving between London and Austin ${w.events / w.employees} times each`,
      "(routing profile and hierarchy group each move). FIFO hands an employee's messages to one batch at",
      "a time and a receive takes every group that is free, so one worker at a time holds all the work",
      `while the other ${w.workers - 1} and the reconciliation idle; that worker may use the whole budget of each operation.`,
      "",
      "| figure | value |",
      "|---|---|",
      ...perOperationRows("singleWorker", w),
      "",
      perOperationNotes("Requests", w),
      "",
    );
  }
}

/** BENCHMARKS.md: the figures, how they were measured, and what they mean. */
export function markdown(report: BenchReport): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  push(
    "# Benchmarks",
    "",
    "Every figure is a ratio measured side by side in one run against the Connect emulator with its",
    `request quota on, scaled up from Connect's 2 requests/s (burst 5) to ${report.quota.rps} requests/s`,
    `(burst ${report.quota.burst}) so that a run is short. The quota, the workers' pacing and the paced`,
    "baseline scale together, so the ratios hold at the real quota; the naive baseline's SDK backoff",
    "is in fixed milliseconds, so at 2 requests/s it would waste more of its time than it does here.",
    "Regenerate this file with:",
    "",
    "```sh",
    report.command,
    "```",
    "",
    `Run at ${report.at} on ${report.machine.platform}, ${report.machine.cpus} CPUs (${report.machine.cpuModel}),`,
    `Node ${report.machine.node}, seed ${report.seed}. The machine was shared: absolute times vary, the ratios`,
    "are what the benchmark claims.",
    "",
  );

  const t = report.targets;
  if (Object.keys(t).length > 0) {
    push("## Targets", "", "| figure | target | measured | |", "|---|---|---|---|");
    for (const [key, target] of Object.entries(t))
      push(
        `| \`${key}\` | ${target.target} | ${Number(target.value.toFixed(3))} | ${mark(target.holds)} |`,
      );
    push("");
  }

  const d = report.drain;
  if (d) {
    push(
      "## 1. Backlog drain",
      "",
      `${d.events} mixed HR events for ${d.employees} employees (joiners, movers, leavers, rehires,`,
      "future-dated starts and leaves, moves out of scope, name changes) are put on the FIFO queue first;",
      `then ${d.workers} sync-worker containers (the real handler, each paced to 1/${d.workers} of the quota)`,
      "drain it (the shipped rules, with the hourly leaver guard `guard.maxDeletesPerHour` lifted so that",
      "the backlog's leavers are deleted, not held for a person). Measured from the first to the last",
      "Connect request:",
      "",
      "| figure | value |",
      "|---|---|",
      `| Connect activity window | ${s1(d.windowMs)} (wall ${s1(d.wallMs)} from start to empty queue) |`,
      `| Connect requests | ${d.calls}: ${d.writes} writes accepted, ${readList(d.reads)}, ${d.quotaThrottled} throttled by the quota |`,
      `| \`drain.quotaUtilization\` | **${f3(d.quotaUtilization)}**: write calls accepted / (burst + rate x window) |`,
      `| every request / quota | ${f3(d.requestUtilization)} |`,
      `| \`drain.throttleRatio\` | **${f3(d.throttleRatio)}**: ThrottlingException answers per request |`,
      `| fewest calls needed | ${d.fewestCalls} planner writes |`,
      `| \`drain.callsPerEventRatio\` | **${f3(d.callsPerEventRatio)}**: calls made / fewest needed (${f3(d.callsPerEvent)} calls per event) |`,
      `| \`drain.eventsLost\` | **${d.eventsLost}** events without an outcome; ${checked(d)} |`,
      `| \`drain.timeOverLowerBound\` | **${f3(d.timeOverLowerBound)}**: window / ${s1(d.lowerBoundMs)}, the fewest the one bucket allowed its requests in ((admitted - burst) / rate) |`,
      "",
      ...drainPerOperation(d.perOperation),
      "The fewest calls are worked out with the planner itself, event by event in queue order: one",
      "CreateUser per joiner, one Update per facet that differs, one DeleteUser per leaver. Every read",
      "counts against the service: the name look-ups each container makes once (List* and hierarchy",
      `describes, ${d.lookupsPerContainer} per container) and the SearchUsers that tells a deletion who holds a`,
      `protected security profile now (at most once every ${d.protectionMaxAgeSeconds} s per container: the shipped rules'`,
      "`protected.maxAgeSeconds`). A leaver on that list would be read again (DescribeUser) and kept.",
      "",
    );
    const x = report.exactProtection;
    if (x) {
      push(
        "The same backlog with `protected.maxAgeSeconds: 0`, where every leaver is read again",
        "(DescribeUser) right before its deletion, for a check with no window:",
        "",
        "| figure | shipped rules (60 s) | `maxAgeSeconds: 0` |",
        "|---|---|---|",
        `| write calls / quota | ${f3(d.quotaUtilization)} | ${f3(x.quotaUtilization)} |`,
        `| every request / quota | ${f3(d.requestUtilization)} | ${f3(x.requestUtilization)} |`,
        `| calls / fewest needed | ${f3(d.callsPerEventRatio)} | ${f3(x.callsPerEventRatio)} |`,
        `| drain time | ${s1(d.windowMs)} | ${s1(x.windowMs)} (x${f2(x.timeRatio)}) |`,
        `| events lost / users wrong | ${d.eventsLost} / ${d.unconverged} | ${x.eventsLost} / ${x.unconverged} |`,
        "",
      );
    }
  }

  const b = report.baselines;
  if (b) {
    push(
      "## 2. Baselines on the same backlog",
      "",
      "Written for the benchmark (`bench/baselines/`), each from the same fresh instance and a full bucket:",
      "",
      `- **naive**: ${d?.workers ?? ""} workers sharing the backlog in FIFO order; per event DescribeUser and all five`,
      "  Update calls (CreateUser for someone new, DescribeUser + DeleteUser for a leaver), no pacing, the",
      "  SDK's default retries (standard mode, 3 attempts); an event that still fails comes back after 1 s",
      "  (kinder than an SQS visibility timeout).",
      `- **paced**: AWS's bulk user upload sample: one caller that pauses 600 ms after every call to stay`,
      `  under Connect's 2 requests/s, scaled with the quota (${b.paced.pauseMs} ms at ${report.quota.rps}/s); given the`,
      "  planner's fewest writes and no reads, which is the best case for it.",
      "",
      "| | service | naive | paced |",
      "|---|---|---|---|",
      `| drain time (Connect activity) | ${s1(d?.windowMs ?? 0)} | ${s1(b.naive.windowMs)} | ${s1(b.paced.windowMs)} |`,
      `| Connect requests | ${d?.calls ?? 0} | ${b.naive.calls} | ${b.paced.calls} |`,
      `| throttled per request | ${f3(d?.throttleRatio ?? 0)} | ${f3(b.naive.throttleRatio)} | ${f3(b.paced.throttleRatio)} |`,
      `| events lost / users wrong | ${d?.eventsLost ?? 0} / ${d?.unconverged ?? 0} | ${b.naive.eventsLost} / ${b.naive.unconverged} | ${b.paced.eventsLost} / ${b.paced.unconverged} |`,
      "",
      `\`baselines.naiveTimeRatio\` = service / naive = **${f3(b.naiveTimeRatio)}**; \`baselines.pacedTimeRatio\` =`,
      `service / paced = **${f3(b.pacedTimeRatio)}** (below 1: the service drains faster).`,
      "",
    );
  }

  perOperationSection(report, push);

  const r = report.reconcile;
  if (r) {
    push(
      "## 4. Reconciliation of a large instance",
      "",
      `${r.employees} managed agents, each an employee with a stored record (${r.drifted} changed behind the`,
      `service's back), ${r.users} users in the instance. One reconciliation (${r.status}, ${r.repairsQueued} repairs queued):`,
      "",
      "| figure | value |",
      "|---|---|",
      `| \`reconcile.users\` | ${r.users} |`,
      `| \`reconcile.readCalls\` | **${r.readCalls}** (${Object.entries(r.byOperation)
        .map(([op, n]) => `${op} ${n}`)
        .join(", ")}) |`,
      `| \`reconcile.readCallBound\` | ${r.readCallBound} = ceil(N/1000) + ceil(N/500) + name look-ups |`,
      `| wall time | ${s1(r.wallMs)} (${((r.wallMs / r.users) * 1000).toFixed(0)} ms per 1,000 users) |`,
      "",
      "The name look-ups in the bound are counted from the instance, not from the run: every page of",
      "routing profiles, security profiles and hierarchy groups, the hierarchy structure, and one",
      "DescribeUserHierarchyGroup per group bearing the last name of a hierarchy path the rules use.",
      "",
    );
  }

  if (report.coldStart && report.coldStartReference)
    push(...coldStartSection(report.coldStart, report.coldStartReference));
  push(
    "## JSON",
    "",
    "`npm run bench -- --json` prints one object with these figures (and the details above) for machines.",
    "",
  );
  return out.join("\n");
}
