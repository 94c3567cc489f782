import { ConnectClient, SearchUsersCommand } from "@aws-sdk/client-connect";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { DeletionProtection } from "../../../src/app/protection";
import { ConnectGateway } from "../../../src/connect/gateway";
import { Pacer } from "../../../src/connect/pacer";
import type { ConnectUser } from "../../../src/domain/plan";
import { mockSampleInstance, resolverOverMock } from "../../support/connect-instance-mock";
import { RULES_YAML, syncRules } from "../../support/hr-fixtures";

expect.extend(allCustomMatcher);

const connect = mockClient(ConnectClient);

function agent(userId: string, username = `${userId}@example.com`): ConnectUser {
  return {
    userId,
    username,
    identity: { firstName: "Ada", lastName: "Lovelace" },
    routingProfileId: "rp-basic",
    securityProfileIds: ["sp-agent"],
    hierarchyGroupId: null,
    phone: {
      type: "SOFT_PHONE",
      autoAccept: false,
      afterContactWorkSeconds: 30,
      deskPhoneNumber: null,
    },
    tags: {},
  };
}

/** Admins are whoever the mocked SearchUsers says holds the Admin profile right now. */
let admins: string[] = [];
let clock = 0;

function protection(maxAgeSeconds: number): DeletionProtection {
  const gateway = new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
    instanceId: "instance-1",
    pacer: new Pacer(1000, 1000),
  });
  const rules = syncRules(`${RULES_YAML}  maxAgeSeconds: ${maxAgeSeconds}\n`);
  return new DeletionProtection(gateway, resolverOverMock(), rules, () => clock);
}

beforeEach(() => {
  mockSampleInstance(connect);
  admins = [];
  clock = 0;
  connect.on(SearchUsersCommand).callsFake(async () => ({ Users: admins.map((Id) => ({ Id })) }));
});

describe("deletion protection", () => {
  it("protects a managed agent who was given the Admin profile, asking Connect by profile id", async () => {
    admins = ["u-promoted"];

    const promoted = await protection(60).isProtected(agent("u-promoted"));

    expect(promoted).toBe(true);
    expect(connect).toHaveReceivedCommandWith(SearchUsersCommand, {
      SearchCriteria: {
        StringCondition: {
          FieldName: "SecurityProfileId",
          Value: "sp-admin",
          ComparisonType: "EXACT",
        },
      },
    });
  });

  it("asks Connect once for many deletions within the maximum age, and again after it", async () => {
    const check = protection(60);

    const first = await check.isProtected(agent("u-1"));
    admins = ["u-2"];
    clock = 59_000;
    const withinAge = await check.isProtected(agent("u-2"));
    clock = 60_000;
    const afterAge = await check.isProtected(agent("u-2"));

    expect([first, withinAge, afterAge]).toEqual([false, false, true]);
    expect(connect).toHaveReceivedCommandTimes(SearchUsersCommand, 2);
  });

  it("asks Connect before every deletion when the maximum age is 0", async () => {
    const check = protection(0);

    await check.isProtected(agent("u-1"));
    admins = ["u-2"];
    const promoted = await check.isProtected(agent("u-2"));

    expect(promoted).toBe(true);
    expect(connect).toHaveReceivedCommandTimes(SearchUsersCommand, 2);
  });

  it("protects a protected user name without asking Connect", async () => {
    const named = await protection(0).isProtected(agent("u-9", "Admin"));

    expect(named).toBe(true);
    expect(connect).toHaveReceivedCommandTimes(SearchUsersCommand, 0);
  });
});
