/**
 * Tags the service puts on every Connect user it creates: they mark the user
 * as managed, for which employee, so that a user whose creation answer was
 * lost is recognised and adopted rather than duplicated.
 */
export const MANAGED_TAG = "connect-hr-sync:managed";
export const EMPLOYEE_TAG = "connect-hr-sync:employee-id";

export function managedTags(employeeId: string): Record<string, string> {
  return { [MANAGED_TAG]: "true", [EMPLOYEE_TAG]: employeeId };
}

/** The employee a user was created for, when its tags say the service made it. */
export function taggedEmployee(tags: Record<string, string>): string | undefined {
  return tags[MANAGED_TAG] === "true" ? tags[EMPLOYEE_TAG] : undefined;
}
