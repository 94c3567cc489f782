import { decideAgent } from "../domain/agent";
import type { ConnectUser } from "../domain/connect-user";
import { CANONICAL_SOURCE, sameEmployee } from "../domain/employee-key";
import type { Facet } from "../domain/facets";
import type { HrRecord } from "../domain/hr";
import { EMPLOYEE_TAG, taggedEmployee } from "../domain/managed";
import { differingFacets } from "../domain/plan";
import type { SyncRules } from "../domain/rules";
import { describeProblems } from "../domain/validation";
import { UnknownNameError } from "./errors";
import type { ConnectNames, ConnectUsers } from "./ports/connect";
import type { EmployeeState, EmployeeStore } from "./ports/employees";
import { isProtectedUser } from "./protection";

/** What importing one row will do, as the worker would decide it now. */
export type ImportAction =
  | "create"
  /** An existing user with the same user name becomes the employee's. */
  | "adopt"
  | "update"
  | "unchanged"
  | "delete"
  /** In scope, but the start date (less daysBeforeStart) is still to come. */
  | "not-yet-due"
  | "out-of-scope"
  /** A leaver (or a past end date) who has no user: nothing to do. */
  | "no-agent"
  /** The worker will refuse it: the record cannot become a user, or the user name is taken. */
  | "refused";

export interface ImportPreview {
  employeeId: string;
  action: ImportAction;
  /** update: the facets that differ. */
  facets?: Facet[];
  /** not-yet-due: the start; a present agent: the leave. */
  dueDate?: string;
  /** refused: why (field paths and names, never values). */
  detail?: string;
}

export interface PreviewDeps {
  employees: Pick<EmployeeStore, "scan">;
  connect: Pick<ConnectUsers, "searchAllUsers">;
  names: ConnectNames;
  rules: SyncRules;
  now: () => Date;
}

/**
 * What an import of these records will do, row by row: the worker's own
 * decision (rules, scope, dates) against the service's state and the users
 * in Connect. Reads only: one scan of the employees table and one paged
 * SearchUsers, whatever the roster's size.
 */
export async function previewImport(
  records: readonly HrRecord[],
  deps: PreviewDeps,
): Promise<ImportPreview[]> {
  const today = deps.now().toISOString().slice(0, 10);
  const states = new Map<string, EmployeeState>();
  // Rows are the canonical source's employees; another source's E1 is someone else.
  for await (const state of deps.employees.scan())
    if (state.source === CANONICAL_SOURCE) states.set(state.employeeId, state);
  const byUsername = new Map<string, ConnectUser>();
  for (const user of await deps.connect.searchAllUsers())
    byUsername.set(user.username.toLowerCase(), user);

  const previews: ImportPreview[] = [];
  for (const record of records) {
    const employeeId = record.employeeId;
    const managed = states.get(employeeId)?.connectUser;
    const decision = decideAgent(record, deps.rules, today);
    const say = (action: ImportAction, more: Partial<ImportPreview> = {}) =>
      previews.push({ employeeId, action, ...more });
    if (decision.kind === "invalid") {
      say("refused", { detail: describeProblems(decision.problems) });
      continue;
    }
    if (decision.kind === "absent") {
      if (managed) say("delete");
      else if (decision.reason === "not-yet-started")
        say("not-yet-due", decision.dueDate ? { dueDate: decision.dueDate } : {});
      else if (decision.reason === "out-of-scope") say("out-of-scope");
      else say("no-agent");
      continue;
    }
    const due = decision.dueDate ? { dueDate: decision.dueDate } : {};
    let desired: Awaited<ReturnType<ConnectNames["resolve"]>>;
    try {
      desired = await deps.names.resolve(decision.agent);
    } catch (error) {
      if (!(error instanceof UnknownNameError)) throw error;
      say("refused", { detail: error.problems.join("; ") });
      continue;
    }
    if (managed) {
      const facets = differingFacets(desired, managed, {
        manageIdentity: deps.rules.identity.mode !== "EXISTING_DIRECTORY",
      });
      say(facets.length > 0 ? "update" : "unchanged", facets.length > 0 ? { facets, ...due } : due);
      continue;
    }
    const holder = byUsername.get(desired.username.toLowerCase());
    if (!holder) {
      say("create", due);
      continue;
    }
    // As the worker adopts: the user its own lost CreateUser made, or an unclaimed, unprotected one.
    const tagged = taggedEmployee(holder.tags);
    if (tagged && sameEmployee(tagged, { source: CANONICAL_SOURCE, employeeId })) say("adopt", due);
    else if (holder.tags[EMPLOYEE_TAG] !== undefined)
      say("refused", { detail: "the user name is held by a user tagged for another employee" });
    else if (await isProtectedUser(holder, deps.rules, deps.names))
      say("refused", { detail: "the user name is held by a protected user" });
    else say("adopt", due);
  }
  return previews;
}
