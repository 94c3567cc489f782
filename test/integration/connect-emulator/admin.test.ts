import {
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  ListUsersCommand,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { startConnectEmulator } from "../../../src/local/connect-emulator/index";
import {
  CONNECT_MANAGED_SEED,
  connectClient,
  SAML_SEED,
  STRONG_PASSWORD,
  samlUser,
  useEmulator,
} from "./support";

// biome-ignore lint/suspicious/noExplicitAny: admin answers are JSON read only by assertions
type JsonBody = any;

async function admin(url: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${url}/_emulator${path}`, init);
  const body: JsonBody = await response.json();
  return { status: response.status, type: response.headers.get("content-type"), body };
}

describe("the admin surface", () => {
  const fixture = useEmulator();

  it("describes the emulator and lists its endpoints", async () => {
    // Act
    const { status, body } = await admin(fixture.emulator.url, "");

    // Assess
    expect(status).toBe(200);
    expect(body).toMatchObject({
      url: fixture.emulator.url,
      instanceId: SAML_SEED.instanceId,
      region: "eu-west-2",
    });
    expect(body.endpoints).toEqual(
      expect.arrayContaining(["GET /_emulator/state", "POST /_emulator/reset"]),
    );
  });

  it("dumps the whole state, users as DescribeUser shows them", async () => {
    // Prepare
    const { UserId } = await fixture.client.send(
      new CreateUserCommand(samlUser(fixture, "dumped.user", { Tags: { team: "a" } })),
    );

    // Act
    const { body } = await admin(fixture.emulator.url, "/state");

    // Assess
    expect(body.instance).toMatchObject({
      id: SAML_SEED.instanceId,
      identityManagementType: "SAML",
      userLimit: 500,
    });
    expect(body.routingProfiles.map((profile: { name: string }) => profile.name)).toEqual([
      "Basic Routing Profile",
      "UK Support",
      "US Sales",
    ]);
    expect(body.hierarchyGroups).toContainEqual(
      expect.objectContaining({ name: "Support", path: "EMEA/London/Support" }),
    );
    expect(body.users).toContainEqual(
      expect.objectContaining({ Id: UserId, Username: "dumped.user", Tags: { team: "a" } }),
    );
    expect(body).toEqual(JSON.parse(JSON.stringify(fixture.emulator.dumpState())));
  });

  it("resets to the seed: created users go, deleted users come back", async () => {
    // Prepare
    await fixture.client.send(new CreateUserCommand(samlUser(fixture, "temporary")));
    await fixture.client.send(
      new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId: fixture.userId("admin") }),
    );

    // Act
    const { status } = await admin(fixture.emulator.url, "/reset", { method: "POST" });

    // Assess
    const { UserSummaryList } = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId }),
    );
    expect(status).toBe(200);
    expect(UserSummaryList?.map((user) => user.Username)).toEqual(["admin"]);
  });

  it("resets to a posted seed, which becomes the instance", async () => {
    // Act
    const { status, body } = await admin(fixture.emulator.url, "/reset", {
      method: "POST",
      body: JSON.stringify(CONNECT_MANAGED_SEED),
    });

    // Assess
    expect(status).toBe(200);
    expect(body.instanceId).toBe(CONNECT_MANAGED_SEED.instanceId);
    expect(fixture.emulator.instanceId).toBe(CONNECT_MANAGED_SEED.instanceId);
    const { UserSummaryList } = await fixture.client.send(
      new ListUsersCommand({ InstanceId: CONNECT_MANAGED_SEED.instanceId }),
    );
    expect(UserSummaryList).toHaveLength(1);
  });

  it("refuses an invalid posted seed with a problem naming the field, keeping the state", async () => {
    // Act
    const { status, type, body } = await admin(fixture.emulator.url, "/reset", {
      method: "POST",
      body: JSON.stringify({
        ...SAML_SEED,
        users: [{ username: "x", routingProfile: "Nope", securityProfiles: ["Agent"] }],
      }),
    });

    // Assess
    expect(status).toBe(400);
    expect(type).toBe("application/problem+json");
    expect(body.problems).toEqual([
      'users[0].routingProfile: "Nope" is not one of routingProfiles',
    ]);
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toEqual(["admin"]);
  });

  it("reports calls and counters, and resets them", async () => {
    // Prepare
    await fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));
    await fixture.client
      .send(
        new DescribeUserCommand({
          InstanceId: fixture.instanceId,
          UserId: "00000000-0000-4000-8000-000000000000",
        }),
      )
      .catch(() => undefined);

    // Act
    const stats = await admin(fixture.emulator.url, "/stats");
    const calls = await admin(fixture.emulator.url, "/calls");
    const cleared = await admin(fixture.emulator.url, "/stats", { method: "DELETE" });

    // Assess
    expect(stats.body).toMatchObject({
      calls: 2,
      byOperation: {
        ListUsers: { calls: 1, succeeded: 1, errors: {} },
        DescribeUser: { calls: 1, succeeded: 0, errors: { ResourceNotFoundException: 1 } },
      },
    });
    expect(
      calls.body.map((call: { operation: string; status: number }) => [
        call.operation,
        call.status,
      ]),
    ).toEqual([
      ["ListUsers", 200],
      ["DescribeUser", 404],
    ]);
    expect(cleared.body.calls).toBe(0);
    expect(fixture.emulator.calls()).toEqual([]);
  });

  it("sets and reads one shared quota bucket at run time", async () => {
    // Act
    const set = await admin(fixture.emulator.url, "/quota", {
      method: "POST",
      body: JSON.stringify({ rps: 1, burst: 2 }),
    });
    const read = await admin(fixture.emulator.url, "/quota");
    const off = await admin(fixture.emulator.url, "/quota", { method: "POST", body: "false" });
    const invalid = await admin(fixture.emulator.url, "/quota", {
      method: "POST",
      body: JSON.stringify({ rps: 1, burst: 0 }),
    });

    // Assess
    expect(set.body).toEqual({ quota: { mode: "shared", rps: 1, burst: 2, available: 2 } });
    expect(read.body).toEqual(set.body);
    expect(off.body).toEqual({ quota: false });
    expect(invalid.status).toBe(400);
  });

  it("sets and shows per-operation buckets, from an object or a spec, and refuses both models at once", async () => {
    // Prepare
    await fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));

    // Act
    const fromObject = await admin(fixture.emulator.url, "/quota", {
      method: "POST",
      body: JSON.stringify({ operations: { CreateUser: { rps: 1, burst: 2 } } }),
    });
    const fromSpec = await admin(fixture.emulator.url, "/quota", {
      method: "POST",
      body: JSON.stringify({ spec: "ListUsers=20/30" }),
    });
    const both = await admin(fixture.emulator.url, "/quota", {
      method: "POST",
      body: JSON.stringify({ operations: {}, rps: 2 }),
    });
    const unknown = await admin(fixture.emulator.url, "/quota", {
      method: "POST",
      body: JSON.stringify({ operations: { CreateGroup: { rps: 1 } } }),
    });

    // Assess
    expect(fromObject.body.quota.mode).toBe("per-operation");
    expect(fromObject.body.quota.operations.CreateUser).toEqual({
      rps: 1,
      burst: 2,
      quotaCode: "L-CBDEE3E4",
      available: 2,
    });
    expect(fromObject.body.quota.operations.ListUsers).toMatchObject({ rps: 10, burst: 5 });
    expect(fromSpec.body.quota.operations.ListUsers).toMatchObject({ rps: 20, burst: 30 });
    expect(fromSpec.body.quota.operations.CreateUser).toMatchObject({ rps: 2, burst: 5 });
    expect([both.status, both.body.detail]).toEqual([
      400,
      expect.stringMatching(/cannot be combined/),
    ]);
    expect([unknown.status, unknown.body.detail]).toEqual([
      400,
      expect.stringMatching(/unknown operation CreateGroup/),
    ]);
  });

  it("answers an unknown admin endpoint with 404 and refuses bad fault settings with 400", async () => {
    // Act
    const unknown = await admin(fixture.emulator.url, "/nothing");
    const badFaults = await admin(fixture.emulator.url, "/faults", {
      method: "POST",
      body: JSON.stringify({ throttle: 2 }),
    });

    // Assess
    expect(unknown.status).toBe(404);
    expect(badFaults.status).toBe(400);
    expect(badFaults.body.detail).toMatch(/throttle/);
  });
});

describe("state dumps", () => {
  it("restore the same users with the same ids into a fresh emulator", async () => {
    // Prepare
    const source = await startConnectEmulator({ seed: SAML_SEED, quota: false });
    const sourceClient = connectClient(source.url);
    const ids = {
      rp: source.dumpState().routingProfiles[1]?.id,
      sp: source.dumpState().securityProfiles[0]?.id,
    };
    const { UserId } = await sourceClient.send(
      new CreateUserCommand({
        InstanceId: source.instanceId,
        Username: "restored.user",
        IdentityInfo: { FirstName: "Res", LastName: "Tored" },
        RoutingProfileId: ids.rp,
        SecurityProfileIds: [ids.sp ?? ""],
        PhoneConfig: {
          PhoneType: "DESK_PHONE",
          DeskPhoneNumber: "+15125550100",
          AfterContactWorkTimeLimit: 20,
        },
        Tags: { team: "support" },
      }),
    );
    const snapshot = source.dumpState().seed;
    const target = await startConnectEmulator({ seed: snapshot, quota: false });
    const targetClient = connectClient(target.url);

    // Act
    const [before, after] = await Promise.all([
      sourceClient.send(new DescribeUserCommand({ InstanceId: source.instanceId, UserId })),
      targetClient.send(new DescribeUserCommand({ InstanceId: target.instanceId, UserId })),
    ]);

    // Assess
    const comparable = ({ LastModifiedTime: _time, ...user }: NonNullable<typeof before.User>) =>
      user;
    expect(after.User && comparable(after.User)).toEqual(before.User && comparable(before.User));
    for (const client of [sourceClient, targetClient]) client.destroy();
    await Promise.all([source.close(), target.close()]);
  });

  it("never contain a password", async () => {
    // Prepare
    const emulator = await startConnectEmulator({ seed: CONNECT_MANAGED_SEED, quota: false });
    const client = connectClient(emulator.url);
    const state = emulator.dumpState();
    await client.send(
      new CreateUserCommand({
        InstanceId: emulator.instanceId,
        Username: "with.password",
        Password: STRONG_PASSWORD,
        IdentityInfo: { FirstName: "P", LastName: "W" },
        RoutingProfileId: state.routingProfiles[0]?.id,
        SecurityProfileIds: [state.securityProfiles[0]?.id ?? ""],
      }),
    );

    // Act
    const dump = JSON.stringify(emulator.dumpState());

    // Assess
    expect(dump).toContain("with.password");
    expect(dump).not.toContain(STRONG_PASSWORD);
    client.destroy();
    await emulator.close();
  });
});
