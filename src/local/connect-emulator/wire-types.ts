/**
 * The JSON shapes the emulator stores and answers, named and cased as on the
 * wire (members of the model's UserIdentityInfo, UserPhoneConfig and the
 * per-channel configuration lists). Input has been model-validated before it
 * is read as one of these.
 */

export interface WireIdentityInfo {
  FirstName?: string;
  LastName?: string;
  Email?: string;
  SecondaryEmail?: string;
  Mobile?: string;
}

export interface WirePhoneConfig {
  PhoneType?: string;
  AutoAccept?: boolean;
  AfterContactWorkTimeLimit?: number;
  DeskPhoneNumber?: string;
  PersistentConnection?: boolean;
}

export interface WireAfterContactWorkConfig {
  AfterContactWorkTimeLimit?: number;
}

export interface WireChannelConfigs {
  AutoAcceptConfigs?: {
    Channel: string;
    AutoAccept: boolean;
    AgentFirstCallbackAutoAccept?: boolean;
  }[];
  AfterContactWorkConfigs?: {
    Channel: string;
    AfterContactWorkConfig: WireAfterContactWorkConfig;
    AgentFirstCallbackAfterContactWorkConfig?: WireAfterContactWorkConfig;
  }[];
  PhoneNumberConfigs?: { Channel: string; PhoneType: string; PhoneNumber?: string }[];
  PersistentConnectionConfigs?: { Channel: string; PersistentConnection: boolean }[];
  VoiceEnhancementConfigs?: { Channel: string; VoiceEnhancementMode: string }[];
}

export const CHANNEL_CONFIG_MEMBERS = [
  "AutoAcceptConfigs",
  "AfterContactWorkConfigs",
  "PhoneNumberConfigs",
  "PersistentConnectionConfigs",
  "VoiceEnhancementConfigs",
] as const satisfies readonly (keyof WireChannelConfigs)[];

/** Operation input after model validation: members by model name. */
export type OperationInput = Readonly<Record<string, unknown>>;

/** QuickConnectConfig: its type and the one configuration that type needs. */
export interface WireQuickConnectConfig {
  QuickConnectType: "USER" | "QUEUE" | "PHONE_NUMBER" | "FLOW";
  UserConfig?: { UserId: string; ContactFlowId: string };
  QueueConfig?: { QueueId: string; ContactFlowId: string };
  PhoneConfig?: { PhoneNumber: string };
  FlowConfig?: { ContactFlowId: string };
}
