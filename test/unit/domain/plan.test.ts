import { describe, expect, it } from "vitest";
import type { ConnectUser, ConnectUserSpec } from "../../../src/domain/connect-user";
import { type ConnectCall, differingFacets, planCalls } from "../../../src/domain/plan";
import type { UserTarget } from "../../../src/domain/target";
import { connectUser, connectUserSpec } from "../../support/connect-fixtures";

const options = { manageIdentity: true };

const user = (spec: ConnectUserSpec): UserTarget => ({ kind: "user", spec });

const desired: ConnectUserSpec = connectUserSpec();

function currentUser(overrides: Partial<ConnectUser> = {}): ConnectUser {
  return connectUser("u-1", overrides);
}

describe("planner", () => {
  it("creates a joiner with one CreateUser carrying every facet", () => {
    expect(planCalls(user(desired), null, options)).toEqual([{ op: "CreateUser", user: desired }]);
  });

  it("makes no call when nothing differs", () => {
    expect(planCalls(user(desired), currentUser(), options)).toEqual([]);
  });

  it.each([
    [
      "routing profile",
      { routingProfileId: "rp-basic" },
      { op: "UpdateUserRoutingProfile", facet: "routingProfile", userId: "u-1", value: "rp-uk" },
    ],
    [
      "security profiles",
      { securityProfileIds: ["sp-agent", "sp-manager"] },
      {
        op: "UpdateUserSecurityProfiles",
        facet: "securityProfiles",
        userId: "u-1",
        value: ["sp-agent"],
      },
    ],
    [
      "hierarchy group",
      { hierarchyGroupId: null },
      { op: "UpdateUserHierarchy", facet: "hierarchy", userId: "u-1", value: "hg-support" },
    ],
    [
      "identity",
      { identity: { firstName: "Grace", lastName: "Murray" } },
      { op: "UpdateUserIdentityInfo", facet: "identity", userId: "u-1", value: desired.identity },
    ],
    [
      "phone",
      { phone: { ...desired.phone, autoAccept: true } },
      { op: "UpdateUserPhoneConfig", facet: "phone", userId: "u-1", value: desired.phone },
    ],
  ] as Array<[string, Partial<ConnectUser>, ConnectCall]>)(
    "changes only the %s when only it differs",
    (_, difference, call) => {
      expect(planCalls(user(desired), currentUser(difference), options)).toEqual([call]);
    },
  );

  it("makes one call per facet when every facet differs", () => {
    const current = currentUser({
      identity: { firstName: "G", lastName: "H" },
      phone: {
        type: "DESK_PHONE",
        autoAccept: true,
        afterContactWorkSeconds: 0,
        deskPhoneNumber: "+15125550100",
      },
      routingProfileId: "rp-basic",
      securityProfileIds: ["sp-admin"],
      hierarchyGroupId: "hg-other",
    });

    const calls = planCalls(user(desired), current, options);

    expect(calls.map((c) => c.op)).toEqual([
      "UpdateUserIdentityInfo",
      "UpdateUserPhoneConfig",
      "UpdateUserRoutingProfile",
      "UpdateUserSecurityProfiles",
      "UpdateUserHierarchy",
    ]);
  });

  it("deletes a leaver's user and does nothing when there is none", () => {
    expect(planCalls({ kind: "none" }, currentUser(), options)).toEqual([
      { op: "DeleteUser", userId: "u-1" },
    ]);
    expect(planCalls({ kind: "none" }, null, options)).toEqual([]);
  });

  it("disables a leaver's user with the disable profiles, security first, then tags it with the day", () => {
    const target: UserTarget = {
      kind: "disabled",
      facets: {
        routingProfileId: "rp-off",
        securityProfileIds: ["sp-none"],
        hierarchyGroupId: null,
      },
      since: "2026-12-01",
    };

    expect(planCalls(target, currentUser(), options)).toEqual([
      {
        op: "UpdateUserSecurityProfiles",
        facet: "securityProfiles",
        userId: "u-1",
        value: ["sp-none"],
      },
      { op: "UpdateUserRoutingProfile", facet: "routingProfile", userId: "u-1", value: "rp-off" },
      { op: "UpdateUserHierarchy", facet: "hierarchy", userId: "u-1", value: null },
      { op: "TagResource", userId: "u-1", tags: { "connect-hr-sync:disabled-at": "2026-12-01" } },
    ]);
    expect(planCalls(target, null, options)).toEqual([]);
  });

  it("gives a rehire the rules' user back, then takes the disabled mark off", () => {
    const disabled = currentUser({
      routingProfileId: "rp-off",
      tags: { "connect-hr-sync:disabled-at": "2026-11-01" },
    });

    expect(planCalls(user(desired), disabled, options)).toEqual([
      { op: "UpdateUserRoutingProfile", facet: "routingProfile", userId: "u-1", value: "rp-uk" },
      { op: "UntagResource", userId: "u-1", tagKeys: ["connect-hr-sync:disabled-at"] },
    ]);
  });

  it("compares security profiles as a set", () => {
    const twoProfiles = { ...desired, securityProfileIds: ["sp-a", "sp-b"] };

    expect(
      differingFacets(twoProfiles, currentUser({ securityProfileIds: ["sp-b", "sp-a"] }), options),
    ).toEqual([]);
  });

  it("leaves an e-mail alone when the desired identity has none (SAML)", () => {
    const current = currentUser({
      identity: { ...desired.identity, email: "someone@example.com" },
    });

    expect(differingFacets(desired, current, options)).toEqual([]);
  });

  it("never changes names when the directory owns them", () => {
    const current = currentUser({ identity: { firstName: "Other", lastName: "Name" } });

    expect(planCalls(user(desired), current, { manageIdentity: false })).toEqual([]);
  });

  it("ignores a desk phone number left on a soft phone, and changes it on a desk phone", () => {
    const leftOver = currentUser({ phone: { ...desired.phone, deskPhoneNumber: "+442071234567" } });
    const deskPhone = {
      ...desired,
      phone: { ...desired.phone, type: "DESK_PHONE" as const, deskPhoneNumber: "+15125550100" },
    };

    expect(planCalls(user(desired), leftOver, options)).toEqual([]);
    expect(planCalls(user(deskPhone), currentUser({ phone: deskPhone.phone }), options)).toEqual(
      [],
    );
    expect(planCalls(user(deskPhone), leftOver, options).map((c) => c.op)).toEqual([
      "UpdateUserPhoneConfig",
    ]);
  });
});
