import { CsvError, parse } from "csv-parse/sync";
import { type RosterRow, RosterUnreadableError } from "../../app/ports/roster-source";
import { hrRecordSchema } from "../../domain/hr";
import type { RecordCoverage } from "../../domain/roster-record";
import type { RosterFormat, RosterMapping } from "../../domain/roster-settings";
import { ATTRIBUTE_PREFIX } from "../roster/columns";
import { detectDelimiter } from "../roster/csv-lines";
import { parseRoster, RosterFileError } from "../roster/parse";
import { mappedPaths, mapRow, pathSegments, valueAt } from "./mapping";
import { checkedRow, type RawRow } from "./rows";

/** How a roster's bytes are read (the rosters file's format, delimiter, records and mapping). */
export interface BodyFormat {
  format: RosterFormat;
  delimiter?: string;
  records?: string;
  mapping?: RosterMapping;
}

/** The configured format, else the one the object's name says; CSV when it says none. */
export function formatOf(name: string, configured: RosterFormat | undefined): RosterFormat {
  if (configured) return configured;
  if (/\.(jsonl|ndjson)$/i.test(name)) return "jsonl";
  if (/\.json$/i.test(name)) return "json";
  return "csv";
}

const RECORD_KEYS = Object.keys(hrRecordSchema.shape);

/**
 * The rows of one roster body (one object, one page). `where` names the page
 * for people ("page 2, "). Anything that says the body is cut off or is not
 * the format (bytes that are not UTF-8, a line that is not JSON, a short CSV
 * row, an unclosed quote) makes the roster unreadable: it is never read in part.
 */
export function rowsOf(bytes: Uint8Array, how: BodyFormat, where = ""): RosterRow[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RosterUnreadableError(`${where}is not UTF-8 text: cut off, or not a roster`);
  }
  if (how.format === "csv")
    return how.mapping
      ? mappedCsv(text, how.mapping, how.delimiter, where)
      : importCsv(text, how.delimiter, where);
  const objects =
    how.format === "jsonl" ? jsonLines(text, where) : jsonRecords(text, how.records, where);
  return objects.map(({ at, object }) => checkedRow(jsonRow(at, object, how.mapping)));
}

/** `import`'s columns, read by import's own parser. */
function importCsv(text: string, delimiter: string | undefined, where: string): RosterRow[] {
  let parsed: ReturnType<typeof parseRoster>;
  try {
    parsed = parseRoster(text, `${where}the roster`, { delimiter });
  } catch (error) {
    if (error instanceof RosterFileError) throw new RosterUnreadableError(error.message);
    throw error;
  }
  const coverage: RecordCoverage = {
    fields: parsed.columns.filter((c) => !c.startsWith(ATTRIBUTE_PREFIX)),
    attributes: parsed.columns
      .filter((c) => c.startsWith(ATTRIBUTE_PREFIX))
      .map((c) => c.slice(ATTRIBUTE_PREFIX.length)),
  };
  const rows: RosterRow[] = [];
  const invalid = new Map<number, RosterRow>();
  for (const problem of parsed.problems) {
    if (problem.path === "(row)" || problem.employeeId === undefined)
      throw new RosterUnreadableError(
        `${where}line ${problem.line}: ${problem.path} ${problem.message}: the roster looks cut off or broken`,
      );
    const row = invalid.get(problem.line) ?? {
      employeeId: problem.employeeId,
      at: `${where}line ${problem.line}`,
      coverage,
      problems: [],
    };
    row.problems?.push({ path: problem.path, message: problem.message });
    invalid.set(problem.line, row);
  }
  for (const { line, record } of parsed.valid)
    rows.push(checkedRow({ at: `${where}line ${line}`, input: record, coverage }));
  return [...rows, ...invalid.values()];
}

/** Columns of the export's own, through the mapping. */
function mappedCsv(
  text: string,
  mapping: RosterMapping,
  delimiter: string | undefined,
  where: string,
): RosterRow[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      delimiter: delimiter ?? detectDelimiter(text),
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError)
      throw new RosterUnreadableError(`${where}is not valid CSV (cut off?): ${error.message}`);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new RosterUnreadableError(`${where}is empty: it needs a header row`);
  const columns = header.map((name) => name.trim());
  const indexOf = (path: string) => {
    const exact = columns.indexOf(path);
    return exact >= 0 ? exact : columns.findIndex((c) => c.toLowerCase() === path.toLowerCase());
  };
  const missing = mappedPaths(mapping).filter((path) => indexOf(path) < 0);
  if (missing.length > 0)
    throw new RosterUnreadableError(
      `${where}has no column(s) ${missing.map((m) => JSON.stringify(m)).join(", ")} that the mapping reads`,
    );
  return data.map((fields, i) => {
    const { input, coverage } = mapRow((path) => fields[indexOf(path)], mapping);
    return checkedRow({ at: `${where}row ${i + 1}`, input, coverage });
  });
}

function jsonLines(text: string, where: string): { at: string; object: unknown }[] {
  const objects: { at: string; object: unknown }[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        objects.push({ at: `${where}line ${i + 1}`, object: JSON.parse(line) });
      } catch {
        throw new RosterUnreadableError(
          `${where}line ${i + 1} is not JSON: the roster looks cut off or broken`,
        );
      }
    });
  return objects;
}

function jsonRecords(
  text: string,
  records: string | undefined,
  where: string,
): { at: string; object: unknown }[] {
  let body: unknown;
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw new RosterUnreadableError(`${where}is not JSON: the roster looks cut off or broken`);
  }
  const list = records === undefined ? body : valueAt(body, pathSegments(records));
  if (!Array.isArray(list))
    throw new RosterUnreadableError(
      `${where}has no array of records at ${records ?? "its top level"}`,
    );
  return list.map((object, i) => ({ at: `${where}entry ${i + 1}`, object }));
}

/** A JSON record: canonical (it carries the keys it has) or through the mapping. */
function jsonRow(at: string, object: unknown, mapping: RosterMapping | undefined): RawRow {
  if (object === null || typeof object !== "object" || Array.isArray(object))
    throw new RosterUnreadableError(`${at} is not an object: the roster looks broken`);
  if (mapping) return { at, ...mapRow((path) => valueAt(object, pathSegments(path)), mapping) };
  const input = object as Record<string, unknown>;
  const coverage: RecordCoverage = {
    fields: Object.keys(input).filter((k) => RECORD_KEYS.includes(k) && k !== "attributes"),
    attributes: Object.hasOwn(input, "attributes") ? "all" : [],
  };
  return { at, input, coverage };
}
