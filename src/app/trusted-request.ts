import type { SyncRequest } from "../domain/sync-request";
import type { RepairGrants } from "./ports/grants";

/**
 * Why a queue message may not be carried out as it says, or undefined when
 * it may. Anyone who can send to the queue can write any body: fields that
 * only the service sets (origin, runId, adoptUserId, deleteUserId, facets,
 * absentConfirmed) count only when a grant the service recorded itself says
 * the same. An HR event from a webhook carries none of them.
 */
export async function untrustedReason(
  event: SyncRequest,
  grants: Pick<RepairGrants, "find">,
): Promise<string | undefined> {
  const internal = internalFields(event);
  const origin = event.origin ?? "webhook";
  if (origin === "cli") return "`connect-hr-sync sync` never goes through the queue";
  if (origin !== "reconcile" && origin !== "import") {
    return internal.length > 0
      ? `a ${origin} event may not set ${internal.join(", ")}: only the service does`
      : undefined;
  }
  if (!event.runId) return `a ${origin} request names no run`;
  const grant = await grants.find(event.runId, event);
  if (!grant || grant.origin !== origin)
    return `no ${origin} run ${event.runId} recorded a request for this employee`;
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
  ] as const;
  return fields.filter((field) => event[field] !== undefined);
}
