import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * Writes src/connect/model/connect-user-ops.json: the extract of botocore's
 * Amazon Connect model (service-2.json) for the operations this project calls
 * or emulates, with the paginator entries of paginators-1.json from the same
 * botocore commit. Members are flattened with their required flag, location
 * and the constraints of their shape; errors carry their HTTP status; every
 * shape reachable from an operation's input or output is kept; documentation
 * is HTML-stripped and truncated. Run it again with a newer botocore model
 * rather than editing the extract by hand.
 *
 *   tsx scripts/connect-model-extract.ts <service-2.json> <paginators-1.json> [out]
 */

/** In the order they appear in the extract. */
export const EXTRACTED_OPERATIONS = [
  "CreateUser",
  "DescribeUser",
  "DeleteUser",
  "ListUsers",
  "UpdateUserRoutingProfile",
  "UpdateUserHierarchy",
  "UpdateUserIdentityInfo",
  "UpdateUserPhoneConfig",
  "UpdateUserSecurityProfiles",
  "ListRoutingProfiles",
  "ListSecurityProfiles",
  "ListUserHierarchyGroups",
  "DescribeUserHierarchyGroup",
  "DescribeUserHierarchyStructure",
  "GetFederationToken",
  "SearchUsers",
  "CreateQuickConnect",
  "ListQuickConnects",
  "DescribeQuickConnect",
  "DeleteQuickConnect",
  "TagResource",
  "UntagResource",
] as const;

/** botocore omits the fault side; the Smithy model marks these @error("server"), all others "client". */
const SERVER_FAULT_ERRORS = new Set(["InternalServiceException"]);

/** Longest documentation kept, in characters, before "…". */
const DOC_LIMITS = { operation: 700, member: 400, shape: 300 } as const;

const ABOUT =
  'Extract of the Amazon Connect (service id "Connect", apiVersion 2017-08-08, protocol rest-json) service model for user-provisioning operations. Generated from connect-model-original.json (botocore service-2.json); see SOURCE.txt. Docs are HTML-stripped and truncated; constraints are copied verbatim from the model (min/max = length for strings/lists, value range for integers).';
const SUCCESS_HTTP_CODE =
  "200 for all listed operations (Smithy @http code in aws/api-models-aws; botocore omits it)";
const FAULT_NOTE =
  'InternalServiceException is a server fault (Smithy @error("server")); all others are client faults. ThrottlingException and LimitExceededException both use HTTP 429.';

interface BotocoreRef {
  shape: string;
  documentation?: string;
  location?: string;
  locationName?: string;
}

interface BotocoreShape {
  type: string;
  required?: string[];
  members?: Record<string, BotocoreRef>;
  member?: BotocoreRef;
  key?: BotocoreRef;
  value?: BotocoreRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  box?: boolean;
  documentation?: string;
  error?: { httpStatusCode: number; senderFault?: boolean };
}

interface BotocoreOperation {
  http: { method: string; requestUri: string };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
  documentation?: string;
}

interface BotocoreModel {
  metadata: Record<string, unknown>;
  operations: Record<string, BotocoreOperation>;
  shapes: Record<string, BotocoreShape>;
}

type Json = Record<string, unknown>;

export function extractConnectModel(
  model: BotocoreModel,
  paginators: Record<string, unknown>,
  operations: readonly string[] = EXTRACTED_OPERATIONS,
): Json {
  const shapeOf = (name: string): BotocoreShape => {
    const shape = model.shapes[name];
    if (!shape) throw new Error(`the model has no shape ${name}`);
    return shape;
  };
  const reachable = new Set<string>();
  const visit = (name: string) => {
    if (reachable.has(name)) return;
    reachable.add(name);
    for (const ref of childRefs(shapeOf(name))) visit(ref.shape);
  };
  const errorNames = new Set<string>();
  const extracted: Json = {};
  for (const name of operations) {
    const operation = model.operations[name];
    if (!operation) throw new Error(`the model has no operation ${name}`);
    const input = operation.input ? shapeOf(operation.input.shape) : undefined;
    const output = operation.output ? shapeOf(operation.output.shape) : undefined;
    for (const ref of [...childRefs(input), ...childRefs(output)]) visit(ref.shape);
    for (const error of operation.errors ?? []) errorNames.add(error.shape);
    extracted[name] = {
      http: { method: operation.http.method, requestUri: operation.http.requestUri },
      doc: plainDoc(operation.documentation, DOC_LIMITS.operation),
      inputShape: operation.input?.shape,
      input: input ? members(input, shapeOf) : [],
      ...(operation.output ? { outputShape: operation.output.shape } : {}),
      output: output ? members(output, shapeOf) : null,
      errors: (operation.errors ?? []).map((error) => ({
        shape: error.shape,
        httpStatusCode: shapeOf(error.shape).error?.httpStatusCode,
        fault: faultOf(error.shape),
      })),
      ...(paginators[name] ? { paginator: paginators[name] } : {}),
    };
  }
  const errors: Json = {};
  for (const name of [...errorNames].sort()) {
    const shape = shapeOf(name);
    errors[name] = {
      httpStatusCode: shape.error?.httpStatusCode,
      senderFault: shape.error?.senderFault ?? null,
      fault: faultOf(name),
      members: Object.keys(shape.members ?? {}),
      doc: plainDoc(shape.documentation, DOC_LIMITS.shape),
    };
  }
  const shapes: Json = {};
  for (const name of [...reachable].sort()) shapes[name] = extractedShape(shapeOf(name), shapeOf);
  return {
    _about: ABOUT,
    metadata: model.metadata,
    successHttpCode: SUCCESS_HTTP_CODE,
    faultNote: FAULT_NOTE,
    operations: extracted,
    errors,
    shapes,
  };
}

