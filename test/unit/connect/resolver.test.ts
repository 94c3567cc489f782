import {
  ConnectClient,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
} from "@aws-sdk/client-connect";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { ConnectGateway } from "../../../src/connect/gateway";
import { Pacer } from "../../../src/connect/pacer";
import { NameResolver, UnknownNameError } from "../../../src/connect/resolver";
import type { DesiredAgent } from "../../../src/domain/agent";

expect.extend(allCustomMatcher);

const connect = mockClient(ConnectClient);

const agent: DesiredAgent = {
  employeeId: "E1",
  username: "grace.hopper@example.com",
  identity: { firstName: "Grace", lastName: "Hopper" },
  routingProfile: "UK Support",
  securityProfiles: ["Agent"],
  hierarchy: "EMEA/London/Support",
  phone: {
    type: "SOFT_PHONE",
    autoAccept: false,
    afterContactWorkSeconds: 0,
    deskPhoneNumber: null,
  },
  rules: [],
};

const summary = (id: string, name: string) => ({ Id: id, Name: name });
const path = (...names: [string, string][]) =>
  Object.fromEntries(
    names.map(([id, name], i) => [
      ["LevelOne", "LevelTwo", "LevelThree"][i],
      { Id: id, Name: name },
    ]),
  );

function resolver(now = () => 0): NameResolver {
  const gateway = new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
    instanceId: "instance-1",
    pacer: new Pacer(1000, 1000),
  });
  return new NameResolver(gateway, { now });
}

beforeEach(() => {
  connect.reset();
  connect.on(ListRoutingProfilesCommand).resolves({
    RoutingProfileSummaryList: [
      summary("rp-basic", "Basic Routing Profile"),
      summary("rp-uk", "UK Support"),
    ],
  });
  // Two pages: names are read from every page.
  connect
    .on(ListSecurityProfilesCommand)
    .resolvesOnce({ SecurityProfileSummaryList: [summary("sp-admin", "Admin")], NextToken: "next" })
    .resolves({ SecurityProfileSummaryList: [summary("sp-agent", "Agent")] });
  connect.on(ListUserHierarchyGroupsCommand).resolves({
    UserHierarchyGroupSummaryList: [
      summary("hg-emea", "EMEA"),
      summary("hg-london", "London"),
      summary("hg-support-uk", "Support"),
      summary("hg-support-us", "Support"),
    ],
  });
  connect.on(DescribeUserHierarchyStructureCommand).resolves({
    HierarchyStructure: {
      LevelOne: { Name: "Region" },
      LevelTwo: { Name: "Site" },
      LevelThree: { Name: "Team" },
    },
  });
  connect.on(DescribeUserHierarchyGroupCommand, { HierarchyGroupId: "hg-support-us" }).resolves({
    HierarchyGroup: {
      Id: "hg-support-us",
      HierarchyPath: path(["a", "AMER"], ["b", "Austin"], ["hg-support-us", "Support"]),
    },
  });
  connect.on(DescribeUserHierarchyGroupCommand, { HierarchyGroupId: "hg-support-uk" }).resolves({
    HierarchyGroup: {
      Id: "hg-support-uk",
      HierarchyPath: path(
        ["hg-emea", "EMEA"],
        ["hg-london", "London"],
        ["hg-support-uk", "Support"],
      ),
    },
  });
});

describe("name resolution", () => {
  it("turns profile names and a hierarchy path into ids, reading every page", async () => {
    const spec = await resolver().resolve(agent);

    expect(spec).toMatchObject({
      routingProfileId: "rp-uk",
      securityProfileIds: ["sp-agent"],
      hierarchyGroupId: "hg-support-uk",
    });
  });

  it("reads the names once per container, not once per employee", async () => {
    const cached = resolver();

    await cached.resolve(agent);
    await cached.resolve({ ...agent, employeeId: "E2" });

    expect(connect).toHaveReceivedCommandTimes(ListRoutingProfilesCommand, 1);
    expect(connect).toHaveReceivedCommandTimes(DescribeUserHierarchyGroupCommand, 1);
  });

  it("names every unknown name, suggesting one that differs only in case", async () => {
    const attempt = resolver().resolve({
      ...agent,
      routingProfile: "uk support",
      securityProfiles: ["Agent", "Supervisor"],
      hierarchy: "EMEA/Paris/Support",
    });

    await expect(attempt).rejects.toBeInstanceOf(UnknownNameError);
    await expect(attempt).rejects.toMatchObject({
      problems: [
        'routing profile "uk support" does not exist (did you mean "UK Support"?)',
        'security profile "Supervisor" does not exist',
        'hierarchy group "EMEA/Paris/Support" does not exist',
      ],
    });
  });

  it("refuses a hierarchy path deeper than the instance's levels", async () => {
    const attempt = resolver().resolve({ ...agent, hierarchy: "EMEA/London/Support/Tier2" });

    await expect(attempt).rejects.toMatchObject({
      problems: [
        'hierarchy "EMEA/London/Support/Tier2" has 4 levels; the instance defines 3 (Region/Site/Team)',
      ],
    });
  });

  it("reads the names again when one is missing, in case it was created since", async () => {
    let now = 0;
    const fresh = resolver(() => now);
    await fresh.resolve(agent);
    connect.on(ListRoutingProfilesCommand).resolves({
      RoutingProfileSummaryList: [
        summary("rp-uk", "UK Support"),
        summary("rp-new", "UK Complaints"),
      ],
    });
    now = 60_000;

    const spec = await fresh.resolve({ ...agent, routingProfile: "UK Complaints" });

    expect(spec.routingProfileId).toBe("rp-new");
  });
});
