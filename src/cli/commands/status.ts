/**
 * `connect-hr-sync status EMPLOYEE_ID`: what the service last decided and
 * did for one employee (the employees table) and every change it made in
 * Connect for them (the audit trail). It shows the person's name and user
 * name on the operator's terminal, which is what they asked for; it logs
 * nothing. Ids are shown by name when CONNECT_INSTANCE_ID names the instance.
 */
import { Command } from "commander";
import type { ConnectNameLookup } from "../../app/ports/connect";
import type { EmployeeState } from "../../app/ports/employees";
import { CANONICAL_SOURCE } from "../../domain/employee-key";
import { employeeIdSchema } from "../../domain/hr";
import { disabledSince, graceEnds } from "../../domain/target";
import { loadRulesFile } from "../../runtime/config";
import { connectAdapters } from "../../runtime/connect-adapters";
import { loadStatusConfig } from "../../runtime/operator-config";
import { AuditLog } from "../../store/audit";
import { EmployeeRepository } from "../../store/employees";
import { clientsFor, type TargetOptions, targetEnv } from "../context";
import { EXIT, USAGE_MEANING, withExitCodes } from "../exit";
import { forgivingLookup, IDS_ONLY } from "../facet-text";
import { action, CliError, colour, printJson } from "../output";
import { printStatus, type StatusReport } from "../status-report";

export interface StatusFlags extends Pick<TargetOptions, "stage"> {
  json?: boolean;
  source?: string;
}

export function statusCommand(): Command {
  const command = new Command("status")
    .description("Show what the service stored for one employee and the changes it made in Connect")
    .argument("<employeeId>", "the employee's id in the HR system")
    .option("--json", "print one JSON object { employeeId, state, recordInvalid, audit } (ids)")
    .option("--source <name>", "the HR source the employee belongs to (e.g. bamboohr)", "canonical")
    .option("--stage <name>", "deployment stage whose tables to read (default dev)")
    .action(action((employeeId: string, flags: StatusFlags) => runStatus(employeeId, flags)));
  return withExitCodes(command, {
    [EXIT.ok]: "found",
    [EXIT.failed]: "the service has no state for that employee",
    [EXIT.usage]: `${USAGE_MEANING} (an id that cannot be an employee id, tables that do not exist)`,
    [EXIT.unreachable]: "DynamoDB could not be reached",
  });
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
  const config = loadStatusConfig(env);
  const clients = clientsFor(env);
  let report: StatusReport;
  try {
    const employees = new EmployeeRepository(clients.documents, config.tables.employees);
    const audit = new AuditLog(clients.documents, config.tables.audit, 0);
    const [state, trail] = await Promise.all([
      employees.get({ source: flags.source ?? CANONICAL_SOURCE, employeeId }),
      audit.forEmployee({ source: flags.source ?? CANONICAL_SOURCE, employeeId }),
    ]).catch((error: unknown) => {
      throw tableProblem(error, config.tables);
    });
    report = {
      employeeId,
      state: state ?? null,
      recordInvalid:
        state?.lastError?.name === "InvalidRecordError" &&
        state.lastError.eventId === state.lastEventId,
      audit: trail,
      ...disabledOf(state, env),
    };
    if (flags.json) printJson(report);
    else await printStatus(report, namesFor(config.connect, clients));
  } finally {
    clients.close();
  }
  if (report.state === null) {
    throw new CliError(
      `no stored state for employee ${employeeId} in ${config.tables.employees}: the service has not processed an event for them (is the id or --stage right?)`,
      EXIT.failed,
    );
  }
  return EXIT.ok;
}

/** A disabled leaver's dates; the deletion day needs the rules (left out when they cannot be read). */
function disabledOf(
  state: EmployeeState | undefined,
  env: NodeJS.ProcessEnv,
): Pick<StatusReport, "disabled"> {
  const since = state?.connectUser && disabledSince(state.connectUser);
  if (!since) return {};
  let deleteAfterDays: number | undefined;
  try {
    deleteAfterDays = loadRulesFile(env.SYNC_RULES_FILE ?? "").leavers.deleteAfterDays;
  } catch {
    return { disabled: { since } };
  }
  const deletesOn = graceEnds(since, deleteAfterDays);
  return { disabled: deletesOn ? { since, deletesOn } : { since } };
}

/** The instance's names, when it is named; ids with a warning when it cannot be asked. */
function namesFor(
  connect: ReturnType<typeof loadStatusConfig>["connect"],
  clients: ReturnType<typeof clientsFor>,
): ConnectNameLookup {
  if (!connect) return IDS_ONLY;
  return forgivingLookup(
    connectAdapters(connect, clients.connect, clients.documents).names,
    (error) =>
      process.stderr.write(
        `${colour.yellow("note")}: ids shown, Connect's names could not be read (${(error as Error).name})\n`,
      ),
  );
}

function tableProblem(error: unknown, tables: { employees: string; audit: string }): unknown {
  if ((error as Error).name === "ResourceNotFoundException")
    return new CliError(
      `the tables ${tables.employees} / ${tables.audit} do not exist: is --stage right?`,
      EXIT.usage,
    );
  return error;
}
