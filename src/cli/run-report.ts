import type { ConnectNameLookup } from "../app/ports/connect";
import type { ReconcileRun, RosterReport } from "../app/ports/runs";
import { DRIFT_CLASSES, type DriftEntry, RENAMED_PROBLEM } from "../domain/drift";
import { CANONICAL_SOURCE } from "../domain/employee-key";
import { changeText } from "./facet-text";
import { colour, printTable } from "./output";
import { terminalWidth, wrapText } from "./table";

/** What one finding says, with names: each facet from → to, a new user name, a due date, a problem. */
export async function entryDetail(entry: DriftEntry, names: ConnectNameLookup): Promise<string> {
  const changes = entry.changes
    ? await Promise.all(entry.changes.map((change) => changeText(change, names)))
    : (entry.facets ?? []);
  const renamed =
    entry.problem === RENAMED_PROBLEM
      ? `user name ${entry.username ?? "?"} → ${entry.desiredUsername ?? "?"} (see note)`
      : undefined;
  const problem = entry.problem === RENAMED_PROBLEM ? undefined : entry.problem;
  const held = entry.heldIn && `held until: connect-hr-sync approve ${entry.heldIn}`;
  return [renamed, ...changes, entry.dueDate && `due ${entry.dueDate}`, problem, held]
    .filter(Boolean)
    .join("; ");
}

/** A run for people: counts, then each finding with names, then what needs doing. */
export async function printRun(run: ReconcileRun, names: ConnectNameLookup): Promise<void> {
  const write = (text: string) => process.stdout.write(`${wrapText(text, terminalWidth())}\n`);
  const counts = DRIFT_CLASSES.filter((c) => run.counts[c] > 0).map((c) => [c, run.counts[c]]);
  write(`${colour.bold(`Reconciliation ${run.runId}`)}: ${run.status}`);
  printTable(["class", "count"], counts.length > 0 ? counts : [["(nothing)", 0]]);
  if (run.rosters?.length) printRosters(run.rosters);
  if (run.changes.length > 0) {
    const rows = await Promise.all(
      run.changes.map(async (e) => [
        // Another source's E1 is someone else: named with its source.
        e.source && e.source !== CANONICAL_SOURCE
          ? `${e.source} ${e.employeeId ?? ""}`
          : (e.employeeId ?? ""),
        e.class,
        e.repair ?? "",
        e.repair === undefined ? "" : e.rosterAt ? "HR" : "Connect",
        e.username ?? e.userId ?? "",
        await entryDetail(e, names),
      ]),
    );
    printTable(["employee", "class", "repair", "from", "Connect user", "detail"], rows);
  }
  if (run.repairsFrom)
    write(
      `repairs from the HR roster: ${run.repairsFrom.hr}; from Connect-side drift: ${run.repairsFrom.connect}`,
    );
  // One explanation under the table instead of the same sentence on every row.
  if (run.changes.some((e) => e.problem === RENAMED_PROBLEM))
    write(`${colour.yellow("note")}: renamed: ${RENAMED_PROBLEM}.`);
  if (run.settling)
    write(
      `${run.settling} user(s) changed by the service moments ago left alone: Connect's reads may not show the change yet (CONNECT_SETTLE_SECONDS)`,
    );
  if (run.changesTruncated) write("(changes truncated; see the metrics and logs for all)");
  if (run.dryRun) write(`${colour.yellow("dry run")}: nothing was queued or stored`);
  else write(`${run.queued} repair(s) queued for the worker`);
  const own = run.held.filter((e) => e.heldIn === undefined || e.heldIn === run.runId);
  if (own.length > 0) {
    const gone = own.some((e) => e.heldIn === run.runId)
      ? " (with leavers the hourly breaker held in a run that is gone)"
      : "";
    write(
      `${heldText({ held: own, guard: run.guard })}${gone}. Review them, then: connect-hr-sync approve ${run.runId}`,
    );
  }
  // Leavers from events the hourly breaker held: nothing was queued for them, their run approves them.
  const elsewhere = new Map<string, number>();
  for (const e of run.held)
    if (e.heldIn !== undefined && !own.includes(e))
      elsewhere.set(e.heldIn, (elsewhere.get(e.heldIn) ?? 0) + 1);
  for (const [heldIn, count] of elsewhere)
    write(
      `${colour.red(`${count} leaver(s) held`)} by the hourly breaker (guard.maxDeletesPerHour), nothing queued for them. ` +
        `Review them, then: connect-hr-sync approve ${heldIn}`,
    );
  if (run.notQueued.length > 0)
    write(`${colour.red("not queued")} (the next run retries): ${run.notQueued.join(", ")}`);
  const person = run.counts.renamed + run.counts.invalid;
  if (person > 0)
    write(
      `${colour.red(`${person} finding(s) need a person`)} (renamed or invalid): no repair fixes them`,
    );
}

/** What a held item is, in words: a deletion, a disable, an adoption. */
export const HELD_KIND: Record<string, string> = {
  delete: "deletion",
  disable: "disable",
  adopt: "adoption",
};

/**
 * What the run held, counted by kind, each with why: deletions and disables
 * with the guard's reason (only when the guard held them), adoptions because
 * the service takes over a user it does not manage only when a person says so.
 */
export function heldText(run: Pick<ReconcileRun, "held" | "guard">): string {
  const counts = new Map<string, number>();
  for (const entry of run.held) {
    const kind = HELD_KIND[entry.repair ?? ""] ?? "repair";
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const parts: string[] = [];
  const removals = ["deletion", "disable"]
    .filter((kind) => counts.has(kind))
    .map((kind) => `${counts.get(kind)} ${kind}(s)`);
  if (removals.length > 0)
    parts.push(
      `${colour.red(`${removals.join(" and ")} held`)}` +
        (run.guard.held && run.guard.reason ? `: ${run.guard.reason}` : ""),
    );
  if (counts.has("adoption"))
    parts.push(
      `${colour.red(`${counts.get("adoption")} adoption(s) held`)}: ` +
        "the service takes over a Connect user it does not manage only when a person approves",
    );
  if (counts.has("repair")) parts.push(colour.red(`${counts.get("repair")} other repair(s) held`));
  return parts.join("; ");
}

/** Where each source's roster came from, how old and how large: what the run judged by. */
function printRosters(rosters: readonly RosterReport[]): void {
  printTable(
    ["HR source", "roster", "read from", "age", "employees"],
    rosters.map((r) => [
      r.source,
      r.kind,
      r.location ?? r.note ?? (r.kind === "stored" ? "" : `${r.kind}'s directory`),
      r.ageHours === undefined ? "" : `${r.ageHours} h`,
      r.employees === undefined ? "" : String(r.employees),
    ]),
  );
}
