import {
  type ConnectClient,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
  type UserIdentityInfo,
  type UserPhoneConfig,
  type UserSearchSummary,
} from "@aws-sdk/client-connect";
import type { SearchedUser } from "../app/ports/connect";
import type { AgentIdentity, AgentPhone } from "../domain/agent";
import type { ConnectUser } from "../domain/connect-user";
import type { UpdateCall } from "../domain/facets";

/** How the service's users look on Connect's wire, both ways. */

export interface NamedResource {
  id: string;
  name: string;
}

export function named(items: { Id?: string; Name?: string }[]): NamedResource[] {
  return items.flatMap((item) => (item.Id && item.Name ? [{ id: item.Id, name: item.Name }] : []));
}

export function toIdentityInfo(identity: AgentIdentity): UserIdentityInfo {
  return { FirstName: identity.firstName, LastName: identity.lastName, Email: identity.email };
}

export function toPhoneConfig(phone: AgentPhone): UserPhoneConfig {
  return {
    PhoneType: phone.type,
    AutoAccept: phone.autoAccept,
    AfterContactWorkTimeLimit: phone.afterContactWorkSeconds,
    DeskPhoneNumber: phone.deskPhoneNumber ?? undefined,
  };
}

/** The members of one Update call's request, and how to send it. */
export function updateRequest(
  instanceId: string,
  call: UpdateCall,
): { input: object; send: (client: ConnectClient) => Promise<unknown> } {
  const user = { InstanceId: instanceId, UserId: call.userId };
  switch (call.facet) {
    case "identity": {
      const input = { ...user, IdentityInfo: toIdentityInfo(call.value) };
      return { input, send: (c) => c.send(new UpdateUserIdentityInfoCommand(input)) };
    }
    case "phone": {
      const input = { ...user, PhoneConfig: toPhoneConfig(call.value) };
      return { input, send: (c) => c.send(new UpdateUserPhoneConfigCommand(input)) };
    }
    case "routingProfile": {
      const input = { ...user, RoutingProfileId: call.value };
      return { input, send: (c) => c.send(new UpdateUserRoutingProfileCommand(input)) };
    }
    case "securityProfiles": {
      const input = { ...user, SecurityProfileIds: call.value };
      return { input, send: (c) => c.send(new UpdateUserSecurityProfilesCommand(input)) };
    }
    case "hierarchy": {
      const input = { ...user, HierarchyGroupId: call.value ?? undefined };
      return { input, send: (c) => c.send(new UpdateUserHierarchyCommand(input)) };
    }
  }
}

function fromPhoneConfig(phone: UserPhoneConfig | undefined, acwPerSecond: number): AgentPhone {
  return {
    type: phone?.PhoneType ?? "SOFT_PHONE",
    autoAccept: phone?.AutoAccept ?? false,
    afterContactWorkSeconds: Math.round((phone?.AfterContactWorkTimeLimit ?? 0) / acwPerSecond),
    deskPhoneNumber: phone?.DeskPhoneNumber || null,
  };
}

export function fromDescribedUser(user: User): ConnectUser {
  const identity: AgentIdentity = {
    firstName: user.IdentityInfo?.FirstName ?? "",
    lastName: user.IdentityInfo?.LastName ?? "",
  };
  if (user.IdentityInfo?.Email) identity.email = user.IdentityInfo.Email;
  return {
    userId: user.Id ?? "",
    ...(user.Arn ? { arn: user.Arn } : {}),
    username: user.Username ?? "",
    identity,
    routingProfileId: user.RoutingProfileId ?? "",
    securityProfileIds: [...new Set(user.SecurityProfileIds ?? [])].sort(),
    hierarchyGroupId: user.HierarchyGroupId ?? null,
    // DescribeUser answers after-contact work in seconds.
    phone: fromPhoneConfig(user.PhoneConfig, 1),
    tags: user.Tags ?? {},
  };
}

export function fromSearchedUser(user: UserSearchSummary): SearchedUser {
  return {
    userId: user.Id ?? "",
    ...(user.Arn ? { arn: user.Arn } : {}),
    username: user.Username ?? "",
    identity: {
      firstName: user.IdentityInfo?.FirstName ?? "",
      lastName: user.IdentityInfo?.LastName ?? "",
    },
    identityHasEmail: false,
    routingProfileId: user.RoutingProfileId ?? "",
    securityProfileIds: [...new Set(user.SecurityProfileIds ?? [])].sort(),
    hierarchyGroupId: user.HierarchyGroupId ?? null,
    // SearchUsers answers after-contact work in milliseconds (the model's documentation says so).
    phone: fromPhoneConfig(user.PhoneConfig, 1000),
    tags: user.Tags ?? {},
  };
}
