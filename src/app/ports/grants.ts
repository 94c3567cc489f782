import type { EmployeeRef } from "../../domain/employee-key";
import type { Facet } from "../../domain/facets";
import type { HrRecord } from "../../domain/hr";

/**
 * What a reconciliation, an approval or an import asked the worker to do for
 * one employee, recorded by the service itself before the request is queued.
 * The queue is a trust boundary: a request that claims to come from the
 * service is carried out only as far as a grant says.
 */
export interface RepairGrant extends EmployeeRef {
  runId: string;
  origin: "reconcile" | "import";
  /** The unmanaged user a person (or the rules' automatic adoption) agreed to adopt. */
  adoptUserId?: string;
  /** The managed user whose employee is gone, to delete even without stored state. */
  deleteUserId?: string;
  /** The facets the reconciliation found differing. */
  facets?: Facet[];
  /** The HR source looked twice and still does not know the employee: a leaver. */
  absentConfirmed?: true;
  /** A disabled leaver's grace has passed: the user is deleted. */
  graceExpired?: true;
  /**
   * A repair from an HR roster read at `at`: the worker converges to this
   * record, or to none when the roster does not list the employee. Kept here,
   * beside the grant the worker reads anyway, rather than in the queue
   * message: personal data stays off the queue and the DLQ, and a message
   * stays a few hundred bytes whatever the record.
   */
  roster?: { at: string; record?: HrRecord };
  /** Recorded for a held repair's roster record only: vouches for nothing until approved. */
  held?: true;
}

export interface RepairGrants {
  record(grants: readonly RepairGrant[]): Promise<void>;
  find(runId: string, employee: EmployeeRef): Promise<RepairGrant | undefined>;
}
