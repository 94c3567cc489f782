import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredScimUser } from "../../../src/app/ports/scim-users";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../../src/local/aws-stand-ins";
import { documentClient } from "../../../src/runtime/aws-clients";
import { CLAIM_GRACE_SECONDS, ScimUserRepository } from "../../../src/store/scim-users";

let aws: AwsStandIns;
let client: DynamoDBClient;
let table: string;
let clock = Date.parse("2026-11-28T09:00:00Z");
let repository: ScimUserRepository;

beforeAll(async () => {
  aws = await startAwsStandIns();
  client = new DynamoDBClient({
    endpoint: aws.dynamoEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  table = aws.tables.ScimUsersTable ?? "";
  repository = new ScimUserRepository(documentClient(client), table, () => new Date(clock));
});

afterAll(async () => {
  client?.destroy();
  await aws?.close();
});

let sequence = 0;
function user(overrides: Partial<StoredScimUser> & { userName?: string } = {}): StoredScimUser {
  sequence += 1;
  const { userName = `user${sequence}@example.com`, ...rest } = overrides;
  return {
    id: `id-${sequence}`,
    user: { userName, active: true, name: { givenName: "G", familyName: "H" } },
    employeeId: `E${sequence}`,
    version: 1,
    created: "2026-11-28T09:00:00.000Z",
    lastModified: "2026-11-28T09:00:00.000Z",
    ...rest,
  };
}

describe("the SCIM users table (dynalite)", () => {
  it("is created from serverless.yml", () => {
    expect(table).toBe("connect-hr-sync-local-scim-users");
  });

  it("stores a user and finds it by id, by userName in any case and by employee id", async () => {
    const ada = user({ userName: "Ada@Example.com" });

    expect(await repository.create(ada)).toEqual({ kind: "written" });

    expect(await repository.get(ada.id)).toEqual(ada);
    expect(await repository.findByUserName("ADA@example.COM")).toEqual(ada);
    expect(await repository.findByEmployeeId(ada.employeeId)).toEqual(ada);
    expect((await repository.list()).map((u) => u.id)).toContain(ada.id);
  });

  it("gives a userName and an employee id to one live user only", async () => {
    const first = user({ userName: "dup@example.com" });
    await repository.create(first);

    const sameName = await repository.create(user({ userName: "DUP@example.com" }));
    const sameEmployee = await repository.create(user({ employeeId: first.employeeId }));

    expect(sameName).toEqual({ kind: "taken", attribute: "userName" });
    expect(sameEmployee).toEqual({ kind: "taken", attribute: "employeeId" });
  });

  it("frees the claims of a refused create: the name it claimed can be used", async () => {
    const holder = user();
    await repository.create(holder);
    const refused = user({ userName: "free-again@example.com", employeeId: holder.employeeId });

    await repository.create(refused);
    const later = await repository.create(user({ userName: "free-again@example.com" }));

    expect(later).toEqual({ kind: "written" });
  });

  it("writes a change only over the version it read, and moves the userName", async () => {
    const grace = user({ userName: "grace@example.com" });
    await repository.create(grace);
    const renamed = {
      ...grace,
      version: 2,
      user: { ...grace.user, userName: "g.hopper@example.com" },
    };

    const written = await repository.replace(grace, renamed);
    const stale = await repository.replace(grace, { ...renamed, version: 2 });

    expect(written).toEqual({ kind: "written" });
    expect(stale).toEqual({ kind: "conflict" });
    expect(await repository.findByUserName("grace@example.com")).toBeUndefined();
    expect(await repository.findByUserName("g.hopper@example.com")).toMatchObject({ id: grace.id });
    expect(await repository.create(user({ userName: "grace@example.com" }))).toEqual({
      kind: "written",
    });
  });

  it("replaces a deleted user by a tombstone that frees its claims and expires", async () => {
    const gone = user({ userName: "gone@example.com" });
    await repository.create(gone);

    await repository.remove(gone, {
      id: gone.id,
      deleted: true,
      employeeId: gone.employeeId,
      version: 2,
      lastModified: "2026-11-28T10:00:00.000Z",
    });

    expect(await repository.get(gone.id)).toMatchObject({ deleted: true, version: 2 });
    expect(await repository.findByUserName("gone@example.com")).toBeUndefined();
    expect((await repository.list()).map((u) => u.id)).not.toContain(gone.id);
    const { Item } = await documentClient(client).send(
      new GetCommand({ TableName: table, Key: { pk: `user#${gone.id}` } }),
    );
    expect(Item?.expiresAt).toBe(Date.parse("2026-11-28T10:00:00.000Z") / 1000 + 30 * 86_400);
  });

  it("clears the pending event of the version queued, not of a newer one", async () => {
    const event = {
      eventId: "scim-x-1",
      type: "joiner" as const,
      employeeId: "EP",
      occurredAt: "2026-11-28T09:00:00.000Z",
      source: "scim",
    };
    const pending = user({ employeeId: "EP", pendingEvent: event });
    await repository.create(pending);

    await repository.markQueued(pending.id, 7);
    const kept = await repository.get(pending.id);
    await repository.markQueued(pending.id, 1);

    expect(kept).toHaveProperty("pendingEvent", event);
    expect(await repository.get(pending.id)).not.toHaveProperty("pendingEvent");
  });

  it("takes over a claim left by a writer that died, once it is older than the grace", async () => {
    const docs = documentClient(client);
    await docs.send(
      new PutCommand({
        TableName: table,
        Item: { pk: "userName#orphan@example.com", kind: "claim", owner: "dead", claimedAt: clock },
      }),
    );

    const early = await repository.create(user({ userName: "orphan@example.com" }));
    clock += (CLAIM_GRACE_SECONDS + 1) * 1000;
    const late = await repository.create(user({ userName: "orphan@example.com" }));

    expect(early).toEqual({ kind: "taken", attribute: "userName" });
    expect(late).toEqual({ kind: "written" });
  });

  it("lets one of two creates of one userName at the same time win", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => repository.create(user({ userName: "race@example.com" }))),
    );

    expect(results.filter((r) => r.kind === "written")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "taken")).toHaveLength(3);
  });
});
