import type { AuditEntry } from "../app/ports/audit";
import type { ConnectNameLookup } from "../app/ports/connect";
import type { EmployeeState } from "../app/ports/employees";
import type { DesiredAgent } from "../domain/agent";
import type { ConnectUser } from "../domain/connect-user";
import { FACETS, type Facet } from "../domain/facets";
import { changeText, phoneText } from "./facet-text";
import { colour, printTable } from "./output";
import { renderTable, terminalWidth } from "./table";

export interface StatusReport {
  employeeId: string;
  /** As stored; null when the service has no state for this employee. */
  state: EmployeeState | null;
  /** The last event's HR record could not become a user: the desired agent is the one decided before. */
  recordInvalid: boolean;
  /** Oldest first. */
  audit: AuditEntry[];
  /** The user is a disabled leaver's: since when, and the day the reconciliation deletes it (if ever). */
  disabled?: { since: string; deletesOn?: string };
}

const write = (text: string) => process.stdout.write(`${text}\n`);

/** A two-column table of labelled values, without a header row. */
function printFields(rows: (string | number)[][]): void {
  const labelled = rows.map(([label, value]) => [colour.dim(String(label)), String(value ?? "")]);
  write(renderTable([], labelled, terminalWidth()));
}

const list = (names: readonly string[]) => (names.length > 0 ? names.join(", ") : "(none)");

/** The Connect user as a person reads it: profile names and the hierarchy path, not ids. */
async function userInNames(user: ConnectUser, names: ConnectNameLookup) {
  return {
    username: user.username,
    routingProfile: await names.routingProfileName(user.routingProfileId),
    securityProfiles: list(
      (await Promise.all(user.securityProfileIds.map((id) => names.securityProfileName(id))))
        .slice()
        .sort(),
    ),
    hierarchy: (await names.hierarchyPath(user.hierarchyGroupId)) ?? "(none)",
    phone: phoneText(user.phone),
  };
}

function agentInNames(agent: DesiredAgent) {
  return {
    username: agent.username,
    routingProfile: agent.routingProfile,
    securityProfiles: list([...agent.securityProfiles].sort()),
    hierarchy: agent.hierarchy ?? "(none)",
    phone: phoneText(agent.phone),
  };
}

const ROWS = [
  ["user name", "username"],
  ["routing profile", "routingProfile"],
  ["security profiles", "securityProfiles"],
  ["hierarchy", "hierarchy"],
  ["phone", "phone"],
] as const;

/** What the rules ask for beside what the managed user holds, by name, differences marked. */
async function printAgentAndUser(
  state: EmployeeState,
  names: ConnectNameLookup,
  recordInvalid: boolean,
): Promise<void> {
  const desired = state.desired.kind === "present" ? agentInNames(state.desired.agent) : undefined;
  const user = state.connectUser;
  const current = user ? await userInNames(user, names) : undefined;
  if (state.desired.kind === "absent") {
    const due = state.desired.dueDate ?? state.dueDate;
    // An invalid record decides nothing: "not-in-hr" is only the absence of an earlier decision.
    const reason =
      recordInvalid && state.desired.reason === "not-in-hr"
        ? "nothing decided yet: the HR record is invalid"
        : state.desired.reason;
    write(`${colour.bold("Desired agent")}: none (${reason}${due ? `; due ${due}` : ""})`);
  }
  if (!user) write(`${colour.bold("Managed Connect user")}: none`);
  if (desired && current) {
    write(colour.bold(`Desired agent and managed Connect user ${user?.userId}`));
    printTable(
      ["", "desired (rules)", "Connect user", ""],
      ROWS.map(([label, key]) => [
        label,
        desired[key],
        current[key],
        desired[key].toLowerCase() === current[key].toLowerCase() ? "" : colour.yellow("differs"),
      ]),
    );
  } else if (desired) {
    write(colour.bold("Desired agent"));
    printFields(ROWS.map(([label, key]) => [label, desired[key]]));
  } else if (current) {
    write(colour.bold(`Managed Connect user ${user?.userId}`));
    printFields(ROWS.map(([label, key]) => [label, current[key]]));
  }
  if (state.desired.kind === "present") {
    const rules = state.desired.agent.rules;
    write(
      `${colour.dim("rules matched")} ${rules.length > 0 ? rules.join(", ") : "(defaults only)"}`,
    );
  }
}

/** An audit entry's change as a person reads it: the facet from → to, by name. */
async function auditChange(entry: AuditEntry, names: ConnectNameLookup): Promise<string> {
  const facets = entry.facets.filter((f): f is Facet => (FACETS as readonly string[]).includes(f));
  const [facet] = facets;
  if (facets.length !== 1 || facet === undefined) return entry.facets.join(", ");
  return changeText(
    {
      facet,
      ...("from" in entry ? { from: entry.from } : {}),
      ...("to" in entry ? { to: entry.to } : {}),
    },
    names,
  );
}

export async function printStatus(
  { employeeId, state, recordInvalid, audit, disabled }: StatusReport,
  names: ConnectNameLookup,
): Promise<void> {
  if (state) {
    const person = state.record ? ` ${state.record.firstName} ${state.record.lastName}` : "";
    write(`${colour.bold(`Employee ${employeeId}`)}${person}`);
    const rows: (string | number)[][] = [
      ["version (event time)", state.version],
      ["last event", state.lastEventId],
      ["updated", state.updatedAt],
    ];
    if (state.record) rows.push(["HR status", state.record.status]);
    if (state.source) rows.push(["HR source", state.source]);
    if (state.dueDate) rows.push(["changes by itself on", state.dueDate]);
    if (disabled) {
      rows.push(["disabled since", disabled.since]);
      rows.push(["deleted on", disabled.deletesOn ?? "never (no leavers.deleteAfterDays)"]);
    }
    if (state.heldIn)
      rows.push(["held", `a leaver held for approval: connect-hr-sync approve ${state.heldIn}`]);
    printFields(rows);
    if (recordInvalid) {
      write(
        `${colour.red("HR record invalid")}: the last event's record cannot become a user (see Last error); ` +
          "what was decided before stands",
      );
    }
    await printAgentAndUser(state, names, recordInvalid);
    if (state.lastError) {
      const e = state.lastError;
      write(`${colour.red("Last error")} ${e.name}: ${e.message} (at ${e.at}, event ${e.eventId})`);
    }
  }

  if (audit.length === 0) {
    if (state) write(`${colour.bold("Audit trail")}: no changes made in Connect`);
    return;
  }
  write(colour.bold(`Audit trail (${audit.length})`));
  const rows = await Promise.all(
    audit.map(async (entry) => [
      (entry.at.split("#")[0] ?? entry.at).replace(/\.\d+Z$/, "Z"),
      entry.operation,
      await auditChange(entry, names),
      entry.reason,
      entry.outcome,
      entry.eventId,
    ]),
  );
  printTable(["time", "operation", "change", "reason", "outcome", "event"], rows);
}
