import type { SyncRequest } from "../../domain/sync-request";
import type { ScimUser } from "../../scim/user";

/**
 * The SCIM resources, stored when a request is accepted (before the worker
 * runs), so that a GET or a filter right after a write shows it. userName
 * (without case) and the employee id each belong to one live user.
 */

export interface StoredScimUser {
  id: string;
  user: ScimUser;
  /** The HR employee id the user stands for (externalId, employeeNumber or the id). */
  employeeId: string;
  /** 1 when created, one more with each change: the ETag, and the condition of every write. */
  version: number;
  created: string;
  lastModified: string;
  /**
   * The canonical event of this version until the queue has taken it (an
   * outbox of one): a retried request finds it and queues the same event.
   */
  pendingEvent?: SyncRequest;
}

/** A deleted user: no attributes, only what a retried DELETE needs. Never answered by GET. */
export interface ScimTombstone {
  id: string;
  deleted: true;
  employeeId: string;
  version: number;
  lastModified: string;
  pendingEvent?: SyncRequest;
}

export type ScimWriteResult =
  | { kind: "written" }
  /** Another live user has this userName or employee id. */
  | { kind: "taken"; attribute: "userName" | "employeeId" }
  /** The stored version is no longer the one read: read again and retry. */
  | { kind: "conflict" };

export interface ScimUserStore {
  get(id: string): Promise<StoredScimUser | ScimTombstone | undefined>;
  /** The live user with this userName, compared without case. */
  findByUserName(userName: string): Promise<StoredScimUser | undefined>;
  findByEmployeeId(employeeId: string): Promise<StoredScimUser | undefined>;
  /** Every live user (a scan: for filters no key answers). */
  list(): Promise<StoredScimUser[]>;
  create(user: StoredScimUser): Promise<ScimWriteResult>;
  /** Writes `next` over `previous` (same id, version one more), moving the claims that change. */
  replace(previous: StoredScimUser, next: StoredScimUser): Promise<ScimWriteResult>;
  /** Replaces the user by its tombstone (version one more) and frees its userName and employee id. */
  remove(previous: StoredScimUser, tombstone: ScimTombstone): Promise<ScimWriteResult>;
  /** The pending event of this version is on the queue. */
  markQueued(id: string, version: number): Promise<void>;
}

export function isTombstone(item: StoredScimUser | ScimTombstone): item is ScimTombstone {
  return "deleted" in item && item.deleted === true;
}
