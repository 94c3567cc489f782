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
import { NameResolver } from "../../../src/connect/resolver";

expect.extend(allCustomMatcher);

const connect = mockClient(ConnectClient);

const summary = (Id: string, Name: string) => ({ Id, Name });
const LEVELS = ["LevelOne", "LevelTwo", "LevelThree"] as const;
const hierarchyPath = (...groups: [string, string][]) =>
  Object.fromEntries(groups.map(([Id, Name], i) => [LEVELS[i], { Id, Name }]));

function resolver(): NameResolver {
  const gateway = new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
    instanceId: "instance-1",
    pacer: new Pacer(1000, 1000),
  });
  return new NameResolver(gateway);
}

beforeEach(() => {
  connect.reset();
  connect.on(ListRoutingProfilesCommand).resolves({
    RoutingProfileSummaryList: [
      summary("rp-basic", "Basic Routing Profile"),
      summary("rp-uk", "UK Support"),
    ],
  });
  connect.on(ListSecurityProfilesCommand).resolves({
    SecurityProfileSummaryList: [summary("sp-agent", "Agent"), summary("sp-admin", "Admin")],
  });
  connect.on(ListUserHierarchyGroupsCommand).resolves({
    UserHierarchyGroupSummaryList: [
      summary("hg-emea", "EMEA"),
      summary("hg-london", "London"),
      summary("hg-support-uk", "Support"),
      summary("hg-support-us", "Support"),
      summary("hg-sales-uk", "Sales"),
    ],
  });
  connect.on(DescribeUserHierarchyStructureCommand).resolves({
    HierarchyStructure: {
      LevelOne: { Name: "Region" },
      LevelTwo: { Name: "Site" },
      LevelThree: { Name: "Team" },
    },
  });
  const groups: Record<string, [string, string][]> = {
    "hg-support-uk": [
      ["hg-emea", "EMEA"],
      ["hg-london", "London"],
      ["hg-support-uk", "Support"],
    ],
    "hg-support-us": [
      ["a", "AMER"],
      ["b", "Austin"],
      ["hg-support-us", "Support"],
    ],
    "hg-sales-uk": [
      ["hg-emea", "EMEA"],
      ["hg-london", "London"],
      ["hg-sales-uk", "Sales"],
    ],
  };
  for (const [id, path] of Object.entries(groups)) {
    connect.on(DescribeUserHierarchyGroupCommand, { HierarchyGroupId: id }).resolves({
      HierarchyGroup: { Id: id, HierarchyPath: hierarchyPath(...path) },
    });
  }
});

describe("NameResolver.problemFor", () => {
  it("answers undefined for names the instance has", async () => {
    const names = resolver();

    const problems = await Promise.all([
      names.problemFor("routing profile", "UK Support"),
      names.problemFor("security profile", "Agent"),
      names.problemFor("hierarchy", "EMEA/London/Support"),
    ]);

    expect(problems).toEqual([undefined, undefined, undefined]);
  });

  it("suggests the closest profile name for a typo or a difference in case", async () => {
    const names = resolver();

    const typo = await names.problemFor("routing profile", "UK Suport");
    const swapped = await names.problemFor("security profile", "Agnet");
    const casing = await names.problemFor("routing profile", "uk support");

    expect(typo).toEqual({
      problem: 'routing profile "UK Suport" does not exist (did you mean "UK Support"?)',
      suggestion: "UK Support",
    });
    expect(swapped?.suggestion).toBe("Agent");
    expect(casing?.suggestion).toBe("UK Support");
  });

  it("suggests nothing when no name is close", async () => {
    const problem = await resolver().problemFor("security profile", "Supervisor");

    expect(problem).toEqual({ problem: 'security profile "Supervisor" does not exist' });
  });

  it("suggests the hierarchy path closest to a misspelt one, describing only groups named like its last part", async () => {
    const names = resolver();

    const problem = await names.problemFor("hierarchy", "EMEA/Londn/Support");

    expect(problem).toEqual({
      problem:
        'hierarchy group "EMEA/Londn/Support" does not exist (did you mean "EMEA/London/Support"?)',
      suggestion: "EMEA/London/Support",
    });
    expect(connect).not.toHaveReceivedCommandWith(DescribeUserHierarchyGroupCommand, {
      HierarchyGroupId: "hg-sales-uk",
    });
  });

  it("reports a path deeper than the instance's levels", async () => {
    const problem = await resolver().problemFor("hierarchy", "EMEA/London/Support/Tier2");

    expect(problem?.problem).toBe(
      'hierarchy "EMEA/London/Support/Tier2" has 4 levels; the instance defines 3 (Region/Site/Team)',
    );
  });
});
