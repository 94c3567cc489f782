import {
  CreateUserCommand,
  DescribeUserCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import {
  type EmulatorFixture,
  expectConnectError,
  SAML_SEED,
  samlUser,
  settle,
  useEmulator,
} from "./support";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

async function describeUser(fixture: EmulatorFixture, userId: string): Promise<User> {
  const { User: user } = await fixture.client.send(
    new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: userId }),
  );
  if (!user) throw new Error("DescribeUser returned no user");
  return user;
}

/** Resolves once the wall clock has passed `time`, so a later change gets a later stamp. */
async function clockPast(time: Date | undefined): Promise<void> {
  while (Date.now() <= (time?.getTime() ?? 0))
    await new Promise((resolve) => setImmediate(resolve));
}

describe("UpdateUserRoutingProfile", () => {
  const fixture = useEmulator();

  it("assigns the routing profile and moves LastModifiedTime forward", async () => {
    // Prepare
    const userId = fixture.userId("admin");
    const before = await describeUser(fixture, userId);
    await clockPast(before.LastModifiedTime);

    // Act
    await fixture.client.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: fixture.instanceId,
        UserId: userId,
        RoutingProfileId: fixture.routingProfileId("US Sales"),
      }),
    );

    // Assess
    const after = await describeUser(fixture, userId);
    expect(after.RoutingProfileId).toBe(fixture.routingProfileId("US Sales"));
    expect(after.LastModifiedTime?.getTime()).toBeGreaterThan(
      before.LastModifiedTime?.getTime() ?? 0,
    );
  });

  it("answers ResourceNotFoundException for an unknown profile or user, changing nothing", async () => {
    // Prepare
    const userId = fixture.userId("admin");
    const update = (UserId: string, RoutingProfileId: string) =>
      fixture.client.send(
        new UpdateUserRoutingProfileCommand({
          InstanceId: fixture.instanceId,
          UserId,
          RoutingProfileId,
        }),
      );

    // Act
    await expectConnectError(update(userId, UNKNOWN_ID), "ResourceNotFoundException", 404);
    await expectConnectError(
      update(UNKNOWN_ID, fixture.routingProfileId("UK Support")),
      "ResourceNotFoundException",
      404,
    );

    // Assess
    expect((await describeUser(fixture, userId)).RoutingProfileId).toBe(
      fixture.routingProfileId("Basic Routing Profile"),
    );
  });
});

describe("UpdateUserHierarchy", () => {
  const fixture = useEmulator();

  it("moves the user to a group, and out of any group when no group is given", async () => {
    // Prepare
    const userId = fixture.userId("admin");
    const london = fixture.hierarchyGroupId("EMEA/London/Sales");

    // Act
    await fixture.client.send(
      new UpdateUserHierarchyCommand({
        InstanceId: fixture.instanceId,
        UserId: userId,
        HierarchyGroupId: london,
      }),
    );
    const moved = await describeUser(fixture, userId);
    await fixture.client.send(
      new UpdateUserHierarchyCommand({ InstanceId: fixture.instanceId, UserId: userId }),
    );
    const removed = await describeUser(fixture, userId);

    // Assess
    expect(moved.HierarchyGroupId).toBe(london);
    expect(removed.HierarchyGroupId).toBeUndefined();
  });

  it("answers ResourceNotFoundException for an unknown group", async () => {
    // Act
    const call = settle(
      fixture.client.send(
        new UpdateUserHierarchyCommand({
          InstanceId: fixture.instanceId,
          UserId: fixture.userId("admin"),
          HierarchyGroupId: UNKNOWN_ID,
        }),
      ),
    );

    // Assess
    await expectConnectError(call, "ResourceNotFoundException", 404);
    expect((await describeUser(fixture, fixture.userId("admin"))).HierarchyGroupId).toBe(
      fixture.hierarchyGroupId("EMEA"),
    );
  });
});

describe("UpdateUserSecurityProfiles", () => {
  const fixture = useEmulator();

  it("replaces the user's security profiles", async () => {
    // Prepare
    const profiles = [
      fixture.securityProfileId("Agent"),
      fixture.securityProfileId("CallCenterManager"),
    ];

    // Act
    await fixture.client.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: fixture.instanceId,
        UserId: fixture.userId("admin"),
        SecurityProfileIds: profiles,
      }),
    );

    // Assess
    expect((await describeUser(fixture, fixture.userId("admin"))).SecurityProfileIds).toEqual(
      profiles,
    );
  });

  it("answers ResourceNotFoundException when one of the profiles is unknown, changing nothing", async () => {
    // Act
    const call = settle(
      fixture.client.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: fixture.instanceId,
          UserId: fixture.userId("admin"),
          SecurityProfileIds: [fixture.securityProfileId("Agent"), UNKNOWN_ID],
        }),
      ),
    );

    // Assess
    await expectConnectError(call, "ResourceNotFoundException", 404);
    expect((await describeUser(fixture, fixture.userId("admin"))).SecurityProfileIds).toEqual([
      fixture.securityProfileId("Admin"),
    ]);
  });
});

