import {
  DeleteUserCommand,
  UpdateUserHierarchyCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
} from "@aws-sdk/client-connect";
import { EMPLOYEE_TAG } from "../../domain/managed";
import type { FaultOptions } from "../connect-emulator/index";
import type { EmployeeHistory } from "./history";
import type { Random } from "./random";
import type { ChaosStack } from "./stack";

/**
 * Someone edits or deletes a few managed agents in the Connect console: the
 * reconciliation must find and repair them. Faults are paused meanwhile so
 * that these edits land as planned; their request ids are kept so that the
 * audit check leaves them out (they are not the service's changes).
 */
export async function injectDrift(
  random: Random,
  stack: ChaosStack,
  histories: readonly EmployeeHistory[],
  rate: number,
  faults: FaultOptions,
): Promise<{ changed: number; deleted: string[]; requestIds: Set<string> }> {
  const state = stack.emulator.dumpState();
  // Not those whose newest record is invalid: the service leaves their agent as it is and
  // reports them; it cannot know what to repair an agent to.
  const employees = new Set(
    histories.filter((h) => h.deadLetters.length === 0).map((h) => h.employeeId),
  );
  const managed = state.users.filter((u) => {
    const tags = u.Tags as Record<string, string> | undefined;
    return tags?.[EMPLOYEE_TAG] !== undefined && employees.has(tags[EMPLOYEE_TAG] ?? "");
  });
  const chosen = random.shuffle(managed).slice(0, Math.round(managed.length * rate));
  const instance = stack.emulator.instanceId;
  const profile = (name: string) => state.routingProfiles.find((p) => p.name === name)?.id;
  const group = (path: string) => state.hierarchyGroups.find((g) => g.path === path)?.id;
  const requestIds = new Set<string>();
  const deleted: string[] = [];
  stack.emulator.setFaults(false);
  try {
    for (const user of chosen) {
      const userId = String(user.Id);
      const action = random.pick(["routing", "hierarchy", "phone", "delete"] as const);
      const command =
        action === "routing"
          ? new UpdateUserRoutingProfileCommand({
              InstanceId: instance,
              UserId: userId,
              RoutingProfileId:
                user.RoutingProfileId === profile("US Support")
                  ? profile("UK Sales")
                  : profile("US Support"),
            })
          : action === "hierarchy"
            ? new UpdateUserHierarchyCommand({
                InstanceId: instance,
                UserId: userId,
                HierarchyGroupId: group("EMEA"),
              })
            : action === "phone"
              ? new UpdateUserPhoneConfigCommand({
                  InstanceId: instance,
                  UserId: userId,
                  PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 999 },
                })
              : new DeleteUserCommand({ InstanceId: instance, UserId: userId });
      const answer = await stack.connect.send(command as never);
      const requestId = (answer as { $metadata: { requestId?: string } }).$metadata.requestId;
      if (requestId) requestIds.add(requestId);
      if (action === "delete") deleted.push(userId);
    }
  } finally {
    stack.emulator.setFaults({ ...faults, seed: (faults.seed ?? 1) + 1 });
  }
  return { changed: chosen.length, deleted, requestIds };
}
