import {
  type ConnectClient,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  SearchUsersCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { updateRequest } from "../../src/connect/user-shapes";
import type { AgentPhone } from "../../src/domain/agent";
import type { ConnectUserSpec } from "../../src/domain/connect-user";
import { CANONICAL_SOURCE } from "../../src/domain/employee-key";
import type { HrEvent } from "../../src/domain/hr";
import { managedTags } from "../../src/domain/managed";
import type { ConnectCall } from "../../src/domain/plan";

/**
 * Plain SDK calls for the baselines written for the benchmark: no gateway,
 * no pacer, no planner unless the baseline says so. Users are tagged as the
 * service tags them, so that the same convergence check reads them.
 */

function phoneConfig(phone: AgentPhone) {
  return {
    PhoneType: phone.type,
    AutoAccept: phone.autoAccept,
    AfterContactWorkTimeLimit: phone.afterContactWorkSeconds,
    DeskPhoneNumber: phone.deskPhoneNumber ?? undefined,
  };
}

function identityInfo(spec: ConnectUserSpec) {
  return {
    FirstName: spec.identity.firstName,
    LastName: spec.identity.lastName,
    Email: spec.identity.email,
  };
}

export async function createUser(
  client: ConnectClient,
  instanceId: string,
  event: HrEvent,
  spec: ConnectUserSpec,
): Promise<string> {
  const answer = await client.send(
    new CreateUserCommand({
      InstanceId: instanceId,
      Username: spec.username,
      IdentityInfo: identityInfo(spec),
      PhoneConfig: phoneConfig(spec.phone),
      RoutingProfileId: spec.routingProfileId,
      SecurityProfileIds: spec.securityProfileIds,
      HierarchyGroupId: spec.hierarchyGroupId ?? undefined,
      Tags: managedTags({ source: CANONICAL_SOURCE, employeeId: event.employeeId }),
    }),
  );
  return answer.UserId ?? "";
}

export async function describeUser(client: ConnectClient, instanceId: string, userId: string) {
  return client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }));
}

export async function deleteUser(client: ConnectClient, instanceId: string, userId: string) {
  await client.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: userId }));
}

export async function findUser(
  client: ConnectClient,
  instanceId: string,
  username: string,
): Promise<string | undefined> {
  const { Users = [] } = await client.send(
    new SearchUsersCommand({
      InstanceId: instanceId,
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: username, ComparisonType: "EXACT" },
      },
    }),
  );
  return Users[0]?.Id;
}

/** All five updates, whatever differs: what a worker without a planner sends. */
export async function updateEverything(
  client: ConnectClient,
  instanceId: string,
  userId: string,
  spec: ConnectUserSpec,
): Promise<void> {
  const base = { InstanceId: instanceId, UserId: userId };
  await client.send(
    new UpdateUserIdentityInfoCommand({ ...base, IdentityInfo: identityInfo(spec) }),
  );
  await client.send(
    new UpdateUserPhoneConfigCommand({ ...base, PhoneConfig: phoneConfig(spec.phone) }),
  );
  await client.send(
    new UpdateUserRoutingProfileCommand({ ...base, RoutingProfileId: spec.routingProfileId }),
  );
  await client.send(
    new UpdateUserSecurityProfilesCommand({ ...base, SecurityProfileIds: spec.securityProfileIds }),
  );
  await client.send(
    new UpdateUserHierarchyCommand({
      ...base,
      HierarchyGroupId: spec.hierarchyGroupId ?? undefined,
    }),
  );
}

/** One planned call; answers the new user's id for a CreateUser. */
export async function runCall(
  client: ConnectClient,
  instanceId: string,
  event: HrEvent,
  call: ConnectCall,
): Promise<string | undefined> {
  switch (call.op) {
    case "CreateUser":
      return createUser(client, instanceId, event, call.user);
    case "DeleteUser":
      await deleteUser(client, instanceId, call.userId);
      return undefined;
    case "TagResource":
    case "UntagResource":
      // The baselines use the delete policy: no leaver is ever disabled.
      return undefined;
    default:
      await updateRequest(instanceId, call).send(client);
      return undefined;
  }
}
