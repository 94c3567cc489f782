import { LineCounter, parseDocument } from "yaml";
import * as z from "zod";
import { didYouMean } from "./did-you-mean";
import { sourceSchema } from "./employee-key";
import { RECORD_FIELDS } from "./record-fields";
import {
  type RulesProblem,
  rulesProblemText,
  schemaProblems,
  yamlProblems,
} from "./rules-problems";

/**
 * The rosters file: where the nightly reconciliation reads each HR source's
 * roster (docs/deploy.md, "HR rosters"). One entry per source; a source
 * without one is reconciled against the service's stored records (`stored`),
 * or its vendor's directory when that is configured (BambooHR, HiBob).
 */

export const ROSTER_KINDS = ["s3", "https", "bamboohr", "hibob", "stored"] as const;
export type RosterKind = (typeof ROSTER_KINDS)[number];

/** csv: `import`'s columns (or a mapping's); jsonl: one canonical record a line; json: an array in a report. */
export const ROSTER_FORMATS = ["csv", "jsonl", "json"] as const;
export type RosterFormat = (typeof ROSTER_FORMATS)[number];

/** `secretsmanager:<name or ARN>`, `ssm:<name>`, an ARN, or (local mode only) `env:<VARIABLE>`. */
const secretRef = z
  .string()
  .regex(
    /^(secretsmanager:\S+|ssm:\S+|arn:aws[\w-]*:(secretsmanager|ssm):\S+|env:[A-Z_][A-Z0-9_]*)$/,
    "must be secretsmanager:<name or ARN>, ssm:<parameter name>, an ARN, or env:<VARIABLE> in local mode",
  );

/** `Report_Entry`, `data.workers`, `Emails[0].Address`: keys split by dots, [n] for array items. */
const jsonPath = z
  .string()
  .min(1)
  .max(256)
  .regex(/^(\$\.)?[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/, "must be a path such as a.b[0].c");

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Where one canonical field comes from: a column or JSON path, values renamed, a default. */
const fieldSourceSchema = z.union([
  z.string().min(1).max(256),
  z
    .strictObject({
      path: z.string().min(1).max(256).optional(),
      /** The export's value -> the canonical one (e.g. status: { "1": active, "0": terminated }). */
      values: z.record(z.string(), scalar.nullable()).optional(),
      /** When the path is absent or empty. */
      default: scalar.optional(),
    })
    .refine((s) => s.path !== undefined || s.default !== undefined, {
      message: "needs a path, a default, or both",
    }),
]);
export type FieldSource = z.infer<typeof fieldSourceSchema>;

const MAPPED_FIELDS = RECORD_FIELDS;
const REQUIRED_MAPPED = ["employeeId", "firstName", "lastName", "email"] as const;

/** Canonical field -> where the export has it. */
const mappingSchema = z.record(z.string(), fieldSourceSchema).superRefine((mapping, ctx) => {
  for (const field of Object.keys(mapping)) {
    if ((MAPPED_FIELDS as readonly string[]).includes(field)) continue;
    if (
      /^attributes\.[^.]{1,128}$/.test(field) &&
      !/^attributes\.(__proto__|constructor|prototype)$/.test(field)
    )
      continue;
    const meant = didYouMean(field, MAPPED_FIELDS);
    ctx.addIssue({
      code: "custom",
      path: [field],
      message: meant
        ? `is not a field of the HR record (did you mean "${meant}"?)`
        : `is not a field of the HR record; use one of ${MAPPED_FIELDS.join(", ")} or attributes.<name>`,
    });
  }
  const missing = REQUIRED_MAPPED.filter((field) => mapping[field] === undefined);
  if (missing.length > 0)
    ctx.addIssue({
      code: "custom",
      message: `must map ${missing.join(", ")} (every record needs them; status defaults to active)`,
    });
});
export type RosterMapping = z.infer<typeof mappingSchema>;

/** What every roster read as a whole (S3, HTTPS) shares: its format and its safety bounds. */
const snapshotShape = {
  /** Default: by the object's name (.csv, .jsonl, .ndjson, .json); https: json. */
  format: z.enum(ROSTER_FORMATS).optional(),
  /** csv: the delimiter; default: detected from the header. */
  delimiter: z.enum([",", ";", "\t", "|"]).optional(),
  /** json: where the array of records is (Workday RaaS: Report_Entry); default: the whole body. */
  records: jsonPath.optional(),
  mapping: mappingSchema.optional(),
  /** A roster listing fewer than this share of the last good roster's employees is refused. */
  minShareOfLast: z.number().min(0).max(1).default(0.9),
  /**
   * An employee whose newest event is less than this many minutes before the
   * roster's time is judged by that event, not the roster: an export takes a
   * while between its query and its upload.
   */
  graceMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(60),
  /** A larger roster is refused rather than read in part. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .max(512 * 1024 * 1024)
    .default(50 * 1024 * 1024),
};

const s3Schema = z.strictObject({
  kind: z.literal("s3"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
  /** The newest object under this prefix is the roster. */
  prefix: z.string().max(1024).default(""),
  /** The newest object may be at most this old (its LastModified). */
  maxAgeHours: z
    .number()
    .positive()
    .max(24 * 90)
    .default(26),
  ...snapshotShape,
});

const authSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("none") }),
  /** The secret holds JSON: {"username": "...", "password": "..."}. */
  z.strictObject({ type: z.literal("basic"), secret: secretRef }),
  /** OAuth 2.0 client credentials; the secret holds JSON: {"clientId": "...", "clientSecret": "..."}. */
  z.strictObject({
    type: z.literal("client-credentials"),
    tokenUrl: z.url(),
    secret: secretRef,
    scope: z.string().min(1).max(1024).optional(),
  }),
]);
export type RosterAuth = z.infer<typeof authSchema>;

const httpsSchema = z.strictObject({
  kind: z.literal("https"),
  url: z.url(),
  auth: authSchema.default({ type: "none" }),
  /** For the whole read, every page and the token included. */
  timeoutSeconds: z.number().int().min(1).max(600).default(60),
  /** A report that pages: the next page's URL in the Link header, or at a JSON path of each page. */
  paging: z.strictObject({ next: z.union([z.literal("link-header"), jsonPath]) }).optional(),
  maxPages: z.number().int().min(1).max(10_000).default(1000),
  ...snapshotShape,
});

const rosterSchema = z.discriminatedUnion("kind", [
  s3Schema,
  httpsSchema,
  z.strictObject({ kind: z.literal("bamboohr") }),
  z.strictObject({ kind: z.literal("hibob") }),
  z.strictObject({ kind: z.literal("stored") }),
]);

export const rostersFileSchema = z.strictObject({
  version: z.literal(1),
  /** By HR source; names are checked below, where a bad one can be named. */
  rosters: z.record(z.string(), rosterSchema).default({}),
});

/** The keys each kind takes, for a did-you-mean the shared problem text cannot give under a record. */
const KEYS_BY_KIND: Record<string, string[]> = Object.fromEntries(
  rosterSchema.options.map((option) => [option.shape.kind.value, Object.keys(option.shape)]),
);

export type RosterSettings = z.infer<typeof rosterSchema>;
export type S3RosterSettings = z.infer<typeof s3Schema>;
export type HttpsRosterSettings = z.infer<typeof httpsSchema>;
export type SnapshotRosterSettings = S3RosterSettings | HttpsRosterSettings;

export class RostersFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: RulesProblem[],
  ) {
    super(
      `${source} is not a valid rosters file:\n${problems.map((p) => `  - ${rulesProblemText(p)}`).join("\n")}`,
    );
    this.name = "RostersFileError";
  }
}

/** Parses a rosters file (YAML or JSON); problems name the field path, line and column. */
export function parseRostersFile(
  text: string,
  source = "rosters file",
): Record<string, RosterSettings> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0)
    throw new RostersFileError(source, yamlProblems(document.errors, text, lineCounter));
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    throw new RostersFileError(source, [
      { path: "(root)", message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  const result = rostersFileSchema.safeParse(data);
  if (!result.success) {
    const problems = schemaProblems(
      result.error.issues,
      document,
      lineCounter,
      data,
      rostersFileSchema,
    );
    throw new RostersFileError(
      source,
      problems.map((p) => withSuggestion(p, data)),
    );
  }
  const problems: RulesProblem[] = [];
  for (const [name, roster] of Object.entries(result.data.rosters)) {
    const named = sourceSchema.safeParse(name);
    if (!named.success)
      problems.push({
        path: `rosters.${name}`,
        message: named.error.issues[0]?.message ?? "is not a source name",
      });
    // A vendor's directory is the roster of that vendor's employees only.
    if ((roster.kind === "bamboohr" || roster.kind === "hibob") && name !== roster.kind)
      problems.push({
        path: `rosters.${name}.kind`,
        message: `${roster.kind} is the roster of the ${roster.kind} source only`,
      });
  }
  if (problems.length > 0) throw new RostersFileError(source, problems);
  return result.data.rosters;
}

/** `rosters.canonical.maxAgeHour: is not a key here` with the key its kind takes that it meant. */
function withSuggestion(problem: RulesProblem, data: unknown): RulesProblem {
  const match = /^rosters\.([^.]+)\.([^.]+)$/.exec(problem.path);
  if (!match || problem.message !== "is not a key here") return problem;
  const [, name = "", key = ""] = match;
  const rosters = (data as { rosters?: Record<string, { kind?: unknown }> } | null)?.rosters;
  const keys = KEYS_BY_KIND[String(rosters?.[name]?.kind)] ?? [];
  const meant = didYouMean(key, keys);
  const hint = meant
    ? ` (did you mean "${meant}"?)`
    : keys.length > 0
      ? `; use ${keys.join(", ")}`
      : "";
  return { ...problem, message: `${problem.message}${hint}` };
}
