import type { HrRecord } from "../../domain/hr";
import { fieldProblems } from "../../domain/validation";
import { CORE_USER_URN } from "../../scim/attributes";
import { invalidValue, type ScimProblem } from "../../scim/errors";
import { hrRecordOf, usernameProblems } from "../../scim/mapping";
import { normaliseUser, type ScimUser, scimUserSchema } from "../../scim/user";
import type { ScimDeps } from "./context";

export type Accepted =
  | { ok: true; user: ScimUser; record: HrRecord }
  | { ok: false; problem: ScimProblem };

/**
 * A User body (POST, PUT) or a patched resource, as the service will store
 * it and the HR record it becomes; or why not. Checked in full before
 * anything is stored: the IdP hears at once what Connect would refuse later.
 */
export function acceptUser(
  body: unknown,
  id: string,
  deps: Pick<ScimDeps, "identityMode">,
): Accepted {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return refuse({
      status: 400,
      scimType: "invalidSyntax",
      detail: "The body must be a User object",
    });
  const { user: normalised, schemas } = normaliseUser(body as Record<string, unknown>);
  const declared =
    Array.isArray(schemas) &&
    schemas.some((s) => typeof s === "string" && s.toLowerCase() === CORE_USER_URN.toLowerCase());
  if (!declared)
    return refuse({
      status: 400,
      scimType: "invalidSyntax",
      detail: `schemas must include ${CORE_USER_URN}`,
    });
  const parsed = scimUserSchema.safeParse(normalised);
  if (!parsed.success) return refuse(invalidValue(fieldProblems(parsed.error)));
  // Unset means active, as IdPs treat it; stored explicitly so that `active eq true` finds the user.
  const user: ScimUser = { ...parsed.data, active: parsed.data.active ?? true };
  const mapped = hrRecordOf(user, id);
  const problems = [
    ...usernameProblems(user, deps.identityMode),
    ...(mapped.ok ? [] : mapped.problems),
  ];
  if (problems.length > 0 || !mapped.ok) return refuse(invalidValue(problems));
  return { ok: true, user, record: mapped.record };
}

function refuse(problem: ScimProblem): Accepted {
  return { ok: false, problem };
}
