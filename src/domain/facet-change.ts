import type { ConnectUserSpec } from "./connect-user";
import { type Facet, facetValue, type UpdateCall } from "./facets";

/** A facet's value as a user spec holds it: ids, phone settings, identity names. */
export type FacetValue = UpdateCall["value"];

/**
 * One facet's value before and after a change, in ids (names are looked up
 * when a person reads them). Identity carries no values: they are names and
 * an e-mail, kept out of audit entries and run reports.
 */
export interface FacetChange {
  facet: Facet;
  from?: FacetValue;
  to?: FacetValue;
}

/** The change of one facet from `from` (unknown: undefined) to `to`. */
export function facetChange(
  facet: Facet,
  from: ConnectUserSpec | undefined,
  to: ConnectUserSpec,
): FacetChange {
  if (facet === "identity") return { facet };
  return {
    facet,
    ...(from ? { from: facetValue(facet, from) } : {}),
    to: facetValue(facet, to),
  };
}
