/** The UpdateUser* operations: one facet of a user each; every change moves LastModifiedTime. */
import { applyPhoneConfigUpdate } from "../phone-config";
import type { UserRecord } from "../state";
import {
  checkDirectoryManagedIdentity,
  checkIdentityInfo,
  checkResultingPhoneConfig,
} from "../user-rules";
import type { WireIdentityInfo, WirePhoneConfig } from "../wire-types";
import { type OperationContext, type OperationOutput, stringMember } from "./context";
import { unique } from "./users";

function targetUser({ input, state }: OperationContext): UserRecord {
  state.requireInstance(input.InstanceId);
  return state.requireUser(input.UserId);
}

export function updateUserRoutingProfile(context: OperationContext): OperationOutput {
  const user = targetUser(context);
  const profile = context.state.requireRoutingProfile(context.input.RoutingProfileId);
  user.routingProfileId = profile.id;
  context.state.touch(user);
  return undefined;
}

/** Without HierarchyGroupId the user leaves its group. */
export function updateUserHierarchy(context: OperationContext): OperationOutput {
  const user = targetUser(context);
  const groupId = stringMember(context.input, "HierarchyGroupId");
  user.hierarchyGroupId =
    groupId === undefined ? undefined : context.state.requireHierarchyGroup(groupId).id;
  context.state.touch(user);
  return undefined;
}

export function updateUserSecurityProfiles(context: OperationContext): OperationOutput {
  const user = targetUser(context);
  const ids = context.input.SecurityProfileIds as string[];
  const profiles = context.state.requireSecurityProfiles(ids);
  user.securityProfileIds = unique(profiles.map((profile) => profile.id));
  context.state.touch(user);
  return undefined;
}

/** The identity given replaces the stored one as a whole (members left out are cleared). */
export function updateUserIdentityInfo(context: OperationContext): OperationOutput {
  const user = targetUser(context);
  const mode = context.state.instance.identityManagementType;
  const next = { ...(context.input.IdentityInfo as WireIdentityInfo) };
  checkDirectoryManagedIdentity(user.identityInfo, next, mode);
  checkIdentityInfo(mode === "EXISTING_DIRECTORY" ? { ...user.identityInfo, ...next } : next, mode);
  user.identityInfo = mode === "EXISTING_DIRECTORY" ? { ...user.identityInfo, ...next } : next;
  context.state.touch(user);
  return undefined;
}

export function updateUserPhoneConfig(context: OperationContext): OperationOutput {
  const user = targetUser(context);
  const update = context.input.PhoneConfig as WirePhoneConfig;
  const { phone, channels } = applyPhoneConfigUpdate(user.phoneConfig, user.channelConfigs, update);
  checkResultingPhoneConfig(phone, channels);
  user.phoneConfig = phone;
  user.channelConfigs = channels;
  context.state.touch(user);
  return undefined;
}
