import { stripVTControlCharacters } from "node:util";
import Table from "cli-table3";
import pc from "picocolors";

/** Each column's border and padding: `│ ` before a cell, and ` ` after it. */
const CELL_OVERHEAD = 3;
/** A column is never squeezed below this (a wrapped word of four letters still reads). */
const MIN_COLUMN = 6;

/** The terminal's width; undefined for a pipe or file unless COLUMNS says, so output stays greppable. */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** How many columns text takes on a terminal (colours do not count). */
export function displayWidth(text: string): number {
  return Math.max(
    0,
    ...stripVTControlCharacters(text)
      .split("\n")
      .map((line) => [...line].length),
  );
}

/**
 * Widths (cell content, without padding) that fit a table of columns as wide
 * as `natural` into `width`: narrow columns keep their width, the wide ones
 * share what is left equally. Answers `natural` when it fits already.
 */
export function fitColumns(natural: readonly number[], width: number): number[] {
  const available = width - 1 - CELL_OVERHEAD * natural.length;
  if (natural.reduce((a, b) => a + b, 0) <= available) return [...natural];
  const widths = [...natural];
  let open = natural.map((_, i) => i);
  let left = available;
  // Columns narrower than an equal share of what is left keep their width, until none is.
  for (;;) {
    const share = Math.floor(left / Math.max(1, open.length));
    const keep = open.filter((i) => (natural[i] ?? 0) <= share);
    if (keep.length === 0) {
      const extra = left - share * open.length;
      open.forEach((i, n) => {
        widths[i] = Math.max(MIN_COLUMN, share + (n < extra ? 1 : 0));
      });
      return widths;
    }
    for (const i of keep) left -= natural[i] ?? 0;
    open = open.filter((i) => !keep.includes(i));
    if (open.length === 0) return widths;
  }
}

/**
 * A table as text. With a width, cells wrap at word boundaries (a word too
 * long for its column is broken across lines) so that no line is wider.
 */
export function renderTable(
  head: readonly string[],
  rows: readonly (string | number)[][],
  width?: number,
): string {
  const cells = rows.map((row) => row.map(String));
  const columns = Math.max(head.length, ...cells.map((row) => row.length));
  const natural = Array.from({ length: columns }, (_, i) =>
    Math.max(displayWidth(head[i] ?? ""), ...cells.map((row) => displayWidth(row[i] ?? ""))),
  );
  const fitted = width === undefined ? undefined : fitColumns(natural, width);
  const squeezed = fitted?.some((w, i) => w < (natural[i] ?? 0));
  const table = new Table({
    ...(head.length > 0 ? { head: head.map((h) => pc.bold(h)) } : {}),
    style: { head: [], border: [], compact: true },
    ...(squeezed && fitted
      ? { colWidths: fitted.map((w) => w + 2), wordWrap: true, wrapOnWordBoundary: true }
      : {}),
  });
  table.push(
    ...(squeezed && fitted
      ? cells.map((row) => row.map((cell, i) => breakLongWords(cell, fitted[i] ?? MIN_COLUMN)))
      : cells),
  );
  return table.toString();
}

/** Words longer than the column (e-mails, ids) broken onto lines of their own, so none is cut. */
function breakLongWords(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .split(" ")
        .map((word) => {
          if (displayWidth(word) <= width) return word;
          const chars = [...stripVTControlCharacters(word)];
          const pieces: string[] = [];
          for (let at = 0; at < chars.length; at += width)
            pieces.push(chars.slice(at, at + width).join(""));
          return pieces.join("\n");
        })
        .join(" "),
    )
    .join("\n");
}

/** Text wrapped at word boundaries to `width` (as it is without one), for notes under a table. */
export function wrapText(text: string, width: number | undefined): string {
  if (width === undefined || displayWidth(text) <= width) return text;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && displayWidth(`${line} ${word}`) > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}
