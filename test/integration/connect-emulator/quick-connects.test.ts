import {
  CreateQuickConnectCommand,
  type CreateQuickConnectCommandInput,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeQuickConnectCommand,
  ListQuickConnectsCommand,
  paginateListQuickConnects,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import {
  EmulatorSeedError,
  type EmulatorSeedInput,
  parseEmulatorSeed,
  startConnectEmulator,
} from "../../../src/local/connect-emulator/index";
import {
  connectClient,
  connectError,
  type EmulatorFixture,
  expectConnectError,
  SAML_SEED,
  useEmulator,
} from "./support";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const GONE_USER_ID = "11111111-2222-4333-8444-555555555555";

const SEED_WITH_QUICK_CONNECTS: EmulatorSeedInput = {
  ...SAML_SEED,
  users: [
    {
      id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
      username: "admin",
      firstName: "Ada",
      lastName: "Min",
      routingProfile: "Basic Routing Profile",
      securityProfiles: ["Admin"],
    },
  ],
  quickConnects: [
    { name: "Ada Min", type: "USER", userId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" },
    { name: "Left last year", type: "USER", userId: GONE_USER_ID, tags: { team: "support" } },
    { name: "Support queue", type: "QUEUE", queueId: "q-support", contactFlowId: "flow-1" },
    { name: "Head office", type: "PHONE_NUMBER", phoneNumber: "+442071234567" },
  ],
};

function userQuickConnect(
  fixture: EmulatorFixture,
  name: string,
  userId: string,
): CreateQuickConnectCommandInput {
  return {
    InstanceId: fixture.instanceId,
    Name: name,
    QuickConnectConfig: {
      QuickConnectType: "USER",
      UserConfig: { UserId: userId, ContactFlowId: "transfer-to-agent" },
    },
  };
}

describe("CreateQuickConnect and DescribeQuickConnect", () => {
  const fixture = useEmulator();

  it("creates USER, QUEUE and PHONE_NUMBER quick connects that DescribeQuickConnect returns as given", async () => {
    // Prepare
    const admin = fixture.userId("admin");

    // Act
    const user = await fixture.client.send(
      new CreateQuickConnectCommand({
        ...userQuickConnect(fixture, "Ada Min", admin),
        Description: "Transfer to Ada",
        Tags: { owner: "ops" },
      }),
    );
    const queue = await fixture.client.send(
      new CreateQuickConnectCommand({
        InstanceId: fixture.instanceId,
        Name: "Support queue",
        QuickConnectConfig: {
          QuickConnectType: "QUEUE",
          QueueConfig: { QueueId: "q-support", ContactFlowId: "transfer-to-queue" },
        },
      }),
    );
    const phone = await fixture.client.send(
      new CreateQuickConnectCommand({
        InstanceId: fixture.instanceId,
        Name: "Head office",
        QuickConnectConfig: {
          QuickConnectType: "PHONE_NUMBER",
          PhoneConfig: { PhoneNumber: "+442071234567" },
        },
      }),
    );
    const described = await Promise.all(
      [user, queue, phone].map((created) =>
        fixture.client.send(
          new DescribeQuickConnectCommand({
            InstanceId: fixture.instanceId,
            QuickConnectId: created.QuickConnectId,
          }),
        ),
      ),
    );

    // Assess
    expect(user.QuickConnectARN).toBe(
      `arn:aws:connect:eu-west-2:111122223333:instance/${fixture.instanceId}/transfer-destination/${user.QuickConnectId}`,
    );
    expect(described.map((answer) => answer.QuickConnect)).toEqual([
      expect.objectContaining({
        QuickConnectARN: user.QuickConnectARN,
        QuickConnectId: user.QuickConnectId,
        Name: "Ada Min",
        Description: "Transfer to Ada",
        QuickConnectConfig: {
          QuickConnectType: "USER",
          UserConfig: { UserId: admin, ContactFlowId: "transfer-to-agent" },
        },
        Tags: { owner: "ops" },
        LastModifiedRegion: "eu-west-2",
      }),
      expect.objectContaining({
        Name: "Support queue",
        QuickConnectConfig: {
          QuickConnectType: "QUEUE",
          QueueConfig: { QueueId: "q-support", ContactFlowId: "transfer-to-queue" },
        },
        Tags: {},
      }),
      expect.objectContaining({
        Name: "Head office",
        QuickConnectConfig: {
          QuickConnectType: "PHONE_NUMBER",
          PhoneConfig: { PhoneNumber: "+442071234567" },
        },
      }),
    ]);
    expect(described[0]?.QuickConnect?.LastModifiedTime).toBeInstanceOf(Date);
  });

  it("refuses a name already taken (ignoring case) with DuplicateResourceException", async () => {
    // Prepare
    await fixture.client.send(
      new CreateQuickConnectCommand(userQuickConnect(fixture, "Ada Min", fixture.userId("admin"))),
    );

    // Act
    const call = fixture.client.send(
      new CreateQuickConnectCommand(userQuickConnect(fixture, "ADA MIN", fixture.userId("admin"))),
    );

    // Assess
    await expectConnectError(call, "DuplicateResourceException", 409);
  });

  it("refuses a USER quick connect to a user that does not exist", async () => {
    // Act
    const call = fixture.client.send(
      new CreateQuickConnectCommand(userQuickConnect(fixture, "Nobody", UNKNOWN_ID)),
    );

    // Assess
    await expectConnectError(call, "ResourceNotFoundException", 404);
    expect(fixture.emulator.dumpState().quickConnects).toEqual([]);
  });

  it("refuses a configuration missing the one its type needs, or carrying another type's", async () => {
    // Act
    const missing = await connectError(
      fixture.client.send(
        new CreateQuickConnectCommand({
          InstanceId: fixture.instanceId,
          Name: "No config",
          QuickConnectConfig: { QuickConnectType: "USER" },
        }),
      ),
    );
    const mixed = await connectError(
      fixture.client.send(
        new CreateQuickConnectCommand({
          InstanceId: fixture.instanceId,
          Name: "Mixed",
          QuickConnectConfig: {
            QuickConnectType: "PHONE_NUMBER",
            PhoneConfig: { PhoneNumber: "+442071234567" },
            QueueConfig: { QueueId: "q", ContactFlowId: "f" },
          },
        }),
      ),
    );
    const badNumber = await connectError(
      fixture.client.send(
        new CreateQuickConnectCommand({
          InstanceId: fixture.instanceId,
          Name: "Bad number",
          QuickConnectConfig: {
            QuickConnectType: "PHONE_NUMBER",
            PhoneConfig: { PhoneNumber: "020 7123 4567" },
          },
        }),
      ),
    );

    // Assess
    expect([missing.name, missing.message]).toEqual([
      "InvalidParameterException",
      "QuickConnectConfig.UserConfig is required when QuickConnectType is USER.",
    ]);
    expect(mixed.message).toBe(
      "QuickConnectConfig.QueueConfig must not be given when QuickConnectType is PHONE_NUMBER.",
    );
    expect(badNumber.name).toBe("InvalidParameterException");
    expect(badNumber.message).toContain("QuickConnectConfig.PhoneConfig.PhoneNumber");
  });
});

describe("the quick connect limit", () => {
  const fixture = useEmulator({ seed: { ...SAML_SEED, quickConnectLimit: 1 } });

  it("answers LimitExceededException past the seed's quickConnectLimit", async () => {
    // Prepare
    await fixture.client.send(
      new CreateQuickConnectCommand(userQuickConnect(fixture, "First", fixture.userId("admin"))),
    );

    // Act
    const call = fixture.client.send(
      new CreateQuickConnectCommand(userQuickConnect(fixture, "Second", fixture.userId("admin"))),
    );

    // Assess
    await expectConnectError(call, "LimitExceededException", 429);
  });
});

describe("ListQuickConnects", () => {
  const fixture = useEmulator({ seed: SEED_WITH_QUICK_CONNECTS });

  it("lists the seeded quick connects by name, and only the types asked for", async () => {
    // Act
    const all = await fixture.client.send(
      new ListQuickConnectsCommand({ InstanceId: fixture.instanceId }),
    );
    const users = await fixture.client.send(
      new ListQuickConnectsCommand({ InstanceId: fixture.instanceId, QuickConnectTypes: ["USER"] }),
    );
    const queuesAndPhones = await fixture.client.send(
      new ListQuickConnectsCommand({
        InstanceId: fixture.instanceId,
        QuickConnectTypes: ["QUEUE", "PHONE_NUMBER"],
      }),
    );

    // Assess
    expect(all.QuickConnectSummaryList?.map((item) => [item.Name, item.QuickConnectType])).toEqual([
      ["Ada Min", "USER"],
      ["Head office", "PHONE_NUMBER"],
      ["Left last year", "USER"],
      ["Support queue", "QUEUE"],
    ]);
    expect(all.QuickConnectSummaryList?.[0]).toMatchObject({
      Arn: expect.stringContaining("/transfer-destination/"),
      LastModifiedRegion: "eu-west-2",
    });
    expect(users.QuickConnectSummaryList?.map((item) => item.Name)).toEqual([
      "Ada Min",
      "Left last year",
    ]);
    expect(queuesAndPhones.QuickConnectSummaryList?.map((item) => item.Name)).toEqual([
      "Head office",
      "Support queue",
    ]);
  });

  it("pages with MaxResults and a NextToken, as the SDK paginator expects", async () => {
    // Act
    const pages = [];
    for await (const page of paginateListQuickConnects(
      { client: fixture.client, pageSize: 3 },
      { InstanceId: fixture.instanceId },
    )) {
      pages.push(page.QuickConnectSummaryList?.map((item) => item.Name));
    }

    // Assess
    expect(pages).toEqual([["Ada Min", "Head office", "Left last year"], ["Support queue"]]);
  });

  it("describes a seeded USER quick connect whose user no longer exists, with the flow Connect would default to", async () => {
    // Prepare
    const seeded = fixture.emulator
      .dumpState()
      .quickConnects.find((item) => item.Name === "Left last year");

    // Act
    const { QuickConnect } = await fixture.client.send(
      new DescribeQuickConnectCommand({
        InstanceId: fixture.instanceId,
        QuickConnectId: seeded?.QuickConnectId as string,
      }),
    );

    // Assess
    expect(QuickConnect?.QuickConnectConfig).toEqual({
      QuickConnectType: "USER",
      UserConfig: { UserId: GONE_USER_ID, ContactFlowId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(QuickConnect?.Tags).toEqual({ team: "support" });
  });
});

describe("DeleteQuickConnect and DeleteUser", () => {
  const fixture = useEmulator({ seed: SEED_WITH_QUICK_CONNECTS });

  it("deletes a quick connect: DescribeQuickConnect and a second delete answer 404", async () => {
    // Prepare
    const [first] = fixture.emulator.dumpState().quickConnects;
    const id = first?.QuickConnectId as string;

    // Act
    await fixture.client.send(
      new DeleteQuickConnectCommand({ InstanceId: fixture.instanceId, QuickConnectId: id }),
    );

    // Assess
    await expectConnectError(
      fixture.client.send(
        new DescribeQuickConnectCommand({ InstanceId: fixture.instanceId, QuickConnectId: id }),
      ),
      "ResourceNotFoundException",
      404,
    );
    await expectConnectError(
      fixture.client.send(
        new DeleteQuickConnectCommand({ InstanceId: fixture.instanceId, QuickConnectId: id }),
      ),
      "ResourceNotFoundException",
      404,
    );
  });

  it("leaves a deleted user's quick connects behind, still naming the user, as Connect does", async () => {
    // Prepare
    const adminId = fixture.userId("admin");

    // Act
    await fixture.client.send(
      new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId: adminId }),
    );
    const { QuickConnectSummaryList } = await fixture.client.send(
      new ListQuickConnectsCommand({ InstanceId: fixture.instanceId, QuickConnectTypes: ["USER"] }),
    );
    const { QuickConnect } = await fixture.client.send(
      new DescribeQuickConnectCommand({
        InstanceId: fixture.instanceId,
        QuickConnectId: QuickConnectSummaryList?.[0]?.Id,
      }),
    );

    // Assess
    expect(QuickConnectSummaryList?.map((item) => item.Name)).toEqual([
      "Ada Min",
      "Left last year",
    ]);
    expect(QuickConnect?.QuickConnectConfig?.UserConfig?.UserId).toBe(adminId);
  });
});

describe("quick connects in seeds and dumps", () => {
  it("names the field of a duplicate name, a bad phone number and too many quick connects", () => {
    // Act
    let problems: readonly string[] = [];
    try {
      parseEmulatorSeed({
        ...SAML_SEED,
        quickConnectLimit: 2,
        quickConnects: [
          { name: "Desk", type: "PHONE_NUMBER", phoneNumber: "+442071234567" },
          { name: "desk", type: "PHONE_NUMBER", phoneNumber: "12345" },
          { name: "Queue", type: "QUEUE", queueId: "q" },
        ],
      });
    } catch (error) {
      if (error instanceof EmulatorSeedError) problems = error.problems;
    }

    // Assess
    expect(problems).toEqual([
      "quickConnects: has 3 quick connects, more than quickConnectLimit 2",
      "quickConnects[1].name: duplicates another quick connect's name",
      expect.stringMatching(/^quickConnects\[1\]\.phoneNumber: /),
    ]);
  });

  it("restore the same quick connects with the same ids from a dump's seed", async () => {
    // Prepare
    const source = await startConnectEmulator({ seed: SEED_WITH_QUICK_CONNECTS, quota: false });
    const target = await startConnectEmulator({ seed: source.dumpState().seed, quota: false });
    const client = connectClient(target.url);

    // Act
    const { QuickConnectSummaryList } = await client.send(
      new ListQuickConnectsCommand({ InstanceId: target.instanceId }),
    );

    // Assess
    const comparable = (items: Record<string, unknown>[]) =>
      items.map(({ LastModifiedTime: _time, ...item }) => item);
    expect(comparable(target.dumpState().quickConnects)).toEqual(
      comparable(source.dumpState().quickConnects),
    );
    expect(QuickConnectSummaryList).toHaveLength(4);
    client.destroy();
    await Promise.all([source.close(), target.close()]);
  });
});

describe("faults on quick connects", () => {
  const fixture = useEmulator({ faults: { seed: 3, appliedThenFailed: 1 } });

  it("creates the quick connect and then answers 500 under applied-then-failed", async () => {
    // Act
    const error = await connectError(
      fixture.client.send(
        new CreateQuickConnectCommand(
          userQuickConnect(fixture, "Ada Min", fixture.userId("admin")),
        ),
      ),
    );

    // Assess
    expect(error.name).toBe("InternalServiceException");
    expect(fixture.emulator.dumpState().quickConnects.map((item) => item.Name)).toEqual([
      "Ada Min",
    ]);
  });
});
