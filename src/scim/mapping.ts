import { type IdentityMode, usernameProblem } from "../domain/connect-limits";
import { employeeIdSchema, type HrRecord, hrRecordSchema } from "../domain/hr";
import { type FieldProblem, fieldProblems } from "../domain/validation";
import { ENTERPRISE_USER_URN } from "./attributes";
import type { ScimUser } from "./user";

/**
 * A SCIM User as the canonical HR record (docs/scim.md, "The mapping"):
 *
 * | HR record    | SCIM                                                                 |
 * | ------------ | -------------------------------------------------------------------- |
 * | employeeId   | externalId, else enterprise employeeNumber, else the SCIM id         |
 * | status       | active false: terminated (a leaver at once); otherwise active        |
 * | firstName    | name.givenName (required)                                            |
 * | lastName     | name.familyName (required)                                           |
 * | email        | the primary work e-mail, else any work, any primary, the first one; else userName when it is an e-mail |
 * | username     | userName (the Connect user name; the rules' template is not used)    |
 * | department   | enterprise department                                                |
 * | location     | addresses[type eq "work"].locality                                   |
 * | jobCode      | title                                                                |
 * | managerId    | enterprise manager.value                                             |
 * | attributes   | scimId, displayName, userType, employeeNumber, costCenter, organization, division |
 *
 * Problems name the SCIM attribute the IdP sent, never its value.
 */

export type RecordResult = { ok: true; record: HrRecord } | { ok: false; problems: FieldProblem[] };

/** Where each HR record field comes from, for problems reported to the IdP. */
const SCIM_SOURCE: Record<string, string> = {
  firstName: "name.givenName",
  lastName: "name.familyName",
  email: "emails",
  username: "userName",
  department: `${ENTERPRISE_USER_URN}:department`,
  location: 'addresses[type eq "work"].locality',
  jobCode: "title",
  managerId: `${ENTERPRISE_USER_URN}:manager.value`,
};

/** The employee id a user stands for: externalId, else employeeNumber, else its SCIM id. */
export function employeeIdOf(user: ScimUser, id: string): string {
  return user.externalId ?? user[ENTERPRISE_USER_URN]?.employeeNumber ?? id;
}

/** Which SCIM attribute the employee id was taken from. */
function employeeIdSource(user: ScimUser): string {
  if (user.externalId !== undefined) return "externalId";
  if (user[ENTERPRISE_USER_URN]?.employeeNumber !== undefined)
    return `${ENTERPRISE_USER_URN}:employeeNumber`;
  return "id";
}

/** An active user's userName becomes a Connect user name: what Connect would refuse is refused now. */
export function usernameProblems(user: ScimUser, identityMode: IdentityMode): FieldProblem[] {
  if (user.active === false) return [];
  const problem = usernameProblem(user.userName, identityMode);
  return problem
    ? [{ path: "userName", message: `becomes the Connect user name, which ${problem}` }]
    : [];
}

export function hrRecordOf(user: ScimUser, id: string): RecordResult {
  const problems: FieldProblem[] = [];
  const employeeId = employeeIdOf(user, id);
  if (!employeeIdSchema.safeParse(employeeId).success)
    problems.push({
      path: employeeIdSource(user),
      message:
        "becomes the HR employee id: at most 64 letters, digits and _ . : @ - (map the HR employee id to externalId)",
    });
  const enterprise = user[ENTERPRISE_USER_URN];
  const candidate = {
    employeeId,
    status: user.active === false ? "terminated" : "active",
    firstName: user.name?.givenName,
    lastName: user.name?.familyName,
    email: emailOf(user),
    username: user.userName,
    department: enterprise?.department ?? null,
    location: user.addresses?.find((a) => a.type?.toLowerCase() === "work")?.locality ?? null,
    jobCode: user.title ?? null,
    managerId: enterprise?.manager?.value ?? null,
    startDate: null,
    endDate: null,
    phone: null,
    attributes: attributesOf(user, id),
  };
  const parsed = hrRecordSchema.safeParse(candidate);
  if (!parsed.success)
    for (const problem of fieldProblems(parsed.error)) {
      const field = problem.path.split(/[.[]/)[0] ?? "";
      if (field === "employeeId") continue;
      problems.push({
        path: SCIM_SOURCE[field] ?? problem.path,
        message:
          candidate[field as keyof typeof candidate] === undefined
            ? `is required: it becomes the agent's ${describeField(field)}`
            : problem.message,
      });
    }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, record: parsed.data };
}

function describeField(field: string): string {
  switch (field) {
    case "firstName":
      return "first name";
    case "lastName":
      return "last name";
    case "email":
      return "e-mail (send a work e-mail, or a userName that is an e-mail address)";
    default:
      return field;
  }
}

/** The primary work e-mail, else any work one, any primary one, the first; else an e-mail-shaped userName. */
export function emailOf(user: ScimUser): string | undefined {
  const emails = (user.emails ?? []).filter((e) => e.value !== undefined);
  const work = (e: (typeof emails)[number]) => e.type?.toLowerCase() === "work";
  const chosen =
    emails.find((e) => work(e) && e.primary) ??
    emails.find(work) ??
    emails.find((e) => e.primary) ??
    emails[0];
  if (chosen?.value) return chosen.value;
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user.userName) ? user.userName : undefined;
}

function attributesOf(user: ScimUser, id: string): Record<string, string> {
  const enterprise = user[ENTERPRISE_USER_URN];
  const optional = {
    displayName: user.displayName,
    userType: user.userType,
    employeeNumber: enterprise?.employeeNumber,
    costCenter: enterprise?.costCenter,
    organization: enterprise?.organization,
    division: enterprise?.division,
  };
  const attributes: Record<string, string> = { scimId: id };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) attributes[key] = value;
  return attributes;
}
