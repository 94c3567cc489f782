import * as z from "zod";

/**
 * A JSON string whose parsed value must match `schema` (an SQS body). The
 * same as Powertools parser's `JSONStringified`, in a few lines: importing
 * that helper brings the whole zod namespace (444 KiB) into the bundle.
 */
export function jsonString<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `Invalid JSON - ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
