import * as z from "zod";

/**
 * The canonical HR record and event: the project's public wire format.
 * Unknown keys are dropped rather than refused so that senders can add
 * fields before we know them; every key we read is validated here.
 */

/** SQS FIFO group ids allow 128 printable characters; employee ids become group ids. */
export const employeeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:@-]+$/, "may contain only letters, digits and _ . : @ -");

/** Connect refuses names that are not in Unicode Normalization Form C; normalise instead of failing. */
const personName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .transform((s) => s.normalize("NFC"));

const optionalText = z.string().trim().max(256).nullish();

export const phoneTypeSchema = z.enum(["SOFT_PHONE", "DESK_PHONE"]);

/** E.164, the form Connect accepts for desk phone numbers. */
export const e164Schema = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, "must be an E.164 number such as +442071234567");

/** Per-person phone settings; each one present overrides the rules' phone defaults. */
export const phoneSettingsSchema = z.object({
  type: phoneTypeSchema.optional(),
  autoAccept: z.boolean().optional(),
  afterContactWorkSeconds: z.number().int().min(0).max(2_000_000).optional(),
  deskPhoneNumber: e164Schema.nullish(),
});

export const hrRecordSchema = z.object({
  employeeId: employeeIdSchema,
  status: z.enum(["active", "terminated"]),
  firstName: personName(255),
  lastName: personName(256),
  email: z.email().max(265),
  username: z.string().trim().min(1).max(100).nullish(),
  department: optionalText,
  location: optionalText,
  jobCode: optionalText,
  managerId: optionalText,
  startDate: z.iso.date().nullish(),
  endDate: z.iso.date().nullish(),
  phone: phoneSettingsSchema.nullish(),
  attributes: z
    .record(
      // Keys that would reach an object's prototype are refused, not copied.
      z
        .string()
        .min(1)
        .max(128)
        .regex(/^(?!(__proto__|constructor|prototype)$)/, "is a reserved name"),
      z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]),
    )
    .default({}),
});

export const HR_EVENT_TYPES = ["joiner", "mover", "leaver"] as const;

export const hrEventShape = z.object({
  /** Becomes the SQS deduplication id: at most 128 printable ASCII characters. */
  eventId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
  type: z.enum(HR_EVENT_TYPES),
  employeeId: employeeIdSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  record: hrRecordSchema.optional(),
});

export const recordMatchesEmployee = (
  event: z.infer<typeof hrEventShape>,
  ctx: z.RefinementCtx,
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
export const hrEventSchema = hrEventShape.superRefine(recordMatchesEmployee);

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
