/** CreateUser, DescribeUser, DeleteUser and ListUsers. */
import { ConnectApiError } from "../errors";
import { paginate, sortByKey, userSortKey } from "../pagination";
import { channelConfigsOf, phoneConfigForCreate } from "../phone-config";
import { describedUser, userSummary } from "../present";
import type { UserRecord } from "../state";
import {
  checkDirectoryUserId,
  checkIdentityInfo,
  checkPassword,
  checkPhoneConfigConflicts,
  checkResultingPhoneConfig,
  checkUsername,
} from "../user-rules";
import type { WireIdentityInfo, WirePhoneConfig } from "../wire-types";
import { numberMember, type OperationContext, type OperationOutput, stringMember } from "./context";

export function createUser({ input, state }: OperationContext): OperationOutput {
  const instance = state.requireInstance(input.InstanceId);
  const mode = instance.identityManagementType;
  const username = stringMember(input, "Username") ?? "";
  const identityInfo = { ...(input.IdentityInfo as WireIdentityInfo | undefined) };
  const phone = input.PhoneConfig as WirePhoneConfig | undefined;
  const channels = channelConfigsOf(input);
  checkUsername(username, mode);
  checkPassword(input.Password, mode);
  checkDirectoryUserId(input.DirectoryUserId, mode);
  checkIdentityInfo(identityInfo, mode);
  checkPhoneConfigConflicts(phone, channels);
  const phoneConfig = phoneConfigForCreate(phone, channels);
  checkResultingPhoneConfig(phoneConfig, channels);
  const routingProfile = state.requireRoutingProfile(input.RoutingProfileId);
  const securityProfiles = state.requireSecurityProfiles(input.SecurityProfileIds as string[]);
  const hierarchyGroupId = stringMember(input, "HierarchyGroupId");
  if (hierarchyGroupId !== undefined) state.requireHierarchyGroup(hierarchyGroupId);
  if (state.userByUsername(username)) {
    throw new ConnectApiError(
      "DuplicateResourceException",
      "A user with this Username already exists.",
    );
  }
  if (state.users.size >= instance.userLimit) {
    throw new ConnectApiError(
      "LimitExceededException",
      `The instance already has ${state.users.size} users, its limit.`,
    );
  }
  const id = state.nextCreatedUserId();
  const user: UserRecord = {
    id,
    arn: state.arnOf("agent", id),
    username,
    identityInfo,
    phoneConfig,
    channelConfigs: channels,
    directoryUserId: stringMember(input, "DirectoryUserId"),
    routingProfileId: routingProfile.id,
    securityProfileIds: unique(securityProfiles.map((profile) => profile.id)),
    hierarchyGroupId,
    tags: { ...(input.Tags as Record<string, string> | undefined) },
    lastModifiedTime: state.clock(),
  };
  state.putUser(user);
  return { UserId: user.id, UserArn: user.arn };
}

export function describeUser({ input, state }: OperationContext): OperationOutput {
  state.requireInstance(input.InstanceId);
  return { User: describedUser(state.requireUser(input.UserId), state) };
}

export function deleteUser({ input, state }: OperationContext): OperationOutput {
  state.requireInstance(input.InstanceId);
  const user = state.requireUser(input.UserId);
  state.removeUser(user.id);
  return undefined;
}

export function listUsers({ input, state, pageTokens }: OperationContext): OperationOutput {
  const instance = state.requireInstance(input.InstanceId);
  const page = paginate(
    sortByKey(state.users.values(), userSortKey),
    userSortKey,
    {
      operation: "ListUsers",
      query: instance.instanceId,
      maxResults: numberMember(input, "MaxResults"),
      nextToken: stringMember(input, "NextToken"),
    },
    pageTokens,
  );
  return {
    UserSummaryList: page.items.map((user) => userSummary(user, state)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
