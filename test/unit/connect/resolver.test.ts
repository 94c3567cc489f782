import {
  ConnectClient,
  DescribeUserHierarchyGroupCommand,
  ListRoutingProfilesCommand,
} from "@aws-sdk/client-connect";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { UnknownNameError } from "../../../src/app/errors";
import type { DesiredAgent } from "../../../src/domain/agent";
import { mockSampleInstance, resolverOverMock } from "../../support/connect-instance-mock";

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

beforeEach(() => mockSampleInstance(connect));

describe("name resolution", () => {
  it("turns profile names and a hierarchy path into ids, reading every page", async () => {
    const spec = await resolverOverMock().resolve(agent);

    expect(spec).toMatchObject({
      routingProfileId: "rp-uk",
      securityProfileIds: ["sp-agent"],
      hierarchyGroupId: "hg-support-uk",
    });
  });

  it("reads the names once per container, not once per employee", async () => {
    const cached = resolverOverMock();

    await cached.resolve(agent);
    await cached.resolve({ ...agent, employeeId: "E2" });

    expect(connect).toHaveReceivedCommandTimes(ListRoutingProfilesCommand, 1);
    expect(connect).toHaveReceivedCommandTimes(DescribeUserHierarchyGroupCommand, 1);
  });

  it("names every unknown name, suggesting one that differs only in case", async () => {
    const attempt = resolverOverMock().resolve({
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
    const attempt = resolverOverMock().resolve({
      ...agent,
      hierarchy: "EMEA/London/Support/Tier2",
    });

    await expect(attempt).rejects.toMatchObject({
      problems: [
        'hierarchy "EMEA/London/Support/Tier2" has 4 levels; the instance defines 3 (Region/Site/Team)',
      ],
    });
  });

  it("reads the names again when one is missing, in case it was created since", async () => {
    let now = 0;
    const fresh = resolverOverMock(() => now);
    await fresh.resolve(agent);
    connect.on(ListRoutingProfilesCommand).resolves({
      RoutingProfileSummaryList: [
        { Id: "rp-uk", Name: "UK Support" },
        { Id: "rp-new", Name: "UK Complaints" },
      ],
    });
    now = 60_000;

    const spec = await fresh.resolve({ ...agent, routingProfile: "UK Complaints" });

    expect(spec.routingProfileId).toBe("rp-new");
  });
});
