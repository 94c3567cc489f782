import {
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  paginateListRoutingProfiles,
  paginateListSecurityProfiles,
  paginateListUserHierarchyGroups,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { expectConnectError, SAML_SEED, settle, useEmulator } from "./support";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const ARN_PREFIX = `arn:aws:connect:eu-west-2:111122223333:instance/${SAML_SEED.instanceId}`;

describe("ListRoutingProfiles and ListSecurityProfiles", () => {
  const fixture = useEmulator();

  it("lists routing profiles by name with ids, ARNs and modification stamps", async () => {
    // Act
    const { RoutingProfileSummaryList: profiles } = await fixture.client.send(
      new ListRoutingProfilesCommand({ InstanceId: fixture.instanceId }),
    );

    // Assess
    expect(profiles?.map((profile) => profile.Name)).toEqual([
      "Basic Routing Profile",
      "UK Support",
      "US Sales",
    ]);
    expect(profiles?.[1]).toEqual({
      Id: fixture.routingProfileId("UK Support"),
      Arn: `${ARN_PREFIX}/routing-profile/${fixture.routingProfileId("UK Support")}`,
      Name: "UK Support",
      LastModifiedTime: expect.any(Date),
      LastModifiedRegion: "eu-west-2",
    });
  });

  it("pages routing profiles and security profiles one at a time", async () => {
    // Act
    const routing: string[] = [];
    for await (const page of paginateListRoutingProfiles(
      { client: fixture.client, pageSize: 1 },
      { InstanceId: fixture.instanceId },
    )) {
      routing.push(...(page.RoutingProfileSummaryList ?? []).map((profile) => profile.Name ?? ""));
    }
    const security: string[] = [];
    for await (const page of paginateListSecurityProfiles(
      { client: fixture.client, pageSize: 2 },
      { InstanceId: fixture.instanceId },
    )) {
      security.push(
        ...(page.SecurityProfileSummaryList ?? []).map((profile) => profile.Name ?? ""),
      );
    }

    // Assess
    expect(routing).toEqual(["Basic Routing Profile", "UK Support", "US Sales"]);
    expect(security).toEqual(["Admin", "Agent", "CallCenterManager"]);
    expect(fixture.emulator.stats().byOperation.ListRoutingProfiles?.calls).toBe(3);
    expect(fixture.emulator.stats().byOperation.ListSecurityProfiles?.calls).toBe(2);
  });

  it("answers ResourceNotFoundException for an unknown instance", async () => {
    // Act
    const routing = settle(
      fixture.client.send(new ListRoutingProfilesCommand({ InstanceId: UNKNOWN_ID })),
    );
    const security = settle(
      fixture.client.send(new ListSecurityProfilesCommand({ InstanceId: UNKNOWN_ID })),
    );

    // Assess
    await expectConnectError(routing, "ResourceNotFoundException", 404);
    await expectConnectError(security, "ResourceNotFoundException", 404);
  });
});

describe("the agent hierarchy", () => {
  const fixture = useEmulator();

  it("lists every group, parents before children, across pages", async () => {
    // Act
    const names: string[] = [];
    for await (const page of paginateListUserHierarchyGroups(
      { client: fixture.client, pageSize: 3 },
      { InstanceId: fixture.instanceId },
    )) {
      names.push(...(page.UserHierarchyGroupSummaryList ?? []).map((group) => group.Name ?? ""));
    }

    // Assess
    expect(names).toEqual(["AMER", "Austin", "Support", "EMEA", "London", "Sales", "Support"]);
  });

  it("describes a group with its path from the top level down", async () => {
    // Prepare
    const groupId = fixture.hierarchyGroupId("EMEA/London/Support");

    // Act
    const { HierarchyGroup: group } = await fixture.client.send(
      new DescribeUserHierarchyGroupCommand({
        InstanceId: fixture.instanceId,
        HierarchyGroupId: groupId,
      }),
    );

    // Assess
    expect(group).toMatchObject({
      Id: groupId,
      Arn: `${ARN_PREFIX}/agent-group/${groupId}`,
      Name: "Support",
      LastModifiedRegion: "eu-west-2",
    });
    expect(group?.HierarchyPath?.LevelOne?.Name).toBe("EMEA");
    expect(group?.HierarchyPath?.LevelTwo?.Name).toBe("London");
    expect(group?.HierarchyPath?.LevelThree?.Id).toBe(groupId);
    expect(group?.HierarchyPath?.LevelFour).toBeUndefined();
  });

  it("gives a group the level its depth says", async () => {
    // Prepare
    const { HierarchyStructure: structure } = await fixture.client.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: fixture.instanceId }),
    );

    // Act
    const { HierarchyGroup: site } = await fixture.client.send(
      new DescribeUserHierarchyGroupCommand({
        InstanceId: fixture.instanceId,
        HierarchyGroupId: fixture.hierarchyGroupId("AMER/Austin"),
      }),
    );

    // Assess
    expect(site?.LevelId).toBe(structure?.LevelTwo?.Id);
  });

  it("describes the structure's levels in order", async () => {
    // Act
    const { HierarchyStructure: structure } = await fixture.client.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: fixture.instanceId }),
    );

    // Assess
    expect([
      structure?.LevelOne?.Name,
      structure?.LevelTwo?.Name,
      structure?.LevelThree?.Name,
    ]).toEqual(["Region", "Site", "Team"]);
    expect(structure?.LevelFour).toBeUndefined();
    expect(structure?.LevelOne?.Arn).toBe(
      `${ARN_PREFIX}/agent-hierarchy-level/${structure?.LevelOne?.Id}`,
    );
  });

  it("answers ResourceNotFoundException for an unknown group or instance", async () => {
    // Act
    const unknownGroup = settle(
      fixture.client.send(
        new DescribeUserHierarchyGroupCommand({
          InstanceId: fixture.instanceId,
          HierarchyGroupId: UNKNOWN_ID,
        }),
      ),
    );
    const unknownInstance = settle(
      fixture.client.send(new DescribeUserHierarchyStructureCommand({ InstanceId: UNKNOWN_ID })),
    );
    const unknownListing = settle(
      fixture.client.send(new ListUserHierarchyGroupsCommand({ InstanceId: UNKNOWN_ID })),
    );

    // Assess
    await expectConnectError(unknownGroup, "ResourceNotFoundException", 404);
    await expectConnectError(unknownInstance, "ResourceNotFoundException", 404);
    await expectConnectError(unknownListing, "ResourceNotFoundException", 404);
  });
});

describe("an instance without a hierarchy", () => {
  const fixture = useEmulator({
    seed: { ...SAML_SEED, hierarchyLevels: [], hierarchyGroups: [], users: [] },
  });

  it("has an empty structure and no groups", async () => {
    // Act
    const structure = await fixture.client.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: fixture.instanceId }),
    );
    const groups = await fixture.client.send(
      new ListUserHierarchyGroupsCommand({ InstanceId: fixture.instanceId }),
    );

    // Assess
    expect(structure.HierarchyStructure).toEqual({});
    expect(groups.UserHierarchyGroupSummaryList).toEqual([]);
  });
});
