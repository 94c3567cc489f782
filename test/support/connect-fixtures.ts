import type { ConnectUser, ConnectUserSpec } from "../../src/domain/connect-user";

/** Grace Hopper's Connect user as the planner describes it, in ids, with overrides. */
export function connectUserSpec(overrides: Partial<ConnectUserSpec> = {}): ConnectUserSpec {
  return {
    username: "grace.hopper@example.com",
    identity: { firstName: "Grace", lastName: "Hopper" },
    routingProfileId: "rp-uk",
    securityProfileIds: ["sp-agent"],
    hierarchyGroupId: "hg-support",
    phone: {
      type: "SOFT_PHONE",
      autoAccept: false,
      afterContactWorkSeconds: 30,
      deskPhoneNumber: null,
    },
    ...overrides,
  };
}

/** The same as a user Connect holds, with no tags unless given. */
export function connectUser(userId: string, overrides: Partial<ConnectUser> = {}): ConnectUser {
  return { ...connectUserSpec(), userId, tags: {}, ...overrides };
}
