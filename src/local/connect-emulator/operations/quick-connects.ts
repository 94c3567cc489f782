/**
 * CreateQuickConnect, ListQuickConnects, DescribeQuickConnect and
 * DeleteQuickConnect. Queues and flows are not emulated, so their ids are
 * taken as given; a USER quick connect needs a user that exists when it is
 * created, and keeps pointing at it after DeleteUser, as in Connect.
 */
import { ConnectApiError, invalidParameter } from "../errors";
import { nameSortKey, paginate, sortByKey } from "../pagination";
import { describedQuickConnect, quickConnectSummary } from "../present";
import type { EmulatorState, QuickConnectRecord } from "../state";
import type { WireQuickConnectConfig } from "../wire-types";
import { numberMember, type OperationContext, type OperationOutput, stringMember } from "./context";

type QuickConnectType = WireQuickConnectConfig["QuickConnectType"];

/** QuickConnectConfig: "UserConfig … is required only if QuickConnectType is USER", and so on. */
const CONFIG_MEMBER = {
  USER: "UserConfig",
  QUEUE: "QueueConfig",
  PHONE_NUMBER: "PhoneConfig",
  FLOW: "FlowConfig",
} as const satisfies Record<QuickConnectType, keyof WireQuickConnectConfig>;

export function createQuickConnect({ input, state }: OperationContext): OperationOutput {
  const instance = state.requireInstance(input.InstanceId);
  const name = stringMember(input, "Name") ?? "";
  const config = checkedConfig(input.QuickConnectConfig as WireQuickConnectConfig, state);
  if (state.quickConnectByName(name)) {
    throw new ConnectApiError(
      "DuplicateResourceException",
      "A quick connect with this Name already exists.",
    );
  }
  if (state.quickConnects.size >= instance.quickConnectLimit) {
    throw new ConnectApiError(
      "LimitExceededException",
      `The instance already has ${state.quickConnects.size} quick connects, its limit.`,
    );
  }
  const id = state.nextCreatedQuickConnectId();
  const quickConnect: QuickConnectRecord = {
    id,
    arn: state.arnOf("transfer-destination", id),
    name,
    description: stringMember(input, "Description"),
    config,
    tags: { ...(input.Tags as Record<string, string> | undefined) },
    lastModifiedTime: state.clock(),
  };
  state.putQuickConnect(quickConnect);
  return { QuickConnectARN: quickConnect.arn, QuickConnectId: quickConnect.id };
}

/** Ordered by name (ignoring case), then id; QuickConnectTypes keeps only those types. */
export function listQuickConnects({ input, state, pageTokens }: OperationContext): OperationOutput {
  const instance = state.requireInstance(input.InstanceId);
  const types = input.QuickConnectTypes as QuickConnectType[] | undefined;
  const wanted = types ? new Set(types) : undefined;
  const matches = sortByKey(state.quickConnects.values(), nameSortKey).filter(
    (quickConnect) => !wanted || wanted.has(quickConnect.config.QuickConnectType),
  );
  const page = paginate(
    matches,
    nameSortKey,
    {
      operation: "ListQuickConnects",
      // A token only continues the listing of the same types.
      query: `${instance.instanceId}|${[...(wanted ?? [])].sort().join(",")}`,
      maxResults: numberMember(input, "MaxResults"),
      nextToken: stringMember(input, "NextToken"),
    },
    pageTokens,
  );
  return {
    QuickConnectSummaryList: page.items.map((item) => quickConnectSummary(item, state)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export function describeQuickConnect({ input, state }: OperationContext): OperationOutput {
  state.requireInstance(input.InstanceId);
  const quickConnect = state.requireQuickConnect(input.QuickConnectId);
  return { QuickConnect: describedQuickConnect(quickConnect, state) };
}

export function deleteQuickConnect({ input, state }: OperationContext): OperationOutput {
  state.requireInstance(input.InstanceId);
  const quickConnect = state.requireQuickConnect(input.QuickConnectId);
  state.removeQuickConnect(quickConnect.id);
  return undefined;
}

/** The configuration of its type, and only that one; a USER one must name an existing user. */
function checkedConfig(
  given: WireQuickConnectConfig,
  state: EmulatorState,
): WireQuickConnectConfig {
  const type = given.QuickConnectType;
  const member = CONFIG_MEMBER[type];
  if (given[member] === undefined) {
    throw invalidParameter(
      `QuickConnectConfig.${member} is required when QuickConnectType is ${type}.`,
    );
  }
  for (const other of Object.values(CONFIG_MEMBER)) {
    if (other !== member && given[other] !== undefined) {
      throw invalidParameter(
        `QuickConnectConfig.${other} must not be given when QuickConnectType is ${type}.`,
      );
    }
  }
  switch (type) {
    case "USER": {
      const { UserId, ContactFlowId } = given.UserConfig ?? { UserId: "", ContactFlowId: "" };
      state.requireUser(UserId);
      return { QuickConnectType: type, UserConfig: { UserId, ContactFlowId } };
    }
    case "QUEUE": {
      const { QueueId, ContactFlowId } = given.QueueConfig ?? { QueueId: "", ContactFlowId: "" };
      return { QuickConnectType: type, QueueConfig: { QueueId, ContactFlowId } };
    }
    case "PHONE_NUMBER":
      return {
        QuickConnectType: type,
        PhoneConfig: { PhoneNumber: given.PhoneConfig?.PhoneNumber ?? "" },
      };
    case "FLOW":
      return {
        QuickConnectType: type,
        FlowConfig: { ContactFlowId: given.FlowConfig?.ContactFlowId ?? "" },
      };
  }
}
