/**
 * `connect-hr-sync import ROSTER.csv`: loads an HR export into the service.
 * Every row is validated as a canonical HR record; each valid row becomes a
 * full-record event (origin "import", so the worker may adopt an unmanaged
 * Connect user with the same user name) on the FIFO queue. All or nothing:
 * one invalid row queues nothing, unless --skip-invalid.
 *
 * Exit codes: 0 every row that should be queued was; 1 invalid rows (nothing
 * queued; with --skip-invalid, only when no row is valid) or rows SQS did not
 * take; 2 usage (no such file, not CSV, unknown or missing columns); 3 the
 * queue could not be reached.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { Command, type CommanderError } from "commander";
import { CsvError, parse } from "csv-parse/sync";
import { CANONICAL_SOURCE } from "../../domain/employee-key";
import { employeeIdSchema, type HrRecord, hrRecordSchema } from "../../domain/hr";
import type { SyncRequest } from "../../domain/sync-request";
import { formatPath } from "../../domain/validation";
import { EventPublisher } from "../../queue/publisher";
import { RepairGrantRepository } from "../../store/grants";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { EXIT } from "../exit";
import { action, CliError, colour, printJson, printTable, progressBar } from "../output";

export const REQUIRED_COLUMNS = [
  "employeeId",
  "firstName",
  "lastName",
  "email",
  "department",
  "location",
  "jobCode",
  "status",
  "startDate",
  "endDate",
] as const;
export const OPTIONAL_COLUMNS = ["username", "managerId"] as const;
const ATTRIBUTE_PREFIX = "attributes.";

/** HR exports say Active/Inactive/Terminated; the canonical record says active/terminated. */
const STATUSES: Record<string, HrRecord["status"]> = {
  active: "active",
  terminated: "terminated",
  inactive: "terminated",
};

/** Rows shown in the dry run's table; --json lists them all. */
const TABLE_ROWS = 50;

export interface ImportFlags extends Pick<TargetOptions, "stage"> {
  dryRun?: boolean;
  json?: boolean;
  skipInvalid?: boolean;
}

export interface RosterRow {
  /** The file line the row starts on (the header is line 1). */
  line: number;
  record: HrRecord;
}

/** One invalid field of one row: where, and what is wrong; never the value. */
export interface RowProblem {
  line: number;
  /** When the row's employeeId is itself valid. */
  employeeId?: string;
  path: string;
  message: string;
}

export interface ParsedRoster {
  /** Data rows read (the header not counted). */
  rows: number;
  valid: RosterRow[];
  /** Lines of the rows with problems, in file order. */
  invalidLines: number[];
  problems: RowProblem[];
}

export interface ImportEvent {
  line: number;
  employeeId: string;
  type: SyncRequest["type"];
  eventId: string;
  queued: boolean;
}

export interface ImportReport {
  file: string;
  dryRun: boolean;
  rows: number;
  valid: number;
  invalid: number;
  queued: number;
  /** Nothing was queued because the file has invalid rows (no --skip-invalid). */
  refused: boolean;
  byType: { joiner: number; leaver: number };
  events: ImportEvent[];
  problems: RowProblem[];
  notQueued: { line: number; employeeId?: string; reason: string }[];
}

