import type { SyncRequest } from "../domain/sync-request";
import type { RepairGrant, RepairGrants } from "./ports/grants";

/**
 * What the worker carries out of a queue message: the request, or why it may
 * not. Anyone who can send to the queue can write any body: fields that only
 * the service sets (origin, runId, adoptUserId, deleteUserId, facets,
 * absentConfirmed, rosterAt) count only when a grant the service recorded
 * itself says the same. An HR event from a webhook carries none of them. A
 * repair from an HR roster converges to the record its grant kept.
 */
export async function trustedRequest(
  event: SyncRequest,
  grants: Pick<RepairGrants, "find">,
): Promise<{ untrusted: string } | { request: SyncRequest }> {
  const origin = event.origin ?? "webhook";
  const found = origin === "reconcile" || origin === "import";
  const grant = found && event.runId ? await grants.find(event.runId, event) : undefined;
  const untrusted = untrustedReason(event, grant);
  if (untrusted) return { untrusted };
  if (event.rosterAt === undefined) return { request: event };
  const { record: _, ...thin } = event;
  const record = grant?.roster?.record;
  return { request: record ? { ...thin, record } : thin };
}

/** Why a message may not be carried out as it says, against the grant of its run; undefined when it may. */
function untrustedReason(event: SyncRequest, grant: RepairGrant | undefined): string | undefined {
  const internal = internalFields(event);
  const origin = event.origin ?? "webhook";
  if (origin === "cli") return "`connect-hr-sync sync` never goes through the queue";
  if (origin !== "reconcile" && origin !== "import") {
    return internal.length > 0
      ? `a ${origin} event may not set ${internal.join(", ")}: only the service does`
      : undefined;
  }
  if (!event.runId) return `a ${origin} request names no run`;
  if (!grant || grant.origin !== origin)
    return `no ${origin} run ${event.runId} recorded a request for this employee`;
  if (grant.held) return `run ${event.runId} holds this request until a person approves it`;
  if (event.rosterAt !== grant.roster?.at)
    return event.rosterAt === undefined
      ? `run ${event.runId} recorded a repair from the HR roster, not this request`
      : `run ${event.runId} did not read the HR roster at that time`;
  if (event.adoptUserId !== undefined && event.adoptUserId !== grant.adoptUserId)
    return `run ${event.runId} did not agree to adopt that user`;
  if (event.deleteUserId !== undefined && event.deleteUserId !== grant.deleteUserId)
    return `run ${event.runId} did not find that user orphaned`;
  if (event.facets?.some((facet) => !grant.facets?.includes(facet)))
    return `run ${event.runId} did not find those facets differing`;
  if (event.absentConfirmed && !grant.absentConfirmed)
    return `run ${event.runId} did not confirm the employee gone`;
  if (event.graceExpired && !grant.graceExpired)
    return `run ${event.runId} did not find the disabled user's grace passed`;
  return undefined;
}

function internalFields(event: SyncRequest): string[] {
  const fields = [
    "runId",
    "adoptUserId",
    "deleteUserId",
    "facets",
    "absentConfirmed",
    "graceExpired",
    "rosterAt",
  ] as const;
  return fields.filter((field) => event[field] !== undefined);
}
