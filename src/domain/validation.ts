import type * as z from "./zod";

/** One invalid field, by path, as every edge reports it (problem+json, DLQ reasons, CLI). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** `["record", "phone", 0, "type"]` -> `record.phone[0].type`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

export function fieldProblems(error: z.core.$ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("; ");
}
