import type { IdentityMode } from "../../domain/connect-limits";
import type { HrEventType } from "../../domain/hr";
import type { ScimProblem } from "../../scim/errors";
import type { EventQueue } from "../ports/queue";
import type { ScimUserStore } from "../ports/scim-users";

/** What the SCIM use cases need: the resource store, the sync queue, a clock and ids. */
export interface ScimDeps {
  users: ScimUserStore;
  queue: EventQueue;
  now: () => Date;
  newId: () => string;
  /** The rules' identity mode: a user name Connect would refuse is refused at once. */
  identityMode: IdentityMode;
}

/** Where this request reached the service, and its preconditions. */
export interface ScimCall {
  /** `https://host/scim/v2`: resource locations start with it. */
  baseUrl: string;
  /** The If-Match header, when the IdP sent one (RFC 7644 §3.14). */
  ifMatch?: string;
}

/** An accepted change, by ids only: what the logs and metrics tell. */
export interface ScimChange {
  operation: "create" | "replace" | "patch" | "delete";
  id: string;
  employeeId: string;
  eventId: string;
  type: HrEventType;
}

export type ScimOutcome =
  | {
      kind: "ok";
      status: 200 | 201 | 204;
      body?: unknown;
      location?: string;
      etag?: string;
      /** The change queued by this request; absent when nothing changed. */
      change?: ScimChange;
    }
  | { kind: "refused"; problem: ScimProblem; allow?: readonly string[] }
  /** Not authenticated: no or a wrong bearer token. */
  | { kind: "unauthorized"; problem: ScimProblem }
  /** The request is fine; the queue or the token's store is not: the IdP retries. */
  | { kind: "unavailable"; what: "queue" | "secret"; errorName: string; change?: ScimChange }
  /** The stored token does not have the form the service needs: an operator must fix it. */
  | { kind: "misconfigured"; problem: string };

export const refused = (problem: ScimProblem): ScimOutcome => ({ kind: "refused", problem });
