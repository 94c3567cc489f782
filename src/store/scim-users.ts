import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  isTombstone,
  type ScimTombstone,
  type ScimUserStore,
  type ScimWriteResult,
  type StoredScimUser,
} from "../app/ports/scim-users";

/**
 * The SCIM users table: one item per user (`user#<id>`), and one claim item
 * per lower-cased userName (`userName#…`) and per employee id
 * (`employee#…`) naming the user that holds it. Uniqueness without
 * transactions (dynalite has none): claims are taken with a conditional put
 * before the user is written, and freed again when the write fails. A claim
 * whose holder does not hold it (a writer that died half way) is taken over
 * once it is older than any request lives, under the condition that it still
 * names that holder. Every user write is conditional on the version read.
 * A deleted user leaves a tombstone that expires after TOMBSTONE_DAYS.
 */

export const TOMBSTONE_DAYS = 30;
/** Longer than the scim function's timeout: no request is still between its claim and its write. */
export const CLAIM_GRACE_SECONDS = 60;

type Claim = { key: string; kind: "userName" | "employeeId" };

interface UserItem extends StoredScimUser {
  pk: string;
  kind: "user";
  userNameKey: string;
}

interface TombstoneItem extends ScimTombstone {
  pk: string;
  kind: "tombstone";
  expiresAt: number;
}

const userKey = (id: string) => `user#${id}`;
const userNameClaim = (userName: string): Claim => ({
  key: `userName#${userName.toLowerCase()}`,
  kind: "userName",
});
const employeeClaim = (employeeId: string): Claim => ({
  key: `employee#${employeeId}`,
  kind: "employeeId",
});
const claimsOf = (user: StoredScimUser) => [
  userNameClaim(user.user.userName),
  employeeClaim(user.employeeId),
];

