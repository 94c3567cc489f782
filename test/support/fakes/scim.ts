import type { PublishResult } from "../../../src/app/ports/queue";
import {
  isTombstone,
  type ScimTombstone,
  type ScimUserStore,
  type ScimWriteResult,
  type StoredScimUser,
} from "../../../src/app/ports/scim-users";
import type { TokenDeps } from "../../../src/app/scim/authenticate";
import type { ScimDeps } from "../../../src/app/scim/context";
import type { SyncRequest } from "../../../src/domain/sync-request";
import { MemoryQueue } from "./stores";

/** The SCIM users store in memory, with the DynamoDB repository's uniqueness and version rules. */
export class MemoryScimUsers implements ScimUserStore {
  readonly items = new Map<string, StoredScimUser | ScimTombstone>();

  async get(id: string) {
    return structuredClone(this.items.get(id));
  }

  async findByUserName(userName: string) {
    return this.live().find((u) => u.user.userName.toLowerCase() === userName.toLowerCase());
  }

  async findByEmployeeId(employeeId: string) {
    return this.live().find((u) => u.employeeId === employeeId);
  }

  async list() {
    return this.live();
  }

  async create(user: StoredScimUser): Promise<ScimWriteResult> {
    const clash = this.clash(user);
    if (clash) return clash;
    this.items.set(user.id, structuredClone(user));
    return { kind: "written" };
  }

  async replace(previous: StoredScimUser, next: StoredScimUser): Promise<ScimWriteResult> {
    if (this.items.get(previous.id)?.version !== previous.version) return { kind: "conflict" };
    const clash = this.clash(next);
    if (clash) return clash;
    this.items.set(next.id, structuredClone(next));
    return { kind: "written" };
  }

  async remove(previous: StoredScimUser, tombstone: ScimTombstone): Promise<ScimWriteResult> {
    if (this.items.get(previous.id)?.version !== previous.version) return { kind: "conflict" };
    this.items.set(tombstone.id, structuredClone(tombstone));
    return { kind: "written" };
  }

  async markQueued(id: string, version: number) {
    const item = this.items.get(id);
    if (item?.version === version) delete item.pendingEvent;
  }

  private live(): StoredScimUser[] {
    return [...this.items.values()]
      .filter((item): item is StoredScimUser => !isTombstone(item))
      .map((u) => structuredClone(u));
  }

  private clash(user: StoredScimUser): ScimWriteResult | undefined {
    const others = this.live().filter((u) => u.id !== user.id);
    if (others.some((u) => u.user.userName.toLowerCase() === user.user.userName.toLowerCase()))
      return { kind: "taken", attribute: "userName" };
    if (others.some((u) => u.employeeId === user.employeeId))
      return { kind: "taken", attribute: "employeeId" };
    return undefined;
  }
}

/**
 * A token store in the middle of a rotation: `cached` is what a container
 * holds, `stored` what a read of the store finds (current first, then previous).
 */
export function rotatingTokens(cached: string[], stored: string[]) {
  const reads: boolean[] = [];
  return {
    reads,
    async signingSecrets(_source: unknown, options: { refresh?: boolean } = {}) {
      reads.push(options.refresh ?? false);
      return options.refresh
        ? { values: stored, refreshable: false }
        : { values: cached, refreshable: true };
    },
  };
}

/** The sync queue in memory; `refuse` makes the next publishes fail as SQS would. */
export class RefusingQueue extends MemoryQueue {
  refuse = 0;

  override async publish(events: readonly SyncRequest[]): Promise<PublishResult> {
    if (this.refuse === 0) return super.publish(events);
    this.refuse -= 1;
    return {
      queued: [],
      failed: events.map((e) => ({ eventId: e.eventId, code: "InternalError" })),
    };
  }
}

export const SCIM_TEST_TOKEN = "test-token-0123456789abcdefghijklmnopqrstuv";

/** SCIM use-case dependencies on fakes, with a clock that moves one second per change. */
export function scimFakes(overrides: Partial<ScimDeps & TokenDeps> = {}) {
  const users = new MemoryScimUsers();
  const queue = new RefusingQueue();
  let ids = 0;
  let clock = Date.parse("2026-11-28T09:00:00Z");
  const deps: ScimDeps & TokenDeps = {
    users,
    queue,
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
    newId: () => {
      ids += 1;
      return `00000000-0000-4000-8000-${String(ids).padStart(12, "0")}`;
    },
    identityMode: "SAML",
    secrets: {
      signingSecrets: async (s) => ({
        values: [s.store === "env" ? s.value : ""],
        refreshable: false,
      }),
    },
    token: { store: "env", variable: "SCIM_TOKEN", value: SCIM_TEST_TOKEN },
    ...overrides,
  };
  return { deps, users, queue };
}
