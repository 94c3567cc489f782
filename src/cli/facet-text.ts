import type { ConnectNameLookup } from "../app/ports/connect";
import type { AgentPhone } from "../domain/agent";
import type { FacetChange, FacetValue } from "../domain/facet-change";
import type { Facet } from "../domain/facets";

/** Ids as they are, for when the instance cannot be asked (no instance id, Connect unreachable). */
export const IDS_ONLY: ConnectNameLookup = {
  routingProfileName: async (id) => id,
  securityProfileName: async (id) => id,
  hierarchyPath: async (id) => id,
};

/** A lookup that answers the id itself whenever the instance cannot be asked. */
export function forgivingLookup(
  names: ConnectNameLookup,
  onFailure: (error: unknown) => void = () => undefined,
): ConnectNameLookup {
  let failed = false;
  const guard =
    <A extends unknown[], R>(ask: (...args: A) => Promise<R>, fallback: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      if (failed) return fallback(...args);
      try {
        return await ask(...args);
      } catch (error) {
        failed = true;
        onFailure(error);
        return fallback(...args);
      }
    };
  return {
    routingProfileName: guard(
      (id: string) => names.routingProfileName(id),
      (id) => id,
    ),
    securityProfileName: guard(
      (id: string) => names.securityProfileName(id),
      (id) => id,
    ),
    hierarchyPath: guard(
      (id: string | null) => names.hierarchyPath(id),
      (id) => id,
    ),
  };
}

export const phoneText = (phone: AgentPhone) =>
  [
    phone.type,
    phone.autoAccept ? "auto-accept" : "no auto-accept",
    `after-contact work ${phone.afterContactWorkSeconds} s`,
    phone.deskPhoneNumber ? `desk ${phone.deskPhoneNumber}` : undefined,
  ]
    .filter(Boolean)
    .join(", ");

/** One facet's value as a person reads it: profile names, the hierarchy path, phone settings. */
export async function facetText(
  facet: Facet,
  value: FacetValue | undefined,
  names: ConnectNameLookup,
): Promise<string> {
  if (value === undefined) return "?";
  switch (facet) {
    case "routingProfile":
      return names.routingProfileName(value as string);
    case "securityProfiles": {
      const ids = value as string[];
      if (ids.length === 0) return "(none)";
      return (await Promise.all(ids.map((id) => names.securityProfileName(id)))).join(", ");
    }
    case "hierarchy":
      return (await names.hierarchyPath(value as string | null)) ?? "(none)";
    case "phone":
      return phoneText(value as AgentPhone);
    case "identity":
      return "names";
  }
}

/** `routingProfile: UK Sales → Basic Routing Profile`; identity by name only (its values are personal). */
export async function changeText(change: FacetChange, names: ConnectNameLookup): Promise<string> {
  if (change.facet === "identity" || change.to === undefined) return change.facet;
  const to = await facetText(change.facet, change.to, names);
  if (!("from" in change)) return `${change.facet}: ${to}`;
  return `${change.facet}: ${await facetText(change.facet, change.from, names)} → ${to}`;
}
