import { LineCounter, parseDocument } from "yaml";
import * as z from "zod";
import { IDENTITY_MODES } from "./connect-limits";
import { didYouMean } from "./did-you-mean";
import { e164Schema, phoneTypeSchema } from "./hr";
import { RECORD_FIELDS } from "./record-fields";
import {
  type RulesProblem,
  rulesProblemText,
  schemaProblems,
  yamlProblems,
} from "./rules-problems";

export { RECORD_FIELDS } from "./record-fields";

/**
 * The sync rules file: who gets an agent, and which routing profile,
 * security profiles, hierarchy group and phone settings they get. Names,
 * not ids: ids are resolved from the instance. Objects are strict so that a
 * misspelt key fails at start instead of silently doing nothing.
 */

export const USERNAME_PLACEHOLDERS = [
  "email",
  "emailLocalPart",
  "firstName",
  "lastName",
  "employeeId",
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source, "u");
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: `is not a valid regular expression: ${(error as Error).message}`,
    });
  }
});

const matcherSchema = z.union([
  scalar,
  z.strictObject({ equals: scalar }),
  z.strictObject({ oneOf: z.array(scalar).min(1) }),
  z.strictObject({ regex: regexSource }),
]);

const isRecordField = (field: string) =>
  (RECORD_FIELDS as readonly string[]).includes(field) || /^attributes\.[^.]+$/.test(field);

/** Every entry must hold (AND). */
const conditionSchema = z.record(z.string(), matcherSchema).superRefine((condition, ctx) => {
  const fields = Object.keys(condition);
  if (fields.length === 0)
    ctx.addIssue({ code: "custom", message: "must test at least one field" });
  for (const field of fields.filter((f) => !isRecordField(f))) {
    const meant = didYouMean(field, RECORD_FIELDS);
    ctx.addIssue({
      code: "custom",
      path: [field],
      message: meant
        ? `is not a field of the HR record (did you mean "${meant}"?)`
        : `is not a field of the HR record; use one of ${RECORD_FIELDS.join(", ")} or attributes.<name>`,
    });
  }
});

const phoneDefaultsSchema = z.strictObject({
  type: phoneTypeSchema,
  autoAccept: z.boolean(),
  afterContactWorkSeconds: z.number().int().min(0).max(2_000_000),
  deskPhoneNumber: z.nullish(e164Schema),
});

const hierarchyPathSchema = z
  .string()
  .min(1)
  .refine((p) => p.split("/").every((part) => part.trim().length > 0) && p.split("/").length <= 5, {
    message: "must be a path of 1 to 5 group names such as EMEA/London/Support",
  });

const profileName = z.string().min(1).max(127);

const assignmentSchema = z.strictObject({
  routingProfile: profileName.optional(),
  securityProfiles: z.array(profileName).min(1).max(10).optional(),
  hierarchy: hierarchyPathSchema.nullable().optional(),
  phone: phoneDefaultsSchema.partial().optional(),
});

const usernameTemplateSchema = z
  .string()
  .min(1)
  .superRefine((template, ctx) => {
    for (const [, name] of template.matchAll(/\{([^}]*)\}/g)) {
      if (!(USERNAME_PLACEHOLDERS as readonly string[]).includes(name ?? "")) {
        ctx.addIssue({
          code: "custom",
          message: `unknown placeholder {${name}}; use ${USERNAME_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`,
        });
      }
    }
  });

