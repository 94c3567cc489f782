import type { Document, LineCounter, YAMLError } from "yaml";
import type * as z from "zod";
import { didYouMean } from "./did-you-mean";
import { type FieldProblem, formatPath } from "./validation";

/** One problem of a rules file, where a person finds it: the path (rules by name), line and column. */
export interface RulesProblem extends FieldProblem {
  line?: number;
  column?: number;
}

type Located = { range?: [number, number, number] };

/** `rules["team-leads"].set.routingProfil (line 12, column 12): is not a key here (did you mean …)`. */
export function rulesProblemText(problem: RulesProblem): string {
  const where =
    problem.line === undefined || problem.path.startsWith("line ")
      ? problem.path
      : `${problem.path} (line ${problem.line}, column ${problem.column})`;
  return `${where}: ${problem.message}`;
}

/**
 * The schema's issues as a person can act on them: a misspelt key is one
 * problem with a did-you-mean, not also a "required" one for the key it
 * meant; rules are named by their `name`; each problem has its line and column.
 */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  document: Document,
  lines: LineCounter,
  data: unknown,
  schema: z.ZodType,
): RulesProblem[] {
  const problems: RulesProblem[] = [];
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = keysAt(schema, issue.path);
    for (const key of issue.keys) {
      const suggestion = didYouMean(key, known);
      if (suggestion) meant.add(formatPath([...issue.path, suggestion]));
      problems.push({
        path: displayPath([...issue.path, key], data),
        ...position(keyNode(document, issue.path, key), lines),
        message: `is not a key here${suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? `; use ${known.join(", ")}` : ""}`,
      });
    }
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") continue;
    // The key a typo meant is missing, but the typo already says so.
    if (meant.has(formatPath(issue.path)) && /received undefined$/.test(issue.message)) continue;
    problems.push({
      path: displayPath(issue.path, data),
      ...position(deepestNode(document, issue.path), lines),
      message: issue.message,
    });
  }
  return problems.sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/** YAML syntax errors where the fault is, not where the parser gave up. */
export function yamlProblems(
  errors: readonly YAMLError[],
  text: string,
  lines: LineCounter,
): RulesProblem[] {
  const spans = errors
    .filter((e) => e.code === "MULTILINE_IMPLICIT_KEY")
    .map((e) => [e.pos[0], e.pos[1]] as const);
  const problems: RulesProblem[] = [];
  for (const error of errors) {
    const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "";
    let at = error.pos[0];
    if (error.code === "MULTILINE_IMPLICIT_KEY") {
      // A key that runs on to the next line: the fault is that line, most often its indentation.
      const { line } = lines.linePos(error.pos[1]);
      const start = lines.lineStarts[line - 1] ?? error.pos[1];
      at = start + (/^[ \t]*/.exec(text.slice(start))?.[0].length ?? 0);
    } else if (spans.some(([from, to]) => from <= at && at < to)) {
      continue; // the same fault, told by the error above
    } else if (error.code === "MISSING_CHAR" && /closing "?quote/i.test(error.message)) {
      // Reported at the end of the file: the quote that is never closed is where to look.
      const quote = /closing "quote/.test(error.message) ? '"' : "'";
      const opened = text.lastIndexOf(quote, at - 1);
      if (opened >= 0) at = opened;
    }
    const { line, col } = lines.linePos(at);
    const hint = error.code === "MULTILINE_IMPLICIT_KEY" ? " (check this line's indentation)" : "";
    problems.push({
      path: `line ${line}, column ${col}`,
      line,
      column: col,
      message: `${message}${hint}`,
    });
  }
  return problems;
}

/** `rules[4].set` as `rules["team-leads"].set`: a person knows the rule by its name. */
function displayPath(path: readonly PropertyKey[], data: unknown): string {
  const [first, index] = path;
  const rules = (data as { rules?: unknown } | null)?.rules;
  if (first === "rules" && typeof index === "number" && Array.isArray(rules)) {
    const name = (rules[index] as { name?: unknown } | undefined)?.name;
    if (typeof name === "string" && name !== "")
      return `rules[${JSON.stringify(name)}]${formatPath(path.slice(2))
        .replace(/^\(root\)$/, "")
        .replace(/^(?=[^[])/, ".")}`;
  }
  return formatPath(path);
}

function position(node: Located | undefined, lines: LineCounter) {
  if (!node?.range) return {};
  const { line, col } = lines.linePos(node.range[0]);
  return { line, column: col };
}

/** The deepest node that exists: a missing key is reported at its parent. */
function deepestNode(document: Document, path: readonly PropertyKey[]): Located | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth) as unknown[], true) as Located | undefined;
    if (node?.range) return node;
  }
  return undefined;
}

/** The node of a key itself, for a key that should not be there. */
function keyNode(
  document: Document,
  path: readonly PropertyKey[],
  key: string,
): Located | undefined {
  const map = deepestNode(document, path) as { items?: { key?: Located & { value?: unknown } }[] };
  return map?.items?.find((pair) => pair.key?.value === key)?.key ?? (map as Located);
}

/** The keys an object of the schema takes at `path`, to suggest the one a typo meant. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  const unwrap = () => {
    for (;;) {
      const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (!def) return undefined;
      if (def.innerType) node = def.innerType;
      else if (def.type === "pipe") node = def.in;
      else return def;
    }
  };
  for (const key of path) {
    const def = unwrap();
    if (def?.type === "object" && typeof key === "string")
      node = (def.shape as Record<string, unknown>)[key];
    else if (def?.type === "array" && typeof key === "number") node = def.element;
    else return [];
  }
  const def = unwrap();
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}
