import { CsvError, parse } from "csv-parse/sync";
import { employeeIdSchema, type HrRecord, hrRecordSchema } from "../../domain/hr";
import { formatPath } from "../../domain/validation";
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, readHeader, rowObject } from "./columns";
import { DELIMITERS, detectDelimiter, lineFinder } from "./csv-lines";

/**
 * An HR roster export (CSV) read as canonical HR records. File-level
 * problems (not CSV, unknown or missing columns) throw RosterFileError;
 * row-level problems (a short row, an empty or invalid cell, an id twice)
 * are listed by line and field path, never quoting a value.
 */

/** The file cannot be read as a roster at all. */
export class RosterFileError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source} ${detail}`);
    this.name = "RosterFileError";
  }
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
  /** The delimiter read, given or detected. */
  delimiter: string;
  /** The header's columns, as the record names them (`attributes.<name>` for attributes). */
  columns: string[];
  /** Data rows read (the header not counted). */
  rows: number;
  valid: RosterRow[];
  /** Lines of the rows with problems, in file order. */
  invalidLines: number[];
  problems: RowProblem[];
}

const STATUS_MESSAGE =
  "must be active or terminated (Active, Inactive and Terminated are read too)";

export function parseRoster(
  text: string,
  source = "roster",
  options: { delimiter?: string } = {},
): ParsedRoster {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  if (!(DELIMITERS as readonly string[]).includes(delimiter))
    throw new RosterFileError(
      source,
      `cannot be read with the delimiter ${JSON.stringify(delimiter)}`,
    );
  const bytes = Buffer.from(text, "utf8");
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info`, each record tells how many bytes were read up to its end. A row with
    // too few or too many fields is that row's problem, not the file's.
    records = parse(bytes, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      delimiter,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    if (error instanceof CsvError)
      throw new RosterFileError(source, `is not valid CSV: ${error.message}`);
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
  if (!header) throw new RosterFileError(source, "is empty: it needs a header row");
  const { columns, problems: headerProblems } = readHeader(header.fields);
  if (headerProblems.length > 0) {
    const named =
      delimiter === "," ? "" : ` (read with the delimiter ${JSON.stringify(delimiter)})`;
    throw new RosterFileError(
      source,
      `does not have the roster's columns${named}:\n${headerProblems.map((p) => `  - ${p}`).join("\n")}\n` +
        `Columns: ${REQUIRED_COLUMNS.join(", ")}; optional: ${OPTIONAL_COLUMNS.join(", ")}, attributes.<name> (any case).`,
    );
  }

  const problems: RowProblem[] = [];
  const candidates: RosterRow[] = [];
  const linesById = new Map<string, number[]>();
  for (const { fields, line } of data) {
    const raw = rowObject(columns, fields);
    const rawId = typeof raw.employeeId === "string" ? raw.employeeId : "";
    const idOk = employeeIdSchema.safeParse(rawId).success;
    const who = idOk ? { employeeId: rawId } : {};
    if (idOk) linesById.set(rawId, [...(linesById.get(rawId) ?? []), line]);
    if (fields.length !== columns.length) {
      problems.push({
        line,
        ...who,
        path: "(row)",
        message: `has ${fields.length} field(s); the header has ${columns.length}`,
      });
      continue;
    }
    const parsed = hrRecordSchema.safeParse(raw);
    if (parsed.success) {
      candidates.push({ line, record: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      const column = issue.path[0];
      problems.push({
        line,
        ...who,
        path: formatPath(issue.path),
        message:
          typeof column === "string" && issue.path.length === 1 && raw[column] === null
            ? "is empty: a value is required"
            : column === "status"
              ? STATUS_MESSAGE
              : issue.message,
      });
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
    delimiter,
    columns,
    rows: data.length,
    valid: candidates.filter((row) => !invalid.has(row.line)),
    invalidLines,
    problems,
  };
}
