import type { FollowedEvent, ImportOutcome } from "../app/import-follow";
import type { ImportAction, ImportPreview } from "../app/import-preview";
import type { PublishResult } from "../app/ports/queue";
import type { SyncRequest } from "../domain/sync-request";
import type { ParsedRoster, RowProblem } from "../hr/roster/parse";
import { EXIT } from "./exit";
import { colour, printTable } from "./output";

/** Rows shown in the tables for people; --json lists them all. */
const TABLE_ROWS = 50;

export interface ImportEvent {
  line: number;
  employeeId: string;
  type: SyncRequest["type"];
  eventId: string;
  queued: boolean;
  /** --dry-run: what the row will do. */
  action?: ImportAction;
  facets?: string[];
  dueDate?: string;
  detail?: string;
  /** --wait: what it did. */
  outcome?: ImportOutcome;
  error?: { name: string; message: string };
}

export interface ImportReport {
  file: string;
  dryRun: boolean;
  /** The field delimiter read, given or detected. */
  delimiter: string;
  rows: number;
  valid: number;
  invalid: number;
  queued: number;
  /** Nothing was queued because the file has invalid rows (no --skip-invalid). */
  refused: boolean;
  byType: { joiner: number; leaver: number };
  /** --dry-run: how many rows will do what. */
  byAction?: Partial<Record<ImportAction, number>>;
  /** --wait: how many rows did what. */
  byOutcome?: Partial<Record<ImportOutcome, number>>;
  events: ImportEvent[];
  problems: RowProblem[];
  notQueued: { line: number; employeeId?: string; reason: string }[];
}

