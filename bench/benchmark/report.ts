import { coldStartTargets } from "./cold-start";
import type { BenchReport, Target } from "./run";

const f2 = (n: number) => n.toFixed(2);
const f3 = (n: number) => n.toFixed(3);
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const readList = (reads: Record<string, number>) =>
  Object.entries(reads)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${count} ${operation}`)
    .join(", ") || "no reads";
const mark = (holds: boolean) => (holds ? "holds" : "**does not hold**");

/** The report's targets with the cold-start ones (every bundle at most 1 MiB, the import ratios). */
function allTargets(report: BenchReport): Record<string, Target> {
  return { ...report.targets, ...(report.coldStart ? coldStartTargets(report.coldStart) : {}) };
}

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
  const r = report.reconcile;
  if (r) {
    lines.push(
      `reconcile: ${r.users} users, ${r.readCalls} read calls (bound ${r.readCallBound}), ${s1(r.wallMs)}`,
    );
  }
  if (report.coldStart) {
    for (const [name, c] of Object.entries(report.coldStart)) {
      lines.push(
        `cold start ${name}: ${kib(c.bundleBytes)} (lazy chunks ${kib(c.lazyBytes)}), import ${c.importMs.toFixed(0)} ms, importRatio ${f2(c.importRatio)}`,
      );
    }
  }
  for (const [key, t] of Object.entries(allTargets(report))) {
    lines.push(`target ${key} ${t.target}: ${t.holds ? "holds" : "DOES NOT HOLD"} (${t.value})`);
  }
  return lines;
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

  const t = allTargets(report);
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
      "drain it. Measured from the first to the last Connect request:",
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
      `| \`drain.eventsLost\` | **${d.eventsLost}** events without an outcome; ${d.unconverged} employees whose user differs from their newest record |`,
      "",
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

  const r = report.reconcile;
  if (r) {
    push(
      "## 3. Reconciliation of a large instance",
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

  if (report.coldStart && report.coldStartReference) {
    const ref = report.coldStartReference;
    push(
      "## 4. Cold start",
      "",
      "Each function bundled with serverless.yml's `custom.esbuild` options (bundle, minify, ESM, node22,",
      "platform node, the createRequire banner, its plugins, `splitting`; the external source map left",
      "out), then",
      `imported in a fresh Node process ${ref.repeats} times, median, interleaved with a bundle holding nothing`,
      `but a constructed \`ConnectClient\` (${kib(ref.bundleBytes)}, ${ref.importMs.toFixed(0)} ms). The import runs the`,
      "handler's module scope: configuration parsed, rules file read, clients built. `bundleBytes` is what",
      "the import parses (the handler's file and the chunks it imports); lazy chunks load on first use.",
      "",
      "| function | `bundleBytes` | lazy chunks | import | `importRatio` |",
      "|---|---|---|---|---|",
    );
    for (const [name, c] of Object.entries(report.coldStart))
      push(
        `| ${name} | ${c.bundleBytes} (${kib(c.bundleBytes)}) | ${kib(c.lazyBytes)} | ${c.importMs.toFixed(0)} ms | **${f2(c.importRatio)}** |`,
      );
    push("");
  }
  push(
    "## JSON",
    "",
    "`npm run bench -- --json` prints one object with these figures (and the details above) for machines.",
    "",
  );
  return out.join("\n");
}
