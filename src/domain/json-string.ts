import * as z from "./zod";

/**
 * A JSON string whose parsed value must match `schema` (an SQS body). The
 * same as Powertools parser's `JSONStringified`, in a few lines: importing
 * that helper brings the whole zod namespace (444 KiB) into the bundle.
 */
export function jsonString<T extends z.core.$ZodType>(schema: T) {
  const parsed = z.pipe(
    z.string(),
    z.transform((text: string, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch (error) {
        ctx.issues.push({
          code: "custom",
          message: `Invalid JSON - ${(error as Error).message}`,
          input: text,
        });
        return z.NEVER;
      }
    }),
  );
  return z.pipe(parsed, schema);
}
