import { type FieldProblem, formatPath } from "../domain/validation";

/**
 * A webhook body as JSON, parsed only after its signature was checked. UTF-8
 * only; keys that could reach an object's prototype (`__proto__`,
 * `constructor.prototype`) are refused rather than stripped, so that a sender
 * learns about them; nesting deeper than any HR event needs is refused too.
 */
export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; detail: string; problems: FieldProblem[] };

/** Canonical events nest four levels (array, event, record, attributes); CloudEvents add one. */
export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 20;

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function parseJsonBody(raw: Uint8Array): JsonBody {
  let text: string;
  try {
    // A leading byte order mark is dropped by the decoder.
    text = utf8.decode(raw);
  } catch {
    return refused("The body is not valid UTF-8.", "(root)", "is not valid UTF-8");
  }
  if (text.trim() === "") return refused("The body is empty.", "(root)", "is empty; expected JSON");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The engine's message quotes the body: report only where it went wrong.
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    return refused(
      "The body is not valid JSON.",
      "(root)",
      at === undefined ? "is not valid JSON" : `is not valid JSON (at character ${at})`,
    );
  }
  const problems = unsafeKeys(value);
  if (problems.length > 0)
    return { ok: false, detail: "The body holds keys that are not allowed.", problems };
  return { ok: true, value };
}

function refused(detail: string, path: string, message: string): JsonBody {
  return { ok: false, detail, problems: [{ path, message }] };
}

interface Visit {
  value: unknown;
  key?: string | number;
  parent?: Visit;
  depth: number;
}

function pathOf(visit: Visit, ...more: (string | number)[]): string {
  const keys: (string | number)[] = [...more];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent)
    keys.unshift(at.key);
  return formatPath(keys);
}

/** Walks the parsed value without recursion (a hostile body may nest deeply). */
function unsafeKeys(root: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Visit[] = [{ value: root, depth: 0 }];
  while (pending.length > 0 && problems.length < MAX_REPORTED) {
    const visit = pending.pop() as Visit;
    const { value } = visit;
    if (value === null || typeof value !== "object") continue;
    if (visit.depth >= MAX_JSON_DEPTH) {
      problems.push({ path: pathOf(visit), message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        pending.push({ value: item, key: index, parent: visit, depth: visit.depth + 1 });
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === "__proto__") {
        problems.push({
          path: pathOf(visit, key),
          message: "is not allowed (prototype pollution)",
        });
        continue;
      }
      if (
        key === "constructor" &&
        child !== null &&
        typeof child === "object" &&
        Object.hasOwn(child, "prototype")
      ) {
        problems.push({
          path: pathOf(visit, key, "prototype"),
          message: "is not allowed (prototype pollution)",
        });
        continue;
      }
      pending.push({ value: child, key, parent: visit, depth: visit.depth + 1 });
    }
  }
  return problems;
}