function countBy<K extends string>(values: readonly (K | undefined)[]): Partial<Record<K, number>> {
  const counts: Partial<Record<K, number>> = {};
  for (const value of values) if (value !== undefined) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** The report of one import, filled in as the command goes. */
export function importReport(
  file: string,
  flags: { dryRun?: boolean },
  roster: ParsedRoster,
  events: readonly { line: number; event: SyncRequest }[],
  refused: boolean,
) {
  const rows: ImportEvent[] = events.map(({ line, event }) => ({
    line,
    employeeId: event.employeeId,
    type: event.type,
    eventId: event.eventId,
    queued: false,
  }));
  let failed = new Map<string, string>();
  const report: ImportReport = {
    file,
    dryRun: flags.dryRun === true,
    delimiter: roster.delimiter,
    rows: roster.rows,
    valid: roster.valid.length,
    invalid: roster.invalidLines.length,
    queued: 0,
    refused,
    byType: {
      joiner: rows.filter((e) => e.type === "joiner").length,
      leaver: rows.filter((e) => e.type === "leaver").length,
    },
    events: rows,
    problems: roster.problems,
    notQueued: [],
  };
  return {
    setPreviews(previews: readonly ImportPreview[]) {
      rows.forEach((row, i) => {
        const { employeeId: _, ...preview } = previews[i] ?? { action: undefined };
        Object.assign(row, preview);
      });
      report.byAction = countBy(rows.map((r) => r.action));
    },
    setPublished(published: PublishResult) {
      const queued = new Set(published.queued);
      failed = new Map(published.failed.map((f) => [f.eventId, f.code]));
      for (const row of rows) row.queued = queued.has(row.eventId);
      report.queued = rows.filter((r) => r.queued).length;
    },
    setFollowed(followed: readonly FollowedEvent[]) {
      const byEvent = new Map(followed.map((f) => [f.eventId, f]));
      for (const row of rows) {
        const f = byEvent.get(row.eventId);
        if (f) Object.assign(row, { outcome: f.outcome, ...(f.error ? { error: f.error } : {}) });
      }
      report.byOutcome = countBy(rows.map((r) => r.outcome));
    },
    value(): ImportReport {
      report.notQueued = [
        ...roster.invalidLines.map((line) => {
          const employeeId = roster.problems.find((p) => p.line === line)?.employeeId;
          return { line, ...(employeeId ? { employeeId } : {}), reason: "invalid row" };
        }),
        ...rows
          .filter((row) => !report.dryRun && !row.queued)
          .map((row) => ({
            line: row.line,
            employeeId: row.employeeId,
            reason: `SQS did not take it (${failed.get(row.eventId) ?? "unknown"})`,
          })),
      ].sort((a, b) => a.line - b.line);
      return report;
    },
  };
}

export function importExitCode(report: ImportReport): number {
  const allQueued = report.dryRun || report.queued === report.events.length;
  // With --skip-invalid, a file with no valid row at all imports nothing: that is a failure too.
  const nothingValid = report.rows > 0 && report.valid === 0;
  const refusedAhead = (report.byAction?.refused ?? 0) > 0;
  const unsettled = (report.byOutcome?.failed ?? 0) + (report.byOutcome?.pending ?? 0) > 0;
  return report.refused || nothingValid || !allQueued || refusedAhead || unsettled
    ? EXIT.failed
    : EXIT.ok;
}

const summary = (counts: Partial<Record<string, number>>) =>
  Object.entries(counts)
    .map(([key, n]) => `${n} ${key}`)
    .join(", ");

function actionText(e: ImportEvent): string {
  const more = [
    e.facets?.length ? e.facets.join(", ") : undefined,
    e.dueDate ? `due ${e.dueDate}` : undefined,
    e.detail,
  ].filter(Boolean);
  const action = e.action === "refused" ? colour.red("refused") : (e.action ?? "");
  return more.length > 0 ? `${action} (${more.join("; ")})` : action;
}

function printRows(head: string[], rows: (string | number)[][], write: (t: string) => void) {
  if (rows.length === 0) return;
  printTable(head, rows.slice(0, TABLE_ROWS));
  if (rows.length > TABLE_ROWS)
    write(`... and ${rows.length - TABLE_ROWS} more (--json lists them all)`);
}

export function printImport(report: ImportReport): void {
  const write = (text: string) => process.stdout.write(`${text}\n`);
  const { rows, valid, invalid } = report;
  const delimiter =
    report.delimiter === "," ? "" : ` (delimiter ${JSON.stringify(report.delimiter)})`;
  write(
    `${colour.bold(report.file)}${delimiter}: ${rows} row(s) read, ${colour.green(`${valid} valid`)}, ${invalid > 0 ? colour.red(`${invalid} invalid`) : "0 invalid"}`,
  );
  if (report.problems.length > 0) {
    printTable(
      ["line", "employee", "field", "problem"],
      report.problems.map((p) => [p.line, p.employeeId ?? "", p.path, p.message]),
    );
  }
  if (report.refused) {
    write(
      `${colour.red("nothing queued")}: fix the invalid rows, or queue the valid ones with --skip-invalid`,
    );
    return;
  }
  const types = `${report.byType.joiner} joiner, ${report.byType.leaver} leaver`;
  if (report.dryRun) {
    write(`would queue ${report.events.length} event(s): ${types}`);
    if (report.byAction) write(`the worker would: ${summary(report.byAction)}`);
    printRows(
      ["line", "employee", "type", "will"],
      report.events.map((e) => [e.line, e.employeeId, e.type, actionText(e)]),
      write,
    );
    write(`${colour.yellow("dry run")}: nothing was queued`);
    return;
  }
  write(`${colour.green(`${report.queued} queued`)} for the sync worker (${types})`);
  if (report.byOutcome) {
    write(`converged: ${summary(report.byOutcome)}`);
    const attention = report.events.filter(
      (e) => e.outcome === "failed" || e.outcome === "pending",
    );
    printRows(
      ["line", "employee", "outcome", "why"],
      attention.map((e) => [
        e.line,
        e.employeeId,
        e.outcome ?? "",
        e.error ? `${e.error.name}: ${e.error.message}` : "not processed yet (see `status`)",
      ]),
      write,
    );
  }
  if (report.notQueued.length === 0) return;
  const failed = report.notQueued.some((n) => n.reason !== "invalid row");
  write(
    `${colour.red(`${report.notQueued.length} not queued`)}` +
      (failed ? "; running the import again is safe (queued rows are deduplicated):" : ":"),
  );
  printTable(
    ["line", "employee", "reason"],
    report.notQueued.map((n) => [n.line, n.employeeId ?? "", n.reason]),
  );
}
