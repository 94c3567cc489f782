import type { ConnectUser, ConnectUserSpec } from "../../domain/connect-user";
import { type FacetChange, facetChange } from "../../domain/facet-change";
import { FACET_TABLE } from "../../domain/facets";
import { differingFacets, type PlanOptions } from "../../domain/plan";
import type { SyncRequest } from "../../domain/sync-request";
import type { AuditTrail } from "../ports/audit";
import type { EmployeeState } from "../ports/employees";

/** `leaver/reconcile from the roster of canonical at 2026-12-02T01:30:00.000Z`, `mover/webhook`. */
export function auditReason(event: SyncRequest): string {
  const why = `${event.type}/${event.origin ?? "webhook"}`;
  return event.rosterAt ? `${why} from the roster of ${event.source} at ${event.rosterAt}` : why;
}

/** Writes the audit entries of one sync: what changed in Connect for this employee, and why. */
export class SyncAudit {
  constructor(
    private readonly event: SyncRequest,
    private readonly trail: AuditTrail,
    private readonly now: () => Date,
  ) {}

  entry(
    operation: string,
    userId: string,
    outcome: string,
    facets: string[] = [],
    change?: FacetChange,
  ): Promise<void> {
    const values = {
      ...(change && "from" in change ? { from: change.from } : {}),
      ...(change && "to" in change ? { to: change.to } : {}),
    };
    return this.trail.append(
      {
        source: this.event.source,
        employeeId: this.event.employeeId,
        eventId: this.event.eventId,
        reason: auditReason(this.event),
        operation,
        facets,
        connectUserId: userId,
        outcome,
        ...values,
      },
      this.now(),
    );
  }

  /**
   * A change that Connect shows made although this attempt makes no call for
   * it: an earlier attempt made it and died before it saw the answer (or
   * someone else made it). Only a sync that reads Connect first can tell: the
   * user it manages gone while the employee should have none, or a facet a
   * repair was queued for already as desired. Recorded, so that the audit
   * trail misses no change.
   */
  async foundMade(
    desired: ConnectUserSpec | null,
    stored: EmployeeState | undefined,
    current: ConnectUser | null,
    planOptions: PlanOptions,
  ): Promise<void> {
    const known = stored?.connectUser;
    if (desired === null && known && current === null) {
      await this.entry("DeleteUser", known.userId, "already-gone");
      return;
    }
    if (desired === null || current === null || !this.event.facets?.length) return;
    const differing = differingFacets(desired, current, planOptions);
    for (const facet of this.event.facets.filter((f) => !differing.includes(f))) {
      await this.entry(
        FACET_TABLE[facet].operation,
        current.userId,
        "already-in-place",
        [facet],
        facetChange(facet, undefined, current),
      );
    }
  }
}
