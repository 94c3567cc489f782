/**
 * Checks an operation's input against the Connect model: required members,
 * lengths, patterns, enums, integer ranges and types, recursively through
 * structures, lists and maps. Pure (no I/O) so that both the service (before
 * it sends a request) and the emulator (when it receives one) use it.
 *
 * Input is the SDK command input: every member by its model name, including
 * those the protocol sends in the URI or the query string. `null` counts as
 * absent, as it does on the wire. Messages never repeat the offending value,
 * because members such as names, e-mails and passwords are sensitive.
 */
import {
  type ConnectOperationName,
  compileModelPattern,
  connectOperation,
  connectShape,
  type ModelMember,
  type ModelShape,
} from "./index";

export { compileModelPattern } from "./index";

export type ConnectInputProblemKind =
  | "required"
  | "length"
  | "pattern"
  | "enum"
  | "range"
  | "type"
  | "unknown";

export interface ConnectInputProblem {
  /** Member path such as `IdentityInfo.FirstName`, `SecurityProfileIds[3]` or `Tags["team"]`. */
  readonly path: string;
  readonly message: string;
  readonly kind: ConnectInputProblemKind;
}

export function validateConnectInput(
  operation: ConnectOperationName,
  input: unknown,
): ConnectInputProblem[] {
  const problems: ConnectInputProblem[] = [];
  validateMembers(connectOperation(operation).input, input, "", problems);
  return problems;
}

/** Validates one value against a named shape; `path` prefixes every problem. */
export function validateShapeValue(
  shapeName: string,
  value: unknown,
  path: string,
): ConnectInputProblem[] {
  const problems: ConnectInputProblem[] = [];
  validateValue(connectShape(shapeName), value, path, problems);
  return problems;
}

/** One AWS-style sentence for a list of problems, e.g. for an exception message. */
export function describeProblems(problems: readonly ConnectInputProblem[]): string {
  const count = problems.length;
  const details = problems
    .map((problem) => `Value at '${problem.path}' failed to satisfy constraint: ${problem.message}`)
    .join("; ");
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${details}`;
}

function validateMembers(
  members: readonly ModelMember[],
  value: unknown,
  path: string,
  problems: ConnectInputProblem[],
): void {
  if (!isPlainObject(value)) {
    problems.push({ path: path || "(input)", message: "Member must be an object", kind: "type" });
    return;
  }
  for (const member of members) {
    const memberPath = path ? `${path}.${member.name}` : member.name;
    const memberValue = value[member.name];
    if (memberValue === undefined || memberValue === null) {
      if (member.required) {
        problems.push({ path: memberPath, message: "Member must not be null", kind: "required" });
      }
      continue;
    }
    validateValue(connectShape(member.shape), memberValue, memberPath, problems);
  }
  const known = new Set(members.map((member) => member.name));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const unknownPath = path ? `${path}.${key}` : key;
      problems.push({ path: unknownPath, message: "Member is not in the model", kind: "unknown" });
    }
  }
}

function validateValue(
  shape: ModelShape,
  value: unknown,
  path: string,
  problems: ConnectInputProblem[],
): void {
  switch (shape.type) {
    case "string":
      validateString(shape, value, path, problems);
      break;
    case "integer":
    case "long":
      validateInteger(shape, value, path, problems);
      break;
    case "boolean":
      if (typeof value !== "boolean") problems.push(typeProblem(path, "a boolean"));
      break;
    case "timestamp":
      if (!(value instanceof Date) && typeof value !== "number" && typeof value !== "string") {
        problems.push(typeProblem(path, "a timestamp"));
      }
      break;
    case "structure":
      validateMembers(shape.members ?? [], value, path, problems);
      break;
    case "list":
      validateList(shape, value, path, problems);
      break;
    case "map":
      validateMap(shape, value, path, problems);
      break;
  }
}

function validateString(
  shape: ModelShape,
  value: unknown,
  path: string,
  problems: ConnectInputProblem[],
): void {
  if (typeof value !== "string") {
    problems.push(typeProblem(path, "a string"));
    return;
  }
  // Smithy measures string length in Unicode code points, not UTF-16 units.
  checkBounds(shape, [...value].length, "length", "length", path, problems);
  if (shape.enum && !shape.enum.includes(value)) {
    problems.push({
      path,
      message: `Member must satisfy enum value set: [${shape.enum.join(", ")}]`,
      kind: "enum",
    });
  }
  const pattern = shape.pattern ? compileModelPattern(shape.pattern) : undefined;
  if (pattern && !pattern.test(value)) {
    problems.push({
      path,
      message: `Member must satisfy regular expression pattern: ${pattern.source}`,
      kind: "pattern",
    });
  }
}

function validateInteger(
  shape: ModelShape,
  value: unknown,
  path: string,
  problems: ConnectInputProblem[],
): void {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    problems.push(typeProblem(path, "an integer"));
    return;
  }
  checkBounds(shape, value, "value", "range", path, problems);
}

function validateList(
  shape: ModelShape,
  value: unknown,
  path: string,
  problems: ConnectInputProblem[],
): void {
  if (!Array.isArray(value)) {
    problems.push(typeProblem(path, "a list"));
    return;
  }
  checkBounds(shape, value.length, "length", "length", path, problems);
  const element = connectShape(shape.member ?? "");
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (item === null || item === undefined) {
      problems.push({ path: itemPath, message: "Member must not be null", kind: "required" });
    } else {
      validateValue(element, item, itemPath, problems);
    }
  });
}

function validateMap(
  shape: ModelShape,
  value: unknown,
  path: string,
  problems: ConnectInputProblem[],
): void {
  if (!isPlainObject(value)) {
    problems.push(typeProblem(path, "a map"));
    return;
  }
  const entries = Object.entries(value);
  checkBounds(shape, entries.length, "length", "length", path, problems);
  const keyShape = connectShape(shape.key ?? "");
  const valueShape = connectShape(shape.value ?? "");
  for (const [key, entryValue] of entries) {
    const entryPath = `${path}[${JSON.stringify(key)}]`;
    const keyProblems: ConnectInputProblem[] = [];
    validateValue(keyShape, key, entryPath, keyProblems);
    for (const problem of keyProblems) {
      problems.push({ ...problem, message: problem.message.replace(/^Member/, "Map key") });
    }
    if (entryValue === null || entryValue === undefined) {
      problems.push({ path: entryPath, message: "Member must not be null", kind: "required" });
    } else {
      validateValue(valueShape, entryValue, entryPath, problems);
    }
  }
}

/** The model's min and max: a value range for integers, a length for strings, lists and maps. */
function checkBounds(
  shape: ModelShape,
  measured: number,
  what: "value" | "length",
  kind: "range" | "length",
  path: string,
  problems: ConnectInputProblem[],
): void {
  if (shape.min !== undefined && measured < shape.min) {
    problems.push({
      path,
      message: `Member must have ${what} greater than or equal to ${shape.min}`,
      kind,
    });
  }
  if (shape.max !== undefined && measured > shape.max) {
    problems.push({
      path,
      message: `Member must have ${what} less than or equal to ${shape.max}`,
      kind,
    });
  }
}

function typeProblem(path: string, expected: string): ConnectInputProblem {
  return { path, message: `Member must be ${expected}`, kind: "type" };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
