import type { FieldProblem } from "../domain/validation";

/**
 * SCIM error responses (RFC 7644 §3.12): `schemas` with the Error URN,
 * `status` as a string, `scimType` where the RFC defines one, and a
 * `detail` that names attributes, never their values.
 */

export const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/** The scimType values of RFC 7644 §3.12, table 9. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

/** An expected refusal: a value, answered as SCIM error JSON. */
export interface ScimProblem {
  status: number;
  scimType?: ScimType;
  detail: string;
}

export interface ScimErrorBody {
  schemas: [typeof ERROR_URN];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function scimErrorBody(problem: ScimProblem): ScimErrorBody {
  return {
    schemas: [ERROR_URN],
    status: String(problem.status),
    ...(problem.scimType ? { scimType: problem.scimType } : {}),
    detail: problem.detail,
  };
}

/** Refusals of invalid attribute values, listing at most a few fields by path. */
export function invalidValue(problems: readonly FieldProblem[]): ScimProblem {
  const listed = problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`);
  return { status: 400, scimType: "invalidValue", detail: listed.join("; ") };
}

export const notFound = (what = "User"): ScimProblem => ({
  status: 404,
  detail: `${what} not found`,
});