export function importCommand(): Command {
  return new Command("import")
    .description(
      "Load an HR roster export (CSV) into the service: one full-record event per row on the sync queue",
    )
    .argument(
      "<file>",
      `CSV with a header row: ${REQUIRED_COLUMNS.join(", ")}; optional ${OPTIONAL_COLUMNS.join(", ")} and attributes.<name> columns`,
    )
    .option("--dry-run", "validate and show what would be queued; queue nothing")
    .option("--skip-invalid", "queue the valid rows even when others are invalid")
    .option("--json", "print one JSON object instead of text")
    .option("--stage <name>", "deployment stage whose queue to use (default dev)")
    .addHelpText(
      "after",
      "\nExit codes: 0 imported, 1 invalid rows or rows not queued, 2 usage, 3 queue unreachable.",
    )
    .exitOverride(usageExit)
    .action(action((file: string, flags: ImportFlags) => runImport(file, flags)));
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runImport(
  file: string,
  flags: ImportFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const roster = parseRoster(await readRoster(file), file);
  const refused = roster.problems.length > 0 && !flags.skipInvalid;
  const now = new Date();
  // One run per import: the worker adopts an existing user only for an employee this run names.
  const runId = `import-${now.toISOString().replace(/[-:]|\.\d+/g, "")}-${randomBytes(2).toString("hex")}`;
  const events = refused
    ? []
    : roster.valid.map((row) => ({ line: row.line, event: importEvent(row, now, runId) }));

  const queued = new Set<string>();
  const failed = new Map<string, string>();
  if (!flags.dryRun && events.length > 0) {
    const env = await withQueueUrls(await targetEnv({ stage: flags.stage }, base));
    const queueUrl = env.QUEUE_URL ?? "";
    const clients = clientsFor(env);
    try {
      await probeQueue(clients.sqs, queueUrl);
      const publisher = new EventPublisher(clients.sqs, queueUrl);
      const grants = new RepairGrantRepository(clients.documents, env.RECONCILE_RUNS_TABLE ?? "");
      const bar = flags.json ? progressBar(0, "") : progressBar(events.length, "queueing");
      try {
        for (let start = 0; start < events.length; start += 10) {
          const chunk = events.slice(start, start + 10).map((e) => e.event);
          await grants.record(
            chunk.map((e) => ({
              source: e.source,
              employeeId: e.employeeId,
              runId,
              origin: "import" as const,
            })),
          );
          const result = await publisher.publish(chunk);
          for (const id of result.queued) queued.add(id);
          for (const f of result.failed) failed.set(f.eventId, f.code);
          bar.tick(chunk.length);
        }
      } finally {
        bar.stop();
      }
    } finally {
      clients.close();
    }
  }

  const report: ImportReport = {
    file,
    dryRun: flags.dryRun === true,
    rows: roster.rows,
    valid: roster.valid.length,
    invalid: roster.invalidLines.length,
    queued: queued.size,
    refused,
    byType: {
      joiner: events.filter((e) => e.event.type === "joiner").length,
      leaver: events.filter((e) => e.event.type === "leaver").length,
    },
    events: events.map(({ line, event }) => ({
      line,
      employeeId: event.employeeId,
      type: event.type,
      eventId: event.eventId,
      queued: queued.has(event.eventId),
    })),
    problems: roster.problems,
    notQueued: [
      ...roster.invalidLines.map((line) => {
        const employeeId = roster.problems.find((p) => p.line === line)?.employeeId;
        return { line, ...(employeeId ? { employeeId } : {}), reason: "invalid row" };
      }),
      ...events
        .filter(({ event }) => !flags.dryRun && !queued.has(event.eventId))
        .map(({ line, event }) => ({
          line,
          employeeId: event.employeeId,
          reason: `SQS did not take it (${failed.get(event.eventId) ?? "unknown"})`,
        })),
    ].sort((a, b) => a.line - b.line),
  };

  if (flags.json) printJson(report);
  else printReport(report);
  const allQueued = flags.dryRun || report.queued === events.length;
  // With --skip-invalid, a file with no valid row at all imports nothing: that is a failure too.
  const nothingValid = roster.rows > 0 && roster.valid.length === 0;
  return refused || nothingValid || !allQueued ? EXIT.failed : EXIT.ok;
}

async function readRoster(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? String(error))}`,
      EXIT.usage,
    );
  }
}

/**
 * Parses and validates a roster. File-level problems (not CSV, unknown or
 * missing columns) throw a usage CliError; row-level problems are listed by
 * line and field path, never quoting a value.
 */
export function parseRoster(text: string, source = "roster"): ParsedRoster {
  const bytes = Buffer.from(text, "utf8");
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info`, each record tells how many bytes were read up to its end.
    records = parse(bytes, { bom: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { bytes: number };
    }[];
  } catch (error) {
    if (error instanceof CsvError)
      throw new CliError(`${source} is not valid CSV: ${error.message}`, EXIT.usage);
    throw error;
  }
  const lineOf = lineFinder(bytes);
  let read = 0;
  const located = records.map(({ record, info }) => {
    const line = lineOf(read, info.bytes);
    read = info.bytes;
    return { fields: record, line };
  });
  const [header, ...data] = located;
  if (!header) throw new CliError(`${source} is empty: it needs a header row`, EXIT.usage);
  const columns = checkHeader(header.fields, source);

  const problems: RowProblem[] = [];
  const candidates: RosterRow[] = [];
  const linesById = new Map<string, number[]>();
  for (const { fields, line } of data) {
    const raw = rowObject(columns, fields);
    const rawId = typeof raw.employeeId === "string" ? raw.employeeId : "";
    const idOk = employeeIdSchema.safeParse(rawId).success;
    if (idOk) linesById.set(rawId, [...(linesById.get(rawId) ?? []), line]);
    const parsed = hrRecordSchema.safeParse(raw);
    if (parsed.success) candidates.push({ line, record: parsed.data });
    else {
      for (const issue of parsed.error.issues) {
        problems.push({
          line,
          ...(idOk ? { employeeId: rawId } : {}),
          path: formatPath(issue.path),
          message:
            issue.path[0] === "status"
              ? "must be active or terminated (Active, Inactive and Terminated are read too)"
              : issue.message,
        });
      }
    }
  }
  for (const [employeeId, lines] of linesById) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      const others = lines.filter((l) => l !== line);
      problems.push({
        line,
        employeeId,
        path: "employeeId",
        message: `appears more than once in the file (also on line ${others.join(", ")})`,
      });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  const invalidLines = [...new Set(problems.map((p) => p.line))];
  const invalid = new Set(invalidLines);
  return {
    rows: data.length,
    valid: candidates.filter((row) => !invalid.has(row.line)),
    invalidLines,
    problems,
  };
}

