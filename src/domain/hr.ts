import * as z from "./zod";

/**
 * The canonical HR record and event: the project's public wire format.
 * Unknown keys are dropped rather than refused so that senders can add
 * fields before we know them; every key we read is validated here.
 */

/** SQS FIFO group ids allow 128 printable characters; employee ids become group ids. */
export const employeeIdSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_.:@-]+$/, "may contain only letters, digits and _ . : @ -"),
  );

/** Connect refuses names that are not in Unicode Normalization Form C; normalise instead of failing. */
const personName = (max: number) =>
  z.pipe(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(max)),
    z.transform((s: string) => s.normalize("NFC")),
  );

const optionalText = z.nullish(z.string().check(z.trim(), z.maxLength(256)));

export const phoneTypeSchema = z.enum(["SOFT_PHONE", "DESK_PHONE"]);

/** E.164, the form Connect accepts for desk phone numbers. */
export const e164Schema = z
  .string()
  .check(z.regex(/^\+[1-9]\d{1,14}$/, "must be an E.164 number such as +442071234567"));

/** Per-person phone settings; each one present overrides the rules' phone defaults. */
export const phoneSettingsSchema = z.object({
  type: z.optional(phoneTypeSchema),
  autoAccept: z.optional(z.boolean()),
  afterContactWorkSeconds: z.optional(
    z.number().check(z.int(), z.minimum(0), z.maximum(2_000_000)),
  ),
  deskPhoneNumber: z.nullish(e164Schema),
});

export const hrRecordSchema = z.object({
  employeeId: employeeIdSchema,
  status: z.enum(["active", "terminated"]),
  firstName: personName(255),
  lastName: personName(256),
  email: z.email().check(z.maxLength(265)),
  username: z.nullish(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  department: optionalText,
  location: optionalText,
  jobCode: optionalText,
  managerId: optionalText,
  startDate: z.nullish(z.iso.date()),
  endDate: z.nullish(z.iso.date()),
  phone: z.nullish(phoneSettingsSchema),
  attributes: z._default(
    z.record(
      // Keys that would reach an object's prototype are refused, not copied.
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(128),
          z.regex(/^(?!(__proto__|constructor|prototype)$)/, "is a reserved name"),
        ),
      z.union([z.string().check(z.maxLength(1024)), z.number(), z.boolean(), z.null()]),
    ),
    {},
  ),
});

export const HR_EVENT_TYPES = ["joiner", "mover", "leaver"] as const;

export const hrEventShape = z.object({
  /** Becomes the SQS deduplication id: at most 128 printable ASCII characters. */
  eventId: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(128),
      z.regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
    ),
  type: z.enum(HR_EVENT_TYPES),
  employeeId: employeeIdSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  record: z.optional(hrRecordSchema),
});

export const recordMatchesEmployee = (
  event: z.infer<typeof hrEventShape>,
  ctx: z.core.$RefinementCtx<z.infer<typeof hrEventShape>>,
) => {
  if (event.record && event.record.employeeId !== event.employeeId) {
    ctx.addIssue({
      code: "custom",
      path: ["record", "employeeId"],
      message: "must equal the event's employeeId",
    });
  }
};

/** The canonical HR event: what HR systems send. */
export const hrEventSchema = hrEventShape.check(z.superRefine(recordMatchesEmployee));

export type HrRecord = z.infer<typeof hrRecordSchema>;
export type HrEvent = z.infer<typeof hrEventSchema>;
export type HrEventType = HrEvent["type"];
export type PhoneType = z.infer<typeof phoneTypeSchema>;

/**
 * Events are ordered per employee by occurredAt. The stored version is the
 * instant in UTC ISO form, so that plain string comparison orders it
 * (also inside DynamoDB condition expressions).
 */
export function eventVersion(event: Pick<HrEvent, "occurredAt">): string {
  return new Date(event.occurredAt).toISOString();
}