function childRefs(shape: BotocoreShape | undefined): BotocoreRef[] {
  if (!shape) return [];
  if (shape.type === "structure") return Object.values(shape.members ?? {});
  if (shape.type === "list" && shape.member) return [shape.member];
  if (shape.type === "map" && shape.key && shape.value) return [shape.key, shape.value];
  return [];
}

function faultOf(errorName: string): "client" | "server" {
  return SERVER_FAULT_ERRORS.has(errorName) ? "server" : "client";
}

function members(structure: BotocoreShape, shapeOf: (name: string) => BotocoreShape): Json[] {
  const required = new Set(structure.required ?? []);
  return Object.entries(structure.members ?? {}).map(([name, ref]) => {
    const target = shapeOf(ref.shape);
    // A structure's own flags (Credentials is sensitive) are not member constraints.
    const constraints = target.type === "structure" ? {} : constraintsOf(target);
    return {
      name,
      required: required.has(name),
      shape: ref.shape,
      type: typeName(target),
      ...(ref.location ? { location: ref.location, locationName: ref.locationName } : {}),
      ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
      ...(ref.documentation ? { doc: plainDoc(ref.documentation, DOC_LIMITS.member) } : {}),
    };
  });
}

function extractedShape(shape: BotocoreShape, shapeOf: (name: string) => BotocoreShape): Json {
  if (shape.type === "structure") {
    return {
      type: shape.type,
      members: members(shape, shapeOf),
      ...(shape.documentation ? { doc: plainDoc(shape.documentation, DOC_LIMITS.shape) } : {}),
    };
  }
  if (shape.type === "list")
    return { type: shape.type, member: shape.member?.shape, ...constraintsOf(shape) };
  if (shape.type === "map") {
    return {
      type: shape.type,
      key: shape.key?.shape,
      value: shape.value?.shape,
      ...constraintsOf(shape),
    };
  }
  return { type: shape.type, ...constraintsOf(shape) };
}

/** The shape's own constraints, in one fixed order. */
function constraintsOf(shape: BotocoreShape): Json {
  const constraints: Json = {};
  for (const key of ["min", "max", "pattern", "enum", "sensitive", "box"] as const) {
    if (shape[key] !== undefined) constraints[key] = shape[key];
  }
  return constraints;
}

function typeName(shape: BotocoreShape): string {
  if (shape.type === "list") return `list<${shape.member?.shape}>`;
  if (shape.type === "map") return `map<${shape.key?.shape},${shape.value?.shape}>`;
  return shape.type;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Text without tags or entities, on one line, at most `limit` characters and then "…". */
export function plainDoc(html: string | undefined, limit: number): string {
  const text = (html ?? "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
      if (body.startsWith("#x") || body.startsWith("#X")) {
        return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
      }
      if (body.startsWith("#")) return String.fromCodePoint(Number(body.slice(1)));
      return ENTITIES[body.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, " ")
    .trim();
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** JSON as the extract has always been written: one-space indents, UTF-8, no final newline. */
export function formatExtract(extract: Json): string {
  return JSON.stringify(extract, null, 1);
}

function main(argv: readonly string[]): void {
  const [servicePath, paginatorsPath, out = "src/connect/model/connect-user-ops.json"] = argv;
  if (!servicePath || !paginatorsPath) {
    process.stderr.write(
      "usage: tsx scripts/connect-model-extract.ts <service-2.json> <paginators-1.json> [out]\n",
    );
    process.exitCode = 2;
    return;
  }
  const model = JSON.parse(readFileSync(servicePath, "utf8")) as BotocoreModel;
  const paginators = (
    JSON.parse(readFileSync(paginatorsPath, "utf8")) as { pagination: Record<string, unknown> }
  ).pagination;
  writeFileSync(out, formatExtract(extractConnectModel(model, paginators)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
