import {
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  ListUsersCommand,
  paginateListUsers,
  ResourceNotFoundException,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import type { EmulatorSeedInput } from "../../../src/local/connect-emulator/index";
import { expectConnectError, SAML_SEED, samlUser, settle, useEmulator } from "./support";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

function seedWithAgents(count: number): EmulatorSeedInput {
  const agents = Array.from({ length: count }, (_, index) => ({
    username: `agent${String(index).padStart(3, "0")}`,
    firstName: "Agent",
    lastName: String(index),
    routingProfile: "UK Support",
    securityProfiles: ["Agent"],
  }));
  return { ...SAML_SEED, users: [...(SAML_SEED.users ?? []), ...agents] };
}

describe("CreateUser and DescribeUser", () => {
  const fixture = useEmulator();

  it("creates a user that DescribeUser returns with every facet, its ARN and modification stamp", async () => {
    // Prepare
    const before = Date.now();
    const input = samlUser(fixture, "jane.doe@example.com", {
      HierarchyGroupId: fixture.hierarchyGroupId("EMEA/London/Support"),
      SecurityProfileIds: [
        fixture.securityProfileId("Agent"),
        fixture.securityProfileId("CallCenterManager"),
      ],
      PhoneConfig: {
        PhoneType: "DESK_PHONE",
        DeskPhoneNumber: "+442071234567",
        AutoAccept: true,
        AfterContactWorkTimeLimit: 45,
      },
      Tags: { managedBy: "connect-hr-sync", employeeId: "E123" },
    });

    // Act
    const created = await fixture.client.send(new CreateUserCommand(input));
    const { User: user } = await fixture.client.send(
      new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: created.UserId }),
    );

    // Assess
    expect(created.UserId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(created.UserArn).toBe(
      `arn:aws:connect:eu-west-2:111122223333:instance/${fixture.instanceId}/agent/${created.UserId}`,
    );
    expect(user).toMatchObject({
      Id: created.UserId,
      Arn: created.UserArn,
      Username: "jane.doe@example.com",
      IdentityInfo: { FirstName: "Jane", LastName: "Doe" },
      PhoneConfig: {
        PhoneType: "DESK_PHONE",
        DeskPhoneNumber: "+442071234567",
        AutoAccept: true,
        AfterContactWorkTimeLimit: 45,
      },
      RoutingProfileId: fixture.routingProfileId("UK Support"),
      SecurityProfileIds: input.SecurityProfileIds,
      HierarchyGroupId: fixture.hierarchyGroupId("EMEA/London/Support"),
      Tags: { managedBy: "connect-hr-sync", employeeId: "E123" },
      LastModifiedRegion: "eu-west-2",
    });
    expect(user?.LastModifiedTime).toBeInstanceOf(Date);
    expect(user?.LastModifiedTime?.getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it("gives a user created without phone settings Connect's defaults", async () => {
    // Act
    const { UserId } = await fixture.client.send(
      new CreateUserCommand(samlUser(fixture, "plain.agent")),
    );
    const { User } = await fixture.client.send(
      new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId }),
    );

    // Assess
    expect(User?.PhoneConfig).toEqual({
      PhoneType: "SOFT_PHONE",
      AutoAccept: false,
      AfterContactWorkTimeLimit: 0,
    });
    expect(User?.HierarchyGroupId).toBeUndefined();
  });

  it("refuses a user name already taken, whatever its case, with DuplicateResourceException", async () => {
    // Act
    const call = settle(fixture.client.send(new CreateUserCommand(samlUser(fixture, "ADMIN"))));

    // Assess
    await expectConnectError(call, "DuplicateResourceException", 409);
    expect(fixture.emulator.dumpState().users).toHaveLength(1);
  });

  it("answers ResourceNotFoundException for an unknown instance, routing profile, security profile or group", async () => {
    // Prepare
    const calls = [
      samlUser(fixture, "a1", { InstanceId: UNKNOWN_ID }),
      samlUser(fixture, "a2", { RoutingProfileId: UNKNOWN_ID }),
      samlUser(fixture, "a3", {
        SecurityProfileIds: [fixture.securityProfileId("Agent"), UNKNOWN_ID],
      }),
      samlUser(fixture, "a4", { HierarchyGroupId: UNKNOWN_ID }),
    ];

    // Act
    for (const input of calls) {
      await expectConnectError(
        fixture.client.send(new CreateUserCommand(input)),
        "ResourceNotFoundException",
        404,
      );
    }

    // Assess
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toEqual(["admin"]);
  });

  it("answers ResourceNotFoundException when describing an unknown user or instance", async () => {
    // Act
    const unknownUser = settle(
      fixture.client.send(
        new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: UNKNOWN_ID }),
      ),
    );
    const unknownInstance = settle(
      fixture.client.send(
        new DescribeUserCommand({ InstanceId: UNKNOWN_ID, UserId: fixture.userId("admin") }),
      ),
    );

    // Assess
    const error = await expectConnectError(unknownUser, "ResourceNotFoundException", 404);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    await expectConnectError(unknownInstance, "ResourceNotFoundException", 404);
  });
});

