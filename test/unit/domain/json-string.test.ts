import { describe, expect, it } from "vitest";
import * as z from "zod";
import { jsonString } from "../../../src/domain/json-string";

describe("a JSON string checked against a schema", () => {
  const schema = jsonString(z.object({ employeeId: z.string().min(1) }));

  it("answers the parsed value when it matches", () => {
    const result = schema.safeParse('{"employeeId":"E1","extra":1}');

    expect(result).toEqual({ success: true, data: { employeeId: "E1" } });
  });

  it("refuses text that is not JSON with one issue saying so, and checks nothing more", () => {
    const result = schema.safeParse("{not json");

    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toMatch(/^Invalid JSON - /);
  });

  it("refuses JSON that does not match, naming the field", () => {
    const result = schema.safeParse('{"employeeId":""}');

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["employeeId"]]);
  });

  it("refuses what is not a string", () => {
    expect(schema.safeParse({ employeeId: "E1" }).success).toBe(false);
  });
});