describe("UpdateUserIdentityInfo on a SAML instance", () => {
  const fixture = useEmulator();

  it("replaces the identity information as a whole", async () => {
    // Prepare
    const userId = fixture.userId("admin");

    // Act
    await fixture.client.send(
      new UpdateUserIdentityInfoCommand({
        InstanceId: fixture.instanceId,
        UserId: userId,
        IdentityInfo: { FirstName: "Adele", LastName: "Minter", Mobile: "+447700900123" },
      }),
    );

    // Assess
    expect((await describeUser(fixture, userId)).IdentityInfo).toEqual({
      FirstName: "Adele",
      LastName: "Minter",
      Mobile: "+447700900123",
    });
  });

  it("refuses an e-mail address and a missing last name with InvalidRequestException", async () => {
    // Prepare
    const update = (IdentityInfo: Record<string, string>) =>
      fixture.client.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: fixture.instanceId,
          UserId: fixture.userId("admin"),
          IdentityInfo,
        }),
      );

    // Act
    const withEmail = await expectConnectError(
      update({ FirstName: "Ada", LastName: "Min", Email: "ada@example.com" }),
      "InvalidRequestException",
      400,
    );
    const withoutLastName = await expectConnectError(
      update({ FirstName: "Ada" }),
      "InvalidRequestException",
      400,
    );

    // Assess
    expect(withEmail.message).toMatch(/Email/);
    expect(withoutLastName.message).toMatch(/LastName/);
    expect((await describeUser(fixture, fixture.userId("admin"))).IdentityInfo).toEqual({
      FirstName: "Ada",
      LastName: "Min",
    });
  });

  it("refuses names not in Unicode Normalization Form C with InvalidParameterException", async () => {
    // Prepare
    const decomposed = "Jose\u0301";

    // Act
    const call = settle(
      fixture.client.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: fixture.instanceId,
          UserId: fixture.userId("admin"),
          IdentityInfo: { FirstName: decomposed, LastName: "Min" },
        }),
      ),
    );

    // Assess
    await expectConnectError(call, "InvalidParameterException", 400);
  });
});

describe("UpdateUserIdentityInfo on an EXISTING_DIRECTORY instance", () => {
  const fixture = useEmulator({
    seed: { ...SAML_SEED, identityManagementType: "EXISTING_DIRECTORY" },
  });

  it("refuses changes to directory-managed names but accepts a new mobile number", async () => {
    // Prepare
    const update = (IdentityInfo: Record<string, string>) =>
      fixture.client.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: fixture.instanceId,
          UserId: fixture.userId("admin"),
          IdentityInfo,
        }),
      );

    // Act
    await expectConnectError(update({ FirstName: "Someone" }), "InvalidRequestException", 400);
    await update({ Mobile: "+15125550100" });

    // Assess
    expect((await describeUser(fixture, fixture.userId("admin"))).IdentityInfo).toEqual({
      FirstName: "Ada",
      LastName: "Min",
      Mobile: "+15125550100",
    });
  });
});

describe("UpdateUserPhoneConfig", () => {
  const fixture = useEmulator();

  it("changes the members given and keeps the others", async () => {
    // Prepare
    const userId = fixture.userId("admin");

    // Act
    await fixture.client.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: fixture.instanceId,
        UserId: userId,
        PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+442071234567" },
      }),
    );
    await fixture.client.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: fixture.instanceId,
        UserId: userId,
        PhoneConfig: { AutoAccept: true },
      }),
    );

    // Assess
    expect((await describeUser(fixture, userId)).PhoneConfig).toEqual({
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+442071234567",
      AutoAccept: true,
      AfterContactWorkTimeLimit: 0,
    });
  });

  it("refuses a desk phone without a number with InvalidRequestException", async () => {
    // Act
    const call = settle(
      fixture.client.send(
        new UpdateUserPhoneConfigCommand({
          InstanceId: fixture.instanceId,
          UserId: fixture.userId("admin"),
          PhoneConfig: { PhoneType: "DESK_PHONE" },
        }),
      ),
    );

    // Assess
    await expectConnectError(call, "InvalidRequestException", 400);
    expect((await describeUser(fixture, fixture.userId("admin"))).PhoneConfig?.PhoneType).toBe(
      "SOFT_PHONE",
    );
  });

  it("sets the same after-contact-work limit on every channel, as its documentation says", async () => {
    // Prepare
    const { UserId } = await fixture.client.send(
      new CreateUserCommand(
        samlUser(fixture, "omni.agent", {
          AfterContactWorkConfigs: [
            { Channel: "VOICE", AfterContactWorkConfig: { AfterContactWorkTimeLimit: 30 } },
            { Channel: "CHAT", AfterContactWorkConfig: { AfterContactWorkTimeLimit: 90 } },
          ],
        }),
      ),
    );

    // Act
    await fixture.client.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: fixture.instanceId,
        UserId,
        PhoneConfig: { AfterContactWorkTimeLimit: 120 },
      }),
    );

    // Assess
    const user = await describeUser(fixture, UserId ?? "");
    expect(user.PhoneConfig?.AfterContactWorkTimeLimit).toBe(120);
    expect(
      user.AfterContactWorkConfigs?.map(
        (config) => config.AfterContactWorkConfig?.AfterContactWorkTimeLimit,
      ),
    ).toEqual([120, 120]);
  });
});
