/**
 * The line a CSV record starts on, from the bytes it spans (csv-parse's own
 * line count drifts after CRLF inside quoted fields). Records come in order;
 * the empty lines skipped before a record are not its start.
 */
export function lineFinder(bytes: Buffer): (from: number, to: number) => number {
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

/** The delimiters a roster may use; `,` unless the header says otherwise. */
export const DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * The delimiter of a CSV file, from its first line: the candidate that
 * appears most often outside quotes (spreadsheets in many locales save with `;`).
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, "")) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ",";
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}
