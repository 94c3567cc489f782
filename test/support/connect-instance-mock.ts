import {
  ConnectClient,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
} from "@aws-sdk/client-connect";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { ConnectGateway } from "../../src/connect/gateway";
import { NameResolver } from "../../src/connect/resolver";

const summary = (Id: string, Name: string) => ({ Id, Name });
const LEVELS = ["LevelOne", "LevelTwo", "LevelThree"] as const;

/** `[id, name]` per level -> a HierarchyPath. */
export const hierarchyPath = (...groups: [string, string][]) =>
  Object.fromEntries(groups.map(([Id, Name], i) => [LEVELS[i], { Id, Name }]));

const GROUP_PATHS: Record<string, [string, string][]> = {
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

/**
 * A small instance behind a mocked Connect client: two routing profiles,
 * security profiles over two pages, two groups named "Support" in different
 * regions, three hierarchy levels.
 */
export function mockSampleInstance(stub: AwsClientStub<ConnectClient>): void {
  stub.reset();
  stub.on(ListRoutingProfilesCommand).resolves({
    RoutingProfileSummaryList: [
      summary("rp-basic", "Basic Routing Profile"),
      summary("rp-uk", "UK Support"),
    ],
  });
  // Two pages: names are read from every page.
  stub
    .on(ListSecurityProfilesCommand)
    .resolvesOnce({ SecurityProfileSummaryList: [summary("sp-admin", "Admin")], NextToken: "next" })
    .resolves({ SecurityProfileSummaryList: [summary("sp-agent", "Agent")] });
  stub.on(ListUserHierarchyGroupsCommand).resolves({
    UserHierarchyGroupSummaryList: [
      summary("hg-emea", "EMEA"),
      summary("hg-london", "London"),
      summary("hg-support-uk", "Support"),
      summary("hg-support-us", "Support"),
      summary("hg-sales-uk", "Sales"),
    ],
  });
  stub.on(DescribeUserHierarchyStructureCommand).resolves({
    HierarchyStructure: {
      LevelOne: { Name: "Region" },
      LevelTwo: { Name: "Site" },
      LevelThree: { Name: "Team" },
    },
  });
  for (const [id, path] of Object.entries(GROUP_PATHS)) {
    stub.on(DescribeUserHierarchyGroupCommand, { HierarchyGroupId: id }).resolves({
      HierarchyGroup: { Id: id, HierarchyPath: hierarchyPath(...path) },
    });
  }
}

/** A NameResolver over a gateway whose client the mock intercepts. */
export function resolverOverMock(now: () => number = () => 0): NameResolver {
  const gateway = new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
    instanceId: "instance-1",
    budget: { take: async () => {} },
  });
  return new NameResolver(gateway, { now });
}
