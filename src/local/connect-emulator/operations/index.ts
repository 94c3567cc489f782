/** Every emulated operation, by its model name. */
import type { ConnectOperationName } from "../../../connect/model/index";
import type { OperationHandler } from "./context";
import {
  describeUserHierarchyGroup,
  describeUserHierarchyStructure,
  listRoutingProfiles,
  listSecurityProfiles,
  listUserHierarchyGroups,
} from "./directory";
import { getFederationToken } from "./federation";
import {
  createQuickConnect,
  deleteQuickConnect,
  describeQuickConnect,
  listQuickConnects,
} from "./quick-connects";
import { searchUsers } from "./search-users";
import { tagResource, untagResource } from "./tags";
import {
  updateUserHierarchy,
  updateUserIdentityInfo,
  updateUserPhoneConfig,
  updateUserRoutingProfile,
  updateUserSecurityProfiles,
} from "./user-updates";
import { createUser, deleteUser, describeUser, listUsers } from "./users";

export const OPERATION_HANDLERS: Readonly<Record<ConnectOperationName, OperationHandler>> = {
  CreateUser: createUser,
  DescribeUser: describeUser,
  DeleteUser: deleteUser,
  ListUsers: listUsers,
  UpdateUserRoutingProfile: updateUserRoutingProfile,
  UpdateUserHierarchy: updateUserHierarchy,
  UpdateUserIdentityInfo: updateUserIdentityInfo,
  UpdateUserPhoneConfig: updateUserPhoneConfig,
  UpdateUserSecurityProfiles: updateUserSecurityProfiles,
  ListRoutingProfiles: listRoutingProfiles,
  ListSecurityProfiles: listSecurityProfiles,
  ListUserHierarchyGroups: listUserHierarchyGroups,
  DescribeUserHierarchyGroup: describeUserHierarchyGroup,
  DescribeUserHierarchyStructure: describeUserHierarchyStructure,
  GetFederationToken: getFederationToken,
  SearchUsers: searchUsers,
  CreateQuickConnect: createQuickConnect,
  ListQuickConnects: listQuickConnects,
  DescribeQuickConnect: describeQuickConnect,
  DeleteQuickConnect: deleteQuickConnect,
  TagResource: tagResource,
  UntagResource: untagResource,
};

export type { OperationContext, OperationHandler, OperationOutput } from "./context";
export { accessKeyIdOf } from "./federation";
