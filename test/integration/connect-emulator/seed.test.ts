import { readFile } from "node:fs/promises";
import {
  CreateUserCommand,
  ListRoutingProfilesCommand,
  ListUsersCommand,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_USER_LIMIT,
  EmulatorSeedError,
  emulatorSeedSchema,
  loadEmulatorSeedFile,
  parseEmulatorSeed,
  startConnectEmulator,
} from "../../../src/local/connect-emulator/index";
import { connectClient, fixtureFor, SAML_SEED, samlUser } from "./support";

const SAMPLE_SEED_FILE = new URL("../../../events/connect-seed.json", import.meta.url).pathname;

/** The minimum seed format of the issue, verbatim. */
const MINIMUM_SEED = {
  instanceId: "5b0c7a4e-9f1d-4e2a-8c3b-6d7e8f901234",
  region: "us-east-1",
  accountId: "123456789012",
  identityManagementType: "SAML",
  routingProfiles: ["Basic Routing Profile", "UK Support"],
  securityProfiles: ["Agent", "Admin"],
  hierarchyLevels: ["Region", "Site", "Team"],
  hierarchyGroups: ["EMEA", "EMEA/London", "EMEA/London/Support"],
  userLimit: 500,
  users: [
    {
      username: "admin",
      firstName: "Ada",
      lastName: "Min",
      routingProfile: "Basic Routing Profile",
      securityProfiles: ["Admin"],
      hierarchyGroup: "EMEA",
    },
  ],
};

function seedProblems(input: unknown): readonly string[] {
  try {
    parseEmulatorSeed(input);
    return [];
  } catch (error) {
    if (error instanceof EmulatorSeedError) return error.problems;
    throw error;
  }
}

describe("the seed format", () => {
  it("accepts the minimum format of the issue", () => {
    // Act
    const seed = parseEmulatorSeed(MINIMUM_SEED);

    // Assess
    expect(seed.users[0]?.username).toBe("admin");
    expect(emulatorSeedSchema.safeParse(MINIMUM_SEED).success).toBe(true);
  });

  it("defaults the user limit to Connect's 500 and the lists to empty", () => {
    // Act
    const {
      userLimit: _limit,
      users: _users,
      hierarchyGroups: _groups,
      hierarchyLevels: _levels,
      ...minimal
    } = MINIMUM_SEED;
    const seed = parseEmulatorSeed(minimal);

    // Assess
    expect(seed.userLimit).toBe(DEFAULT_USER_LIMIT);
    expect(DEFAULT_USER_LIMIT).toBe(500);
    expect(seed.users).toEqual([]);
  });

  it("names the path of every problem: references, user names, tags, phone and hierarchy", () => {
    // Act
    const problems = seedProblems({
      ...MINIMUM_SEED,
      accountId: "12345",
      hierarchyGroups: ["EMEA", "AMER/Austin", "EMEA/London/Support/Desk/One"],
      users: [
        {
          username: "bad name",
          routingProfile: "Nope",
          securityProfiles: ["Agent", "Ghost"],
          hierarchyGroup: "APAC",
          tags: { "aws:owner": "x" },
          phone: { type: "DESK_PHONE" },
        },
      ],
    });

    // Assess
    expect(problems).toEqual([
      "accountId: must be 12 digits",
      'hierarchyGroups[1]: parent "AMER" of "AMER/Austin" must be listed before it',
      'hierarchyGroups[2]: "EMEA/London/Support/Desk/One" is 5 levels deep; hierarchyLevels defines 3',
      'hierarchyGroups[2]: parent "EMEA/London/Support/Desk" of "EMEA/London/Support/Desk/One" must be listed before it',
      "users[0].username: username may contain only letters, digits and _ - . @",
      'users[0].routingProfile: "Nope" is not one of routingProfiles',
      'users[0].securityProfiles[1]: "Ghost" is not one of securityProfiles',
      'users[0].hierarchyGroup: "APAC" is not one of hierarchyGroups',
      expect.stringMatching(/^users\[0\]\.tags\["aws:owner"\]: Map key must satisfy/),
      "users[0].phone.deskPhoneNumber: is required when type is DESK_PHONE",
    ]);
  });

  it("refuses duplicate user names and more users than the limit", () => {
    // Act
    const problems = seedProblems({
      ...MINIMUM_SEED,
      userLimit: 1,
      users: [...MINIMUM_SEED.users, { ...MINIMUM_SEED.users[0], username: "ADMIN" }],
    });

    // Assess
    expect(problems).toEqual([
      "users: has 2 users, more than userLimit 1",
      "users[1].username: duplicates another user's username",
    ]);
  });

  it("says which seed file cannot be read or parsed", async () => {
    // Act
    const missing = await loadEmulatorSeedFile("/nonexistent/seed.json").catch(
      (error: Error) => error.message,
    );

    // Assess
    expect(missing).toBe("cannot read seed file /nonexistent/seed.json (no such file)");
  });
});

