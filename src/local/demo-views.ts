import type { ReconcileRun } from "../app/ports/runs";
import type { RecordOutcome } from "../app/process-message";
import { DISABLED_TAG } from "../domain/managed";
import { documentClient, dynamoDbClient } from "../runtime/aws-clients";
import { loadRulesFile } from "../runtime/config";
import { AuditLog } from "../store/audit";
import { EmployeeRepository } from "../store/employees";
import { hrUsernames } from "./demo-feed";
import type { LocalStack } from "./stack";

export interface DemoIo {
  /** One line of the story. */
  say(line: string): void;
  /** A worker outcome, as the queue drains. */
  progress(outcome: RecordOutcome, phase: "feed" | "reconcile"): void;
}

/** A Connect user as the story shows it: names, not ids (but its id, to tell one user from another). */
export interface AgentSnapshot {
  username: string;
  userId: string;
  routingProfile: string;
  securityProfiles: string[];
  hierarchy: string;
  /** The connect-hr-sync:disabled-at tag: the day the user was disabled. */
  disabledAt?: string;
}

/** A repair the nightly run made from HR's roster, and why the audit trail says it was made. */
export interface RosterRepair {
  username: string;
  result: string;
  /** The audit entries' reason: `joiner/reconcile from the roster of canonical at …`. */
  audit: string;
  operations: string[];
}

export interface AgentRow {
  username: string;
  routingProfile: string;
  securityProfiles: string;
  hierarchy: string;
  status: string;
}

export function describeRun(run: ReconcileRun, io: DemoIo): void {
  for (const roster of run.rosters ?? []) {
    const size = roster.employees === undefined ? "" : `, ${roster.employees} employees`;
    const vendor = { bamboohr: "BambooHR", hibob: "HiBob" }[roster.kind as string] ?? roster.kind;
    const where = roster.location ?? roster.note ?? `${vendor}'s directory`;
    io.say(`   roster of ${roster.source}: ${where}${size}`);
  }
  const names = hrUsernames();
  for (const change of run.changes) {
    const who =
      change.username ??
      names.get(`${change.source}#${change.employeeId}`) ??
      change.employeeId ??
      change.userId;
    const what = change.facets?.length ? ` (${change.facets.join(", ")})` : "";
    const from = change.rosterAt ? " (from HR's roster export)" : "";
    io.say(`   ${change.class}: ${who}${what} -> ${change.repair ?? "reported"}${from}`);
  }
  io.say(
    `   ${run.queued} repair(s) queued; unmanaged ${run.counts.unmanaged}, protected ${run.counts.protected}: left alone`,
  );
}

/** The nightly run's repairs from HR's roster, each with the reason its audit entries give. */
export async function auditedRosterRepairs(
  stack: LocalStack,
  run: ReconcileRun,
  outcomes: { outcome: RecordOutcome; phase: string }[],
): Promise<RosterRepair[]> {
  const audit = new AuditLog(
    documentClient(dynamoDbClient(stack.env)),
    stack.env.AUDIT_TABLE ?? "",
    1,
  );
  const repairs: RosterRepair[] = [];
  for (const change of run.changes) {
    if (!change.rosterAt || !change.repair || !change.source || !change.employeeId) continue;
    const employeeId = change.employeeId;
    const entries = (await audit.forEmployee({ source: change.source, employeeId })).filter((e) =>
      e.reason.includes(`from the roster of ${change.source} at ${change.rosterAt}`),
    );
    const outcome = outcomes.find(
      (o) => o.phase === "reconcile" && o.outcome.employeeId === employeeId,
    )?.outcome;
    const username =
      change.username ??
      stack.emulator.dumpState().users.find((u) => entries.some((e) => e.connectUserId === u.Id))
        ?.Username;
    repairs.push({
      username: String(username ?? employeeId),
      result: outcome?.result ?? "not applied",
      audit: entries[0]?.reason ?? "(no audit entry)",
      operations: entries.map((e) => e.operation),
    });
  }
  return repairs;
}

/** One Connect user by user name, with the names of its profiles and hierarchy group. */
export function agentSnapshot(stack: LocalStack, username: string): AgentSnapshot | undefined {
  const state = stack.emulator.dumpState();
  const user = state.users.find((u) => u.Username === username);
  if (!user) return undefined;
  const name = (list: { id: string; name: string }[], id: unknown) =>
    list.find((r) => r.id === id)?.name ?? String(id ?? "");
  const tags = (user.Tags ?? {}) as Record<string, string>;
  return {
    username,
    userId: String(user.Id),
    routingProfile: name(state.routingProfiles, user.RoutingProfileId),
    securityProfiles: ((user.SecurityProfileIds ?? []) as string[]).map((id) =>
      name(state.securityProfiles, id),
    ),
    hierarchy: state.hierarchyGroups.find((g) => g.id === user.HierarchyGroupId)?.path ?? "",
    ...(tags[DISABLED_TAG] ? { disabledAt: tags[DISABLED_TAG] } : {}),
  };
}

/** Every Connect user, with names instead of ids, and who manages it. */
export async function agentTable(stack: LocalStack): Promise<AgentRow[]> {
  const state = stack.emulator.dumpState();
  const rules = loadRulesFile(stack.env.SYNC_RULES_FILE ?? "");
  const employees = new EmployeeRepository(
    documentClient(dynamoDbClient(stack.env)),
    stack.env.EMPLOYEES_TABLE ?? "",
  );
  const managedBy = new Map<string, string>();
  for await (const employee of employees.scan()) {
    if (employee.connectUser) managedBy.set(employee.connectUser.userId, employee.employeeId);
  }
  const name = (list: { id: string; name: string }[], id: unknown) =>
    list.find((r) => r.id === id)?.name ?? String(id ?? "");
  const path = (id: unknown) => state.hierarchyGroups.find((g) => g.id === id)?.path ?? "";
  return state.users
    .map((u) => {
      const username = String(u.Username);
      const profiles = ((u.SecurityProfileIds ?? []) as string[]).map((id) =>
        name(state.securityProfiles, id),
      );
      const isProtected =
        rules.protected.usernames.includes(username) ||
        profiles.some((p) => rules.protected.securityProfiles.includes(p));
      const employeeId = managedBy.get(String(u.Id));
      const disabledAt = ((u.Tags ?? {}) as Record<string, string>)[DISABLED_TAG];
      return {
        username,
        routingProfile: name(state.routingProfiles, u.RoutingProfileId),
        securityProfiles: profiles.join(", "),
        hierarchy: path(u.HierarchyGroupId),
        status: isProtected
          ? "protected"
          : employeeId
            ? `${disabledAt ? `disabled ${disabledAt}` : "managed"} (${employeeId})`
            : "unmanaged",
      };
    })
    .sort((a, b) => a.username.localeCompare(b.username));
}
