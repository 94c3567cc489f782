import type { ScimProblem } from "./errors";

/**
 * ListResponse paging (RFC 7644 §3.4.2.4): `startIndex` is 1-based (below 1
 * reads as 1), `count` is at most MAX_RESULTS (negative reads as 0), and the
 * answer echoes the startIndex asked for, as Entra's validator checks.
 */

export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/** What ServiceProviderConfig announces as filter.maxResults. */
export const MAX_RESULTS = 200;
export const DEFAULT_COUNT = 100;

export interface Page {
  startIndex: number;
  count: number;
}

export type PageResult = { ok: true; page: Page } | { ok: false; problem: ScimProblem };

export function pageOf(query: { startIndex?: string; count?: string }): PageResult {
  const startIndex = integerOf(query.startIndex);
  const count = integerOf(query.count);
  if (startIndex === "invalid" || count === "invalid")
    return {
      ok: false,
      problem: {
        status: 400,
        scimType: "invalidValue",
        detail: `${startIndex === "invalid" ? "startIndex" : "count"} must be an integer`,
      },
    };
  return {
    ok: true,
    page: {
      startIndex: Math.max(1, startIndex ?? 1),
      count: Math.min(MAX_RESULTS, Math.max(0, count ?? DEFAULT_COUNT)),
    },
  };
}

/**
 * Any integer, however many digits: a count above MAX_RESULTS is capped, not
 * refused (RFC 7644 §3.4.2.4), and a startIndex past every match is an empty
 * page. Held to safe integers so that the echoed startIndex stays one.
 */
function integerOf(text: string | undefined): number | undefined | "invalid" {
  if (text === undefined || text.trim() === "") return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(text)) return "invalid";
  const value = Number(text);
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, value));
}

export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_URN];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/** One page of every match, in the order given. */
export function listResponse<T>(matches: readonly T[], page: Page): ListResponse<T> {
  const resources = matches.slice(page.startIndex - 1, page.startIndex - 1 + page.count);
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults: matches.length,
    startIndex: page.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
