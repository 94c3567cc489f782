import { ConnectClient, SearchUsersCommand } from "@aws-sdk/client-connect";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { UnknownNameError } from "../../../src/app/errors";
import { ChangeProtection, isProtectedUser } from "../../../src/app/protection";
import { ConnectGateway } from "../../../src/connect/gateway";
import type { ConnectUser } from "../../../src/domain/connect-user";
import { connectUser } from "../../support/connect-fixtures";
import { mockSampleInstance, resolverOverMock } from "../../support/connect-instance-mock";
import { RULES_YAML, syncRules } from "../../support/hr-fixtures";

expect.extend(allCustomMatcher);

const connect = mockClient(ConnectClient);

function agent(userId: string, username = `${userId}@example.com`): ConnectUser {
  return connectUser(userId, { username });
}

/** Admins are whoever the mocked SearchUsers says holds the Admin profile right now. */
let admins: string[] = [];
let clock = 0;

function protection(maxAgeSeconds: number): ChangeProtection {
  const gateway = new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
    instanceId: "instance-1",
    budget: { take: async () => {} },
  });
  const rules = syncRules(`${RULES_YAML}  maxAgeSeconds: ${maxAgeSeconds}\n`);
  return new ChangeProtection(gateway, resolverOverMock(), rules, () => clock);
}

beforeEach(() => {
  mockSampleInstance(connect);
  admins = [];
  clock = 0;
  connect.on(SearchUsersCommand).callsFake(async () => ({ Users: admins.map((Id) => ({ Id })) }));
});

describe("deletion protection", () => {
  it("says a managed agent who was given the Admin profile may be protected, asking Connect by profile id", async () => {
    admins = ["u-promoted"];

    const promoted = await protection(60).mayBeProtected(agent("u-promoted"));

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

    const first = await check.mayBeProtected(agent("u-1"));
    admins = ["u-2"];
    clock = 59_000;
    const withinAge = await check.mayBeProtected(agent("u-2"));
    clock = 60_000;
    const afterAge = await check.mayBeProtected(agent("u-2"));

    expect([first, withinAge, afterAge]).toEqual([false, false, true]);
    expect(connect).toHaveReceivedCommandTimes(SearchUsersCommand, 2);
  });

  it("asks Connect again when the clock went back", async () => {
    const check = protection(60);
    clock = 100_000;
    await check.mayBeProtected(agent("u-1"));
    admins = ["u-1"];
    clock = 50_000;

    const promoted = await check.mayBeProtected(agent("u-1"));

    expect(promoted).toBe(true);
  });

  it("leaves every deletion to a read of the user itself when the maximum age is 0", async () => {
    const check = protection(0);

    const verdicts = [
      await check.mayBeProtected(agent("u-1")),
      await check.mayBeProtected(agent("u-2")),
    ];

    expect(verdicts).toEqual([true, true]);
    expect(connect).toHaveReceivedCommandTimes(SearchUsersCommand, 0);
  });

  it("says a protected user name may be protected without asking Connect", async () => {
    const named = await protection(60).mayBeProtected(agent("u-9", "Admin"));

    expect(named).toBe(true);
    expect(connect).toHaveReceivedCommandTimes(SearchUsersCommand, 0);
  });

  it("asks for the holders of every protected profile in one request the Connect model allows", async () => {
    const gateway = new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
      instanceId: "instance-1",
      budget: { take: async () => {} },
    });
    const rules = syncRules(
      RULES_YAML.replace("securityProfiles: [Admin]", "securityProfiles: [Admin, Agent]"),
    );
    admins = ["u-1"];

    const check = new ChangeProtection(gateway, resolverOverMock(), rules, () => clock);
    const promoted = await check.mayBeProtected(agent("u-1"));

    expect(promoted).toBe(true);
    expect(connect).toHaveReceivedCommandWith(SearchUsersCommand, {
      SearchCriteria: {
        OrConditions: [
          {
            StringCondition: {
              FieldName: "SecurityProfileId",
              Value: "sp-admin",
              ComparisonType: "EXACT",
            },
          },
          {
            StringCondition: {
              FieldName: "SecurityProfileId",
              Value: "sp-agent",
              ComparisonType: "EXACT",
            },
          },
        ],
      },
    });
  });
});

describe("protected security profiles the instance lacks", () => {
  it("refuses to judge any user rather than protect nobody, naming the profile and the likely one", async () => {
    const rules = syncRules(
      RULES_YAML.replace("securityProfiles: [Admin]", "securityProfiles: [Admn]"),
    );

    const judged = isProtectedUser(agent("u-1"), rules, resolverOverMock());

    await expect(judged).rejects.toBeInstanceOf(UnknownNameError);
    await expect(judged).rejects.toMatchObject({
      problems: [
        'protected.securityProfiles: security profile "Admn" does not exist (did you mean "Admin"?)',
      ],
    });
  });
});