describe("the sample seed in events/connect-seed.json", () => {
  it("describes a realistic SAML instance with an admin and an unmanaged legacy agent", async () => {
    // Act
    const seed = await loadEmulatorSeedFile(SAMPLE_SEED_FILE);

    // Assess
    expect(seed.identityManagementType).toBe("SAML");
    expect(seed.routingProfiles).toEqual(
      expect.arrayContaining(["Basic Routing Profile", "UK Support", "US Sales"]),
    );
    expect(seed.securityProfiles).toEqual(
      expect.arrayContaining(["Agent", "Admin", "CallCenterManager"]),
    );
    expect(seed.hierarchyLevels).toEqual(["Region", "Site", "Team"]);
    expect(seed.hierarchyGroups).toEqual(
      expect.arrayContaining(["EMEA/London/Support", "EMEA/London/Sales", "AMER/Austin/Support"]),
    );
    expect(seed.users.find((user) => user.username === "admin")?.securityProfiles).toEqual([
      "Admin",
    ]);
    const legacy = seed.users.find((user) => user.username === "legacy.agent");
    expect(legacy).toBeDefined();
    expect(legacy?.tags).toBeUndefined();
    expect(JSON.parse(await readFile(SAMPLE_SEED_FILE, "utf8")).instanceId).toBe(seed.instanceId);
  });
});

describe("starting from a seed", () => {
  it("uses a small built-in SAML instance when no seed is given", async () => {
    // Prepare
    const emulator = await startConnectEmulator({ quota: false });
    const client = connectClient(emulator.url);

    // Act
    const users = await client.send(new ListUsersCommand({ InstanceId: emulator.instanceId }));

    // Assess
    expect(users.UserSummaryList?.map((user) => user.Username)).toEqual(["admin"]);
    expect(emulator.dumpState().instance.identityManagementType).toBe("SAML");
    client.destroy();
    await emulator.close();
  });

  it("reads a seed file given by path", async () => {
    // Prepare
    const emulator = await startConnectEmulator({ seed: SAMPLE_SEED_FILE, quota: false });
    const client = connectClient(emulator.url);

    // Act
    const profiles = await client.send(
      new ListRoutingProfilesCommand({ InstanceId: emulator.instanceId }),
    );

    // Assess
    expect(profiles.RoutingProfileSummaryList?.map((profile) => profile.Name)).toContain(
      "UK Support",
    );
    client.destroy();
    await emulator.close();
  });

  it("refuses to start from an invalid seed, naming the field", async () => {
    // Act
    const error = await startConnectEmulator({
      seed: { ...MINIMUM_SEED, identityManagementType: "LDAP" } as never,
    }).catch((failure: Error) => failure);

    // Assess
    expect(error).toBeInstanceOf(EmulatorSeedError);
    expect((error as EmulatorSeedError).problems[0]).toMatch(/^identityManagementType:/);
  });

  it("honours explicit ids and derives the others from the instance id, identically on every run", async () => {
    // Prepare
    const seed = {
      ...SAML_SEED,
      routingProfiles: [
        { name: "Basic Routing Profile", id: "rp-basic" },
        "UK Support",
        "US Sales",
      ],
    };
    const runs = [];

    // Act
    for (let run = 0; run < 2; run += 1) {
      const emulator = await startConnectEmulator({ seed, quota: false });
      const fixture = fixtureFor(emulator);
      const created = await fixture.client.send(
        new CreateUserCommand(samlUser(fixture, "same.user")),
      );
      runs.push({ state: emulator.dumpState(), created: created.UserId });
      fixture.client.destroy();
      await emulator.close();
    }
    const otherInstance = await startConnectEmulator({
      seed: { ...seed, instanceId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
      quota: false,
    });
    const otherIds = otherInstance.dumpState().routingProfiles.map((profile) => profile.id);
    await otherInstance.close();

    // Assess
    const [first, second] = runs;
    expect(first?.state.routingProfiles[0]?.id).toBe("rp-basic");
    expect(second?.state.routingProfiles.map((p) => p.id)).toEqual(
      first?.state.routingProfiles.map((p) => p.id),
    );
    expect(second?.state.users.map((u) => u.Id)).toEqual(first?.state.users.map((u) => u.Id));
    expect(second?.created).toBe(first?.created);
    expect(otherIds[1]).not.toBe(first?.state.routingProfiles[1]?.id);
  });
});