/** Checks the header: every required column, no unknown one, none twice. Answers the columns. */
function checkHeader(names: string[], source: string): string[] {
  const known = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as readonly string[];
  const problems: string[] = [];
  for (const name of names) {
    if (known.includes(name)) continue;
    if (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length) continue;
    const near = known.find((k) => k.toLowerCase() === name.trim().toLowerCase());
    problems.push(
      `unknown column ${JSON.stringify(name)}${near ? ` (did you mean "${near}"?)` : ""}`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  if (missing.length > 0) problems.push(`missing column(s): ${missing.join(", ")}`);
  const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (twice.length > 0) problems.push(`column(s) named twice: ${twice.join(", ")}`);
  if (problems.length > 0) {
    throw new CliError(
      `${source} does not have the roster's columns:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        `Columns: ${REQUIRED_COLUMNS.join(", ")}; optional: ${OPTIONAL_COLUMNS.join(", ")}, attributes.<name>.`,
      EXIT.usage,
    );
  }
  return names;
}

/**
 * The line a record starts on, from the bytes it spans (csv-parse's own line
 * count drifts after CRLF inside quoted fields). Records come in order; the
 * empty lines skipped before a record are not its start.
 */
function lineFinder(bytes: Buffer): (from: number, to: number) => number {
  const LF = 0x0a;
  const CR = 0x0d;
  let at = 0;
  let line = 1;
  const advance = (to: number) => {
    for (; at < to; at++) {
      if (bytes[at] === LF || (bytes[at] === CR && bytes[at + 1] !== LF)) line++;
    }
  };
  return (from, to) => {
    let start = from;
    while (start < to && (bytes[start] === LF || bytes[start] === CR)) start++;
    advance(start);
    const first = line;
    advance(to);
    return first;
  };
}

/** A row as the HR record's input: empty cells are null (absent for attributes). */
function rowObject(columns: string[], fields: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  columns.forEach((column, i) => {
    const value = (fields[i] ?? "").trim();
    if (column.startsWith(ATTRIBUTE_PREFIX)) {
      if (value !== "") attributes[column.slice(ATTRIBUTE_PREFIX.length)] = value;
    } else if (column === "status") {
      row.status = STATUSES[value.toLowerCase()] ?? value;
    } else {
      row[column] = value === "" ? null : value;
    }
  });
  row.attributes = attributes;
  return row;
}

/** The event one row becomes; the same row always gets the same eventId. */
export function importEvent(row: RosterRow, now: Date, runId: string): SyncRequest {
  const { record } = row;
  const digest = createHash("sha256").update(canonicalJson(record)).digest("hex");
  return {
    eventId: `import-${digest.slice(0, 40)}`,
    type: record.status === "terminated" ? "leaver" : "joiner",
    employeeId: record.employeeId,
    source: CANONICAL_SOURCE,
    occurredAt: now.toISOString(),
    record,
    origin: "import",
    runId,
  };
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Fails fast, before any row is sent, when the queue cannot be reached or does not exist. */
async function probeQueue(
  sqs: ReturnType<typeof clientsFor>["sqs"],
  queueUrl: string,
): Promise<void> {
  try {
    await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue")
      throw new CliError(`the queue ${queueUrl} does not exist: is --stage right?`, EXIT.usage);
    throw error;
  }
}

function printReport(report: ImportReport): void {
  const write = (text: string) => process.stdout.write(`${text}\n`);
  const { rows, valid, invalid } = report;
  write(
    `${colour.bold(report.file)}: ${rows} row(s) read, ${colour.green(`${valid} valid`)}, ${invalid > 0 ? colour.red(`${invalid} invalid`) : "0 invalid"}`,
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
    if (report.events.length > 0) {
      printTable(
        ["line", "employee", "type"],
        report.events.slice(0, TABLE_ROWS).map((e) => [e.line, e.employeeId, e.type]),
      );
    }
    if (report.events.length > TABLE_ROWS)
      write(`... and ${report.events.length - TABLE_ROWS} more (--json lists them all)`);
    write(`${colour.yellow("dry run")}: nothing was queued`);
    return;
  }
  write(`${colour.green(`${report.queued} queued`)} for the sync worker (${types})`);
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

/** Commander's own usage errors (unknown option, missing argument) exit 2; help exits 0. */
function usageExit(error: CommanderError): never {
  const informational = ["commander.helpDisplayed", "commander.help", "commander.version"];
  process.exit(informational.includes(error.code) ? EXIT.ok : EXIT.usage);
}
