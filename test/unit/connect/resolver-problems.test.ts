import { ConnectClient, DescribeUserHierarchyGroupCommand } from "@aws-sdk/client-connect";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { mockSampleInstance, resolverOverMock } from "../../support/connect-instance-mock";

expect.extend(allCustomMatcher);

const connect = mockClient(ConnectClient);

beforeEach(() => mockSampleInstance(connect));

describe("NameResolver.problemFor", () => {
  it("answers undefined for names the instance has", async () => {
    const names = resolverOverMock();

    const problems = await Promise.all([
      names.problemFor("routing profile", "UK Support"),
      names.problemFor("security profile", "Agent"),
      names.problemFor("hierarchy", "EMEA/London/Support"),
    ]);

    expect(problems).toEqual([undefined, undefined, undefined]);
  });

  it("suggests the closest profile name for a typo or a difference in case", async () => {
    const names = resolverOverMock();

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
    const problem = await resolverOverMock().problemFor("security profile", "Supervisor");

    expect(problem).toEqual({ problem: 'security profile "Supervisor" does not exist' });
  });

  it("suggests the hierarchy path closest to a misspelt one, describing only groups named like its last part", async () => {
    const names = resolverOverMock();

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
    const problem = await resolverOverMock().problemFor("hierarchy", "EMEA/London/Support/Tier2");

    expect(problem?.problem).toBe(
      'hierarchy "EMEA/London/Support/Tier2" has 4 levels; the instance defines 3 (Region/Site/Team)',
    );
  });
});