export class ScimUserRepository implements ScimUserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(id: string): Promise<StoredScimUser | ScimTombstone | undefined> {
    const item = await this.item(userKey(id));
    if (!item) return undefined;
    if (item.kind === "tombstone") {
      const {
        pk: _pk,
        kind: _kind,
        expiresAt: _expiresAt,
        ...tombstone
      } = item as unknown as TombstoneItem;
      return tombstone;
    }
    const { pk: _pk, kind: _kind, userNameKey: _key, ...user } = item as unknown as UserItem;
    return user;
  }

  findByUserName(userName: string): Promise<StoredScimUser | undefined> {
    return this.holderOf(userNameClaim(userName));
  }

  findByEmployeeId(employeeId: string): Promise<StoredScimUser | undefined> {
    return this.holderOf(employeeClaim(employeeId));
  }

  async list(): Promise<StoredScimUser[]> {
    const users: StoredScimUser[] = [];
    for await (const page of paginateScan(
      { client: this.db },
      {
        TableName: this.tableName,
        ConsistentRead: true,
        FilterExpression: "#kind = :user",
        ExpressionAttributeNames: { "#kind": "kind" },
        ExpressionAttributeValues: { ":user": "user" },
      },
    )) {
      for (const item of page.Items ?? []) {
        const { pk: _pk, kind: _kind, userNameKey: _key, ...user } = item as UserItem;
        users.push(user);
      }
    }
    return users;
  }

  async create(user: StoredScimUser): Promise<ScimWriteResult> {
    const claimed = await this.claimAll(claimsOf(user), user.id);
    if (!Array.isArray(claimed)) return { kind: "taken", attribute: claimed.kind };
    if (!(await this.putUser(user, "attribute_not_exists(pk)"))) {
      await this.releaseAll(claimed, user.id);
      return { kind: "conflict" };
    }
    return { kind: "written" };
  }

  async replace(previous: StoredScimUser, next: StoredScimUser): Promise<ScimWriteResult> {
    const before = claimsOf(previous).map((c) => c.key);
    const after = claimsOf(next);
    const claimed = await this.claimAll(
      after.filter((c) => !before.includes(c.key)),
      next.id,
    );
    if (!Array.isArray(claimed)) return { kind: "taken", attribute: claimed.kind };
    if (!(await this.putUser(next, "#version = :previous", previous.version))) {
      await this.releaseAll(claimed, next.id);
      return { kind: "conflict" };
    }
    const kept = after.map((c) => c.key);
    await this.releaseAll(
      claimsOf(previous).filter((c) => !kept.includes(c.key)),
      previous.id,
    );
    return { kind: "written" };
  }

  async remove(previous: StoredScimUser, tombstone: ScimTombstone): Promise<ScimWriteResult> {
    const item: TombstoneItem = {
      ...tombstone,
      pk: userKey(tombstone.id),
      kind: "tombstone",
      expiresAt: Math.floor(Date.parse(tombstone.lastModified) / 1000) + TOMBSTONE_DAYS * 86_400,
    };
    const written = await this.conditionalPut(item, "#version = :previous", previous.version);
    if (!written) return { kind: "conflict" };
    await this.releaseAll(claimsOf(previous), previous.id);
    return { kind: "written" };
  }

  async markQueued(id: string, version: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: userKey(id) },
          UpdateExpression: "REMOVE pendingEvent",
          ConditionExpression: "#version = :version",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":version": version },
        }),
      );
    } catch (error) {
      // A newer version carries its own pending event: leave it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async item(pk: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
    );
    return Item;
  }

  /** The live user a claim names, if it still holds it. */
  private async holderOf(claim: Claim): Promise<StoredScimUser | undefined> {
    const owner = (await this.item(claim.key))?.owner;
    if (typeof owner !== "string") return undefined;
    const user = await this.get(owner);
    return user && !isTombstone(user) && holds(user, claim) ? user : undefined;
  }

  /**
   * Takes a claim for `owner`: "claimed" when it was free or stale (its
   * holder does not hold it and it is older than CLAIM_GRACE_SECONDS, so a
   * writer still between its claim and its user write keeps it), "held" when
   * it is already the owner's (a failed write must not free it then).
   */
  private async claim(claim: Claim, owner: string): Promise<"claimed" | "held" | "taken"> {
    const item = { pk: claim.key, kind: "claim", owner, claimedAt: this.now().getTime() };
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (await this.conditionalPut(item, "attribute_not_exists(pk)")) return "claimed";
      const found = await this.item(claim.key);
      if (!found) continue;
      const holder = String(found.owner);
      if (holder === owner) return "held";
      const held = await this.get(holder);
      if (held && !isTombstone(held) && holds(held, claim)) return "taken";
      const age = item.claimedAt - Number(found.claimedAt ?? 0);
      if (age < CLAIM_GRACE_SECONDS * 1000) return "taken";
      // Stale: take it over only if nobody else did meanwhile.
      if (await this.conditionalPut(item, "#owner = :owner", undefined, holder)) return "claimed";
    }
    return "taken";
  }

  /** Takes every claim, or none: what it took is freed again when one is taken by another user. */
  private async claimAll(claims: readonly Claim[], owner: string): Promise<Claim[] | Claim> {
    const claimed: Claim[] = [];
    for (const claim of claims) {
      const result = await this.claim(claim, owner);
      if (result === "taken") {
        await this.releaseAll(claimed, owner);
        return claim;
      }
      if (result === "claimed") claimed.push(claim);
    }
    return claimed;
  }

  private async releaseAll(claims: readonly Claim[], owner: string): Promise<void> {
    for (const claim of claims) {
      try {
        await this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: claim.key },
            ConditionExpression: "#owner = :owner",
            ExpressionAttributeNames: { "#owner": "owner" },
            ExpressionAttributeValues: { ":owner": owner },
          }),
        );
      } catch (error) {
        // Someone else holds it now: not ours to free.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  private putUser(user: StoredScimUser, condition: string, previous?: number): Promise<boolean> {
    const item: UserItem = {
      ...user,
      pk: userKey(user.id),
      kind: "user",
      userNameKey: user.user.userName.toLowerCase(),
    };
    return this.conditionalPut(item, condition, previous);
  }

  private async conditionalPut(
    item: object,
    condition: string,
    previousVersion?: number,
    owner?: string,
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (condition.includes("#version")) names["#version"] = "version";
    if (condition.includes(":previous")) values[":previous"] = previousVersion;
    if (condition.includes("#owner")) names["#owner"] = "owner";
    if (condition.includes(":owner")) values[":owner"] = owner;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** Whether a live user still has the name or employee id of a claim. */
function holds(user: StoredScimUser, claim: Claim): boolean {
  return claimsOf(user).some((c) => c.key === claim.key);
}
