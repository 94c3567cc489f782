import { CANONICAL_SOURCE, type EmployeeRef } from "./employee-key";

/**
 * Tags the service puts on every Connect user it manages: they mark the user
 * as managed, for which employee of which HR source, so that a user whose
 * creation answer was lost is recognised and adopted rather than duplicated.
 */
export const MANAGED_TAG = "connect-hr-sync:managed";
export const EMPLOYEE_TAG = "connect-hr-sync:employee-id";
export const SOURCE_TAG = "connect-hr-sync:source";
/** Set when a leaver's user is disabled (the date), removed when they are rehired. */
export const DISABLED_TAG = "connect-hr-sync:disabled-at";
/**
 * A person puts it (value "true") on a user the service must never change;
 * IAM denies the worker any change of such a user, and the worker keeps it.
 */
export const PROTECTED_TAG = "connect-hr-sync:protected";

/** Every tag key the service sets on a user. */
export const SERVICE_TAG_KEYS = [MANAGED_TAG, EMPLOYEE_TAG, SOURCE_TAG] as const;

export function managedTags(ref: EmployeeRef): Record<string, string> {
  return { [MANAGED_TAG]: "true", [EMPLOYEE_TAG]: ref.employeeId, [SOURCE_TAG]: ref.source };
}

/**
 * The employee a user is managed for, when its tags say the service manages
 * it. A user tagged before sources were separate has no source tag: canonical.
 */
export function taggedEmployee(tags: Record<string, string>): EmployeeRef | undefined {
  const employeeId = tags[EMPLOYEE_TAG];
  if (tags[MANAGED_TAG] !== "true" || employeeId === undefined) return undefined;
  return { source: tags[SOURCE_TAG] ?? CANONICAL_SOURCE, employeeId };
}