export const syncRulesSchema = z.strictObject({
  version: z.literal(1),
  identity: z.strictObject({
    mode: z.enum(IDENTITY_MODES),
    usernameTemplate: usernameTemplateSchema.default("{email}"),
  }),
  scope: z
    .strictObject({
      include: z.array(conditionSchema).optional(),
      exclude: z.array(conditionSchema).default([]),
    })
    .default({ exclude: [] }),
  defaults: z.strictObject({
    routingProfile: profileName,
    securityProfiles: z.array(profileName).min(1).max(10),
    hierarchy: hierarchyPathSchema.nullable().default(null),
    phone: phoneDefaultsSchema.default({
      type: "SOFT_PHONE",
      autoAccept: false,
      afterContactWorkSeconds: 0,
    }),
  }),
  rules: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        when: conditionSchema,
        set: assignmentSchema,
      }),
    )
    .default([]),
  protected: z
    .strictObject({
      usernames: z.array(z.string().min(1)).default([]),
      securityProfiles: z.array(profileName).default([]),
      /**
       * How old a list of who holds a protected security profile a deletion
       * may trust; 0 reads each user again (DescribeUser) before deleting it.
       */
      maxAgeSeconds: z.number().int().min(0).max(3600).default(60),
    })
    .default({ usernames: [], securityProfiles: [], maxAgeSeconds: 60 }),
  /**
   * What a leaver's user becomes. `delete` (the default) removes it at once;
   * `disable` keeps it (same id and user name) with exactly the `disable`
   * profiles and a `connect-hr-sync:disabled-at` tag, so that a rehire gets
   * it back; the nightly reconciliation deletes it `deleteAfterDays` later
   * (absent: never).
   */
  leavers: z
    .strictObject({
      action: z.enum(["delete", "disable"]).default("delete"),
      disable: z
        .strictObject({
          securityProfiles: z.array(profileName).min(1).max(10),
          routingProfile: profileName,
          hierarchy: hierarchyPathSchema.nullable().default(null),
        })
        .optional(),
      deleteAfterDays: z.number().int().min(0).max(3650).optional(),
    })
    .superRefine((leavers, ctx) => {
      if (leavers.action === "disable" && !leavers.disable)
        ctx.addIssue({
          code: "custom",
          path: ["disable"],
          message: "is required when action is disable: the profiles a disabled user gets",
        });
    })
    .default({ action: "delete" }),
  /**
   * An existing Connect user the service does not manage is adopted only when
   * a person says so (`import`, or `approve` of the run that found it). The
   * reconciliation adopts on its own only users whose security profiles are
   * all among `automatic.securityProfiles` (never a protected user); absent: never.
   */
  adoption: z
    .strictObject({
      automatic: z
        .strictObject({ securityProfiles: z.array(profileName).min(1).max(10) })
        .optional(),
    })
    .default({}),
  provisioning: z
    .strictObject({ daysBeforeStart: z.number().int().min(0).max(90).default(0) })
    .default({ daysBeforeStart: 0 }),
  guard: z
    .strictObject({
      maxDeletes: z.number().int().min(0).default(25),
      maxDeletePercent: z.number().min(0).max(100).default(10),
      /**
       * The percentage applies only from this many managed users on (Okta's
       * import safeguard starts at 100): one leaver on a small instance is not held.
       */
      minManagedForPercent: z.number().int().min(0).default(100),
      /**
       * A circuit breaker for events: more deletions and disables than this
       * from HR events within an hour, and the rest are held for `approve`.
       */
      maxDeletesPerHour: z.number().int().min(0).default(50),
    })
    .default({
      maxDeletes: 25,
      maxDeletePercent: 10,
      minManagedForPercent: 100,
      maxDeletesPerHour: 50,
    }),
  tags: z
    .record(
      z
        .string()
        .min(1)
        .max(128)
        .regex(/^(?!aws:)(?!connect-hr-sync:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u),
      z.string().max(256),
    )
    .default({}),
});

export type SyncRules = z.infer<typeof syncRulesSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Matcher = z.infer<typeof matcherSchema>;

export class RulesFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: RulesProblem[],
  ) {
    super(
      `${source} is not a valid rules file:\n${problems.map((p) => `  - ${rulesProblemText(p)}`).join("\n")}`,
    );
    this.name = "RulesFileError";
  }
}

/**
 * Parses a rules file (YAML or JSON) and validates it. Problems name the
 * field path (rules by name) and, where the YAML parser knows it, the line
 * and column.
 */
export function parseSyncRules(text: string, source = "rules file"): SyncRules {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0)
    throw new RulesFileError(source, yamlProblems(document.errors, text, lineCounter));
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    // Aliases the parser accepts but cannot expand: unresolved, or so many (an alias bomb)
    // that expanding them would exhaust memory. A broken file, not a crash.
    throw new RulesFileError(source, [
      { path: "(root)", message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  const result = syncRulesSchema.safeParse(data);
  if (result.success) return result.data;

  throw new RulesFileError(
    source,
    schemaProblems(result.error.issues, document, lineCounter, data, syncRulesSchema),
  );
}
