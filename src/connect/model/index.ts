/**
 * Typed access to the Amazon Connect model extract (connect-user-ops.json).
 * The emulator's routing and validation and the service's own input checks
 * read every method, path, member and constraint from here, never from
 * hand-copied constants, so that a newer extract changes them all at once.
 */
import model from "./connect-user-ops.json" with { type: "json" };

export type ConnectOperationName = keyof typeof model.operations;
export type ConnectErrorName = keyof typeof model.errors;

export type ModelShapeType =
  | "string"
  | "integer"
  | "long"
  | "boolean"
  | "timestamp"
  | "structure"
  | "list"
  | "map";

export interface ModelConstraints {
  /** Length for strings, lists and maps; value for integers. */
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
}

export interface ModelMember {
  readonly name: string;
  readonly required: boolean;
  readonly shape: string;
  readonly type: string;
  readonly location?: "uri" | "querystring" | "header";
  readonly locationName?: string;
  readonly constraints?: ModelConstraints;
  readonly doc?: string;
}

export interface ModelShape extends ModelConstraints {
  readonly type: ModelShapeType;
  readonly members?: readonly ModelMember[];
  /** Element shape of a list. */
  readonly member?: string;
  /** Key and value shapes of a map. */
  readonly key?: string;
  readonly value?: string;
  readonly doc?: string;
}

export interface ModelOperationError {
  readonly shape: ConnectErrorName;
  readonly httpStatusCode: number;
  readonly fault: "client" | "server";
}

export interface ModelPaginator {
  readonly input_token: string;
  readonly output_token: string;
  readonly limit_key: string;
  readonly result_key: string;
}

export interface ModelOperation {
  readonly name: ConnectOperationName;
  readonly http: { readonly method: string; readonly requestUri: string };
  readonly doc: string;
  readonly inputShape: string;
  readonly input: readonly ModelMember[];
  readonly output: readonly ModelMember[] | null;
  readonly errors: readonly ModelOperationError[];
  readonly paginator?: ModelPaginator;
}

export interface ModelErrorShape {
  readonly httpStatusCode: number;
  readonly fault: "client" | "server";
  readonly members: readonly string[];
  readonly doc: string;
}

interface ConnectModelDocument {
  readonly metadata: { readonly apiVersion: string; readonly signingName: string };
  readonly operations: Record<ConnectOperationName, Omit<ModelOperation, "name">>;
  readonly errors: Record<ConnectErrorName, ModelErrorShape>;
  readonly shapes: Record<string, ModelShape>;
}

const document = model as unknown as ConnectModelDocument;

export class UnknownModelEntryError extends Error {
  constructor(kind: "operation" | "shape" | "member" | "error", name: string) {
    super(`The Connect model has no ${kind} named ${JSON.stringify(name)}`);
    this.name = "UnknownModelEntryError";
  }
}

export const CONNECT_OPERATION_NAMES = Object.keys(document.operations) as ConnectOperationName[];

export function isConnectErrorName(name: string): name is ConnectErrorName {
  return Object.hasOwn(document.errors, name);
}

export function connectOperation(name: ConnectOperationName): ModelOperation {
  const operation = document.operations[name];
  if (!operation) throw new UnknownModelEntryError("operation", name);
  return { name, ...operation };
}

export function connectShape(name: string): ModelShape {
  const shape = Object.hasOwn(document.shapes, name) ? document.shapes[name] : undefined;
  if (!shape) throw new UnknownModelEntryError("shape", name);
  return shape;
}

export function connectError(name: ConnectErrorName): ModelErrorShape {
  const error = document.errors[name];
  if (!error) throw new UnknownModelEntryError("error", name);
  return error;
}

/** The input member of an operation, e.g. `inputMember("ListUsers", "MaxResults")`. */
export function inputMember(operation: ConnectOperationName, member: string): ModelMember {
  const found = connectOperation(operation).input.find((candidate) => candidate.name === member);
  if (!found) throw new UnknownModelEntryError("member", `${operation}.${member}`);
  return found;
}

/** A member of a structure shape, e.g. `structureMember("UserPhoneConfig", "PhoneType")`. */
export function structureMember(shapeName: string, member: string): ModelMember {
  const found = connectShape(shapeName).members?.find((candidate) => candidate.name === member);
  if (!found) throw new UnknownModelEntryError("member", `${shapeName}.${member}`);
  return found;
}

/** Enum values of a shape, e.g. `shapeEnum("PhoneType")`. */
export function shapeEnum(shapeName: string): readonly string[] {
  return connectShape(shapeName).enum ?? [];
}

/** Operations that change state: the model names them Create*, Delete*, Update*, Tag* and Untag*. */
export function isMutatingOperation(name: ConnectOperationName): boolean {
  return /^(Create|Delete|Update|Tag|Untag)/.test(name);
}

const compiledPatterns = new Map<string, RegExp>();

/**
 * Compiles a model pattern into the RegExp that the service means, handling
 * the quirks of the upstream model (see SOURCE.md):
 * - a JavaScript literal `/…/flags` (Password) is unwrapped;
 * - a pattern whose every backslash is doubled before a regex escape
 *   (PhoneNumber's `\\+[1-9]\\d{1,14}$`) is read as the single-escaped intent;
 * - Smithy patterns are not anchored unless they say so, which is exactly
 *   RegExp.test's search semantics, so no anchors are added;
 * - `\p{…}` classes (TagKey) need the `u` flag; Unicode mode is used whenever
 *   the pattern compiles in it, as the service's (Java) engine works on code points.
 */
export function compileModelPattern(pattern: string): RegExp {
  const cached = compiledPatterns.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = "";
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  if (literal) {
    source = literal[1] ?? "";
    flags = (literal[2] ?? "").replace("g", "");
  }
  if (isDoubleEscaped(source)) source = source.replaceAll("\\\\", "\\");
  const compiled = compileWithUnicodeWhenPossible(source, flags);
  compiledPatterns.set(pattern, compiled);
  return compiled;
}

/** True when backslashes only come in pairs and each pair escapes a regex token. */
function isDoubleEscaped(source: string): boolean {
  const runs = source.match(/\\+/g);
  if (!runs) return false;
  if (runs.some((run) => run.length % 2 !== 0)) return false;
  return /^(?:[^\\]|\\\\[dDwWsSbBpPntr+.*?()[\]{}|^$/-])*$/.test(source);
}

function compileWithUnicodeWhenPossible(source: string, flags: string): RegExp {
  if (flags.includes("u") || flags.includes("v")) return new RegExp(source, flags);
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    return new RegExp(source, flags);
  }
}
