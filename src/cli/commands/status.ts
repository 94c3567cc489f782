/**
 * `connect-hr-sync status EMPLOYEE_ID`: what the service last decided and
 * did for one employee (the employees table) and every change it made in
 * Connect for them (the audit trail). It shows the person's name and user
 * name on the operator's terminal, which is what they asked for; it logs
 * nothing.
 *
 * Exit codes: 0 found; 1 no stored state for that employee; 2 usage
 * (an id that cannot be an employee id); 3 DynamoDB could not be reached.
 */
import Table from "cli-table3";
import { Command, type CommanderError } from "commander";
import type { AuditEntry } from "../../app/ports/audit";
import type { EmployeeState } from "../../app/ports/employees";
import type { AgentPhone } from "../../domain/agent";
import { CANONICAL_SOURCE } from "../../domain/employee-key";
import { employeeIdSchema } from "../../domain/hr";
import { AuditLog } from "../../store/audit";
import { EmployeeRepository } from "../../store/employees";
import { clientsFor, type TargetOptions, targetEnv } from "../context";
import { action, CliError, colour, EXIT, printJson, printTable } from "../output";

export interface StatusFlags extends Pick<TargetOptions, "stage"> {
  json?: boolean;
  source?: string;
}

export interface StatusReport {
  employeeId: string;
  /** As stored; null when the service has no state for this employee. */
  state: EmployeeState | null;
  /** Oldest first. */
  audit: AuditEntry[];
}

export function statusCommand(): Command {
  return new Command("status")
    .description("Show what the service stored for one employee and the changes it made in Connect")
    .argument("<employeeId>", "the employee's id in the HR system")
    .option("--json", "print one JSON object { employeeId, state, audit }")
    .option("--source <name>", "the HR source the employee belongs to (e.g. bamboohr)", "canonical")
    .option("--stage <name>", "deployment stage whose tables to read (default dev)")
    .addHelpText(
      "after",
      "\nExit codes: 0 found, 1 unknown employee, 2 usage, 3 DynamoDB unreachable.",
    )
    .exitOverride(usageExit)
    .action(action((employeeId: string, flags: StatusFlags) => runStatus(employeeId, flags)));
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runStatus(
  employeeId: string,
  flags: StatusFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (!employeeIdSchema.safeParse(employeeId).success)
    throw new CliError(
      "EMPLOYEE_ID must be 1 to 64 letters, digits and _ . : @ - (the id in the HR system)",
      EXIT.usage,
    );
  const env = await targetEnv({ stage: flags.stage }, base);
  const clients = clientsFor(env);
  let report: StatusReport;
  try {
    const employees = new EmployeeRepository(clients.documents, env.EMPLOYEES_TABLE ?? "");
    const audit = new AuditLog(clients.documents, env.AUDIT_TABLE ?? "", 0);
    const [state, trail] = await Promise.all([
      employees.get({ source: flags.source ?? CANONICAL_SOURCE, employeeId }),
      audit.forEmployee({ source: flags.source ?? CANONICAL_SOURCE, employeeId }),
    ]).catch((error: unknown) => {
      throw tableProblem(error, env);
    });
    report = { employeeId, state: state ?? null, audit: trail };
  } finally {
    clients.close();
  }

  if (flags.json) printJson(report);
  else printReport(report);
  if (report.state === null) {
    throw new CliError(
      `no stored state for employee ${employeeId} in ${env.EMPLOYEES_TABLE}: the service has not processed an event for them (is the id or --stage right?)`,
      EXIT.failed,
    );
  }
  return EXIT.ok;
}

function tableProblem(error: unknown, env: NodeJS.ProcessEnv): unknown {
  if ((error as Error).name === "ResourceNotFoundException")
    return new CliError(
      `the tables ${env.EMPLOYEES_TABLE} / ${env.AUDIT_TABLE} do not exist: is --stage right?`,
      EXIT.usage,
    );
  return error;
}

const phoneText = (phone: AgentPhone) =>
  [
    phone.type,
    phone.autoAccept ? "auto-accept" : "no auto-accept",
    `after-contact work ${phone.afterContactWorkSeconds} s`,
    phone.deskPhoneNumber ? `desk ${phone.deskPhoneNumber}` : undefined,
  ]
    .filter(Boolean)
    .join(", ");

/** A two-column table of labelled values, without a header row. */
function printFields(rows: (string | number)[][]): void {
  const table = new Table({ style: { head: [], border: [], compact: true } });
  table.push(...rows.map(([label, value]) => [colour.dim(String(label)), String(value ?? "")]));
  process.stdout.write(`${table.toString()}\n`);
}

const idList = (ids: readonly string[]) => (ids.length > 0 ? ids.join(", ") : "(none)");

function printReport({ employeeId, state, audit }: StatusReport): void {
  const write = (text: string) => process.stdout.write(`${text}\n`);
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
    printFields(rows);

    const desired = state.desired;
    if (desired.kind === "present") {
      const agent = desired.agent;
      write(colour.bold("Desired agent"));
      printFields([
        ["user name", agent.username],
        ["routing profile", agent.routingProfile],
        ["security profiles", idList(agent.securityProfiles)],
        ["hierarchy", agent.hierarchy ?? "(none)"],
        ["phone", phoneText(agent.phone)],
        ["rules matched", agent.rules.length > 0 ? agent.rules.join(", ") : "(defaults only)"],
      ]);
    } else {
      const due = desired.dueDate ?? state.dueDate;
      write(
        `${colour.bold("Desired agent")}: none (${desired.reason}${due ? `; due ${due}` : ""})`,
      );
    }

    const user = state.connectUser;
    if (user) {
      write(colour.bold(`Managed Connect user ${user.userId}`));
      printFields([
        ["user name", user.username],
        ["routing profile id", user.routingProfileId],
        ["security profile ids", idList(user.securityProfileIds)],
        ["hierarchy group id", user.hierarchyGroupId ?? "(none)"],
        ["phone", phoneText(user.phone)],
      ]);
    } else {
      write(`${colour.bold("Managed Connect user")}: none`);
    }
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
  printTable(
    ["time", "operation", "facets", "reason", "event", "outcome"],
    audit.map((entry) => [
      entry.at.split("#")[0] ?? entry.at,
      entry.operation,
      entry.facets.join(", "),
      entry.reason,
      entry.eventId,
      entry.outcome,
    ]),
  );
}

/** Commander's own usage errors (unknown option, missing argument) exit 2; help exits 0. */
function usageExit(error: CommanderError): never {
  const informational = ["commander.helpDisplayed", "commander.help", "commander.version"];
  process.exit(informational.includes(error.code) ? EXIT.ok : EXIT.usage);
}