describe("users per instance", () => {
  const fixture = useEmulator({ seed: { ...SAML_SEED, userLimit: 2 } });

  it("answers LimitExceededException (429) once the instance holds userLimit users", async () => {
    // Prepare
    await fixture.client.send(new CreateUserCommand(samlUser(fixture, "second.user")));

    // Act
    const error = await expectConnectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "third.user"))),
      "LimitExceededException",
      429,
    );

    // Assess
    expect(error.message).toMatch(/limit/);
    expect(fixture.emulator.dumpState().users).toHaveLength(2);
  });
});

describe("DeleteUser", () => {
  const fixture = useEmulator();

  it("removes the user, after which it is not found", async () => {
    // Prepare
    const { UserId } = await fixture.client.send(
      new CreateUserCommand(samlUser(fixture, "leaver")),
    );

    // Act
    const deleted = await fixture.client.send(
      new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId }),
    );

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    await expectConnectError(
      fixture.client.send(new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId })),
      "ResourceNotFoundException",
      404,
    );
    await expectConnectError(
      fixture.client.send(new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId })),
      "ResourceNotFoundException",
      404,
    );
  });
});

describe("ListUsers", () => {
  const fixture = useEmulator({ seed: seedWithAgents(120) });

  it("answers 100 users by default, then the rest with the NextToken", async () => {
    // Act
    const first = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId }),
    );
    const second = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId, NextToken: first.NextToken }),
    );

    // Assess
    expect(first.UserSummaryList).toHaveLength(100);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.UserSummaryList).toHaveLength(21);
    expect(second.NextToken).toBeUndefined();
    expect(first.UserSummaryList?.[0]).toMatchObject({
      Username: "admin",
      Arn: expect.stringMatching(/\/agent\//),
      LastModifiedRegion: "eu-west-2",
      LastModifiedTime: expect.any(Date),
    });
  });

  it("pages through every user exactly once, in a stable order, with the SDK paginator", async () => {
    // Act
    const usernames: string[] = [];
    for await (const page of paginateListUsers(
      { client: fixture.client, pageSize: 7 },
      { InstanceId: fixture.instanceId },
    )) {
      expect(page.UserSummaryList?.length).toBeLessThanOrEqual(7);
      usernames.push(...(page.UserSummaryList ?? []).map((user) => user.Username ?? ""));
    }

    // Assess
    expect(usernames).toHaveLength(121);
    expect(new Set(usernames).size).toBe(121);
    expect(usernames).toEqual([...usernames].sort());
  });

  it("neither skips nor repeats users when one is deleted between pages", async () => {
    // Prepare
    const first = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId, MaxResults: 3 }),
    );
    const lastSeen = first.UserSummaryList?.at(-1)?.Id;
    await fixture.client.send(
      new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId: lastSeen }),
    );

    // Act
    const second = await fixture.client.send(
      new ListUsersCommand({
        InstanceId: fixture.instanceId,
        MaxResults: 3,
        NextToken: first.NextToken,
      }),
    );

    // Assess
    expect(first.UserSummaryList?.map((user) => user.Username)).toEqual([
      "admin",
      "agent000",
      "agent001",
    ]);
    expect(second.UserSummaryList?.map((user) => user.Username)).toEqual([
      "agent002",
      "agent003",
      "agent004",
    ]);
  });

  it("refuses a NextToken that was altered or belongs to another operation", async () => {
    // Prepare
    const page = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId, MaxResults: 1 }),
    );
    const profiles = await fixture.client.send(
      new ListRoutingProfilesCommand({ InstanceId: fixture.instanceId, MaxResults: 1 }),
    );

    // Act
    const altered = settle(
      fixture.client.send(
        new ListUsersCommand({ InstanceId: fixture.instanceId, NextToken: `${page.NextToken}x` }),
      ),
    );
    const foreign = settle(
      fixture.client.send(
        new ListUsersCommand({ InstanceId: fixture.instanceId, NextToken: profiles.NextToken }),
      ),
    );

    // Assess
    await expectConnectError(altered, "InvalidParameterException", 400);
    await expectConnectError(foreign, "InvalidParameterException", 400);
  });

  it("answers ResourceNotFoundException for an unknown instance", async () => {
    // Act
    const call = settle(fixture.client.send(new ListUsersCommand({ InstanceId: UNKNOWN_ID })));

    // Assess
    await expectConnectError(call, "ResourceNotFoundException", 404);
  });
});
