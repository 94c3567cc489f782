import type { IdentityMode } from "./connect-limits";
import type { HrRecord, PhoneType } from "./hr";
import type { Condition, Matcher, SyncRules } from "./rules";
import { usernameFor } from "./username";
import type { FieldProblem } from "./validation";

/** Phone settings as Connect stores them (seconds, as DescribeUser answers). */
export interface AgentPhone {
  type: PhoneType;
  autoAccept: boolean;
  afterContactWorkSeconds: number;
  deskPhoneNumber: string | null;
}

export interface AgentIdentity {
  firstName: string;
  lastName: string;
  /** Absent on SAML instances: Connect refuses an e-mail there. */
  email?: string;
}

/** The Connect user a person should have, in names (as the rules speak). */
export interface DesiredAgent {
  employeeId: string;
  username: string;
  identity: AgentIdentity;
  routingProfile: string;
  securityProfiles: string[];
  hierarchy: string | null;
  phone: AgentPhone;
  /** The rules that matched, in file order (none: the defaults decided). */
  rules: string[];
}

export type AbsentReason =
  | "terminated"
  | "ended"
  | "out-of-scope"
  | "not-in-hr"
  | "not-yet-started";

export type AgentDecision =
  | {
      kind: "present";
      agent: DesiredAgent /** the day after endDate, when a leave is scheduled */;
      dueDate?: string;
    }
  | {
      kind: "absent";
      reason: AbsentReason /** when the decision will change by itself */;
      dueDate?: string;
    }
  | { kind: "invalid"; problems: FieldProblem[] };

/** `YYYY-MM-DD` plus n days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function fieldValue(record: HrRecord, field: string): unknown {
  if (field.startsWith("attributes."))
    return record.attributes[field.slice("attributes.".length)] ?? null;
  return (record as Record<string, unknown>)[field] ?? null;
}

function matches(value: unknown, matcher: Matcher): boolean {
  if (matcher === null || typeof matcher !== "object") return value === matcher;
  if ("equals" in matcher) return value === matcher.equals;
  if ("oneOf" in matcher) return matcher.oneOf.includes(value as never);
  return value !== null && new RegExp(matcher.regex, "u").test(String(value));
}

export function conditionHolds(record: HrRecord, condition: Condition): boolean {
  return Object.entries(condition).every(([field, matcher]) =>
    matches(fieldValue(record, field), matcher),
  );
}

export function inScope(record: HrRecord, scope: SyncRules["scope"]): boolean {
  const included =
    scope.include === undefined || scope.include.some((c) => conditionHolds(record, c));
  return included && !scope.exclude.some((c) => conditionHolds(record, c));
}

function identityFor(record: HrRecord, mode: IdentityMode): AgentIdentity {
  const names = { firstName: record.firstName, lastName: record.lastName };
  return mode === "SAML" ? names : { ...names, email: record.email };
}

/**
 * The rules engine: from an HR record (or its absence) and the sync rules,
 * the Connect user this person should have today, or why they should have
 * none. Pure: `today` is an ISO date in UTC.
 */
export function decideAgent(
  record: HrRecord | undefined,
  rules: SyncRules,
  today: string,
): AgentDecision {
  if (record === undefined) return { kind: "absent", reason: "not-in-hr" };

  const leaveDue = record.endDate ? addDays(record.endDate, 1) : undefined;
  if (leaveDue !== undefined && leaveDue <= today) return { kind: "absent", reason: "ended" };
  // A termination without an end date takes effect at once; with one, the person works until it.
  if (record.status === "terminated" && leaveDue === undefined)
    return { kind: "absent", reason: "terminated" };
  if (!inScope(record, rules.scope)) return { kind: "absent", reason: "out-of-scope" };
  if (record.startDate) {
    const provisionFrom = addDays(record.startDate, -rules.provisioning.daysBeforeStart);
    if (provisionFrom > today)
      return { kind: "absent", reason: "not-yet-started", dueDate: provisionFrom };
  }

  const username = usernameFor(record, rules.identity.usernameTemplate, rules.identity.mode);
  if (!username.ok)
    return { kind: "invalid", problems: [{ path: "record.username", message: username.problem }] };

  // Facet by facet, the first matching rule that sets it wins; the defaults fill the rest.
  const matched = rules.rules.filter((r) => conditionHolds(record, r.when));
  type Assignment = SyncRules["rules"][number]["set"];
  const pick = <K extends keyof Assignment>(
    key: K,
    fallback: NonNullable<Assignment[K]> | null,
  ) => {
    const setter = matched.find((r) => r.set[key] !== undefined);
    return setter ? (setter.set[key] ?? null) : fallback;
  };
  const phoneDefaults = { ...rules.defaults.phone, ...pick("phone", {}) };
  const phone: AgentPhone = {
    type: record.phone?.type ?? phoneDefaults.type,
    autoAccept: record.phone?.autoAccept ?? phoneDefaults.autoAccept,
    afterContactWorkSeconds:
      record.phone?.afterContactWorkSeconds ?? phoneDefaults.afterContactWorkSeconds,
    deskPhoneNumber: record.phone?.deskPhoneNumber ?? phoneDefaults.deskPhoneNumber ?? null,
  };
  if (phone.type === "DESK_PHONE" && phone.deskPhoneNumber === null) {
    return {
      kind: "invalid",
      problems: [
        {
          path: "record.phone.deskPhoneNumber",
          message: "is required when the phone type is DESK_PHONE",
        },
      ],
    };
  }

  const agent: DesiredAgent = {
    employeeId: record.employeeId,
    username: username.username,
    identity: identityFor(record, rules.identity.mode),
    routingProfile:
      pick("routingProfile", rules.defaults.routingProfile) ?? rules.defaults.routingProfile,
    securityProfiles: [
      ...new Set(pick("securityProfiles", rules.defaults.securityProfiles) ?? []),
    ].sort(),
    hierarchy: pick("hierarchy", rules.defaults.hierarchy),
    phone,
    rules: matched.map((r) => r.name),
  };
  return leaveDue === undefined
    ? { kind: "present", agent }
    : { kind: "present", agent, dueDate: leaveDue };
}
