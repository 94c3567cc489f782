/**
 * Keeps a user's legacy PhoneConfig and the per-channel configuration lists
 * consistent: the VOICE entries of the lists are what PhoneConfig shows, and
 * UpdateUserPhoneConfig "will always set the same ACW timeouts to all
 * channels the user handles" (its documentation).
 */
import type { OperationInput, WireChannelConfigs, WirePhoneConfig } from "./wire-types";
import { CHANNEL_CONFIG_MEMBERS } from "./wire-types";

/** What Connect shows for a user created without any phone settings. */
export function defaultPhoneConfig(): WirePhoneConfig {
  return { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 0 };
}

export function channelConfigsOf(input: OperationInput): WireChannelConfigs {
  const configs: Record<string, unknown> = {};
  for (const member of CHANNEL_CONFIG_MEMBERS) {
    if (input[member] !== undefined) configs[member] = structuredClone(input[member]);
  }
  return configs as WireChannelConfigs;
}

/** PhoneConfig after a create: defaults, then PhoneConfig, then the VOICE channel entries. */
export function phoneConfigForCreate(
  phone: WirePhoneConfig | undefined,
  channels: WireChannelConfigs,
): WirePhoneConfig {
  const result = { ...defaultPhoneConfig(), ...definedMembers(phone) };
  const voice = <T extends { Channel: string }>(list: T[] | undefined) =>
    list?.find((entry) => entry.Channel === "VOICE");
  const autoAccept = voice(channels.AutoAcceptConfigs);
  if (autoAccept) result.AutoAccept = autoAccept.AutoAccept;
  const afterContactWork = voice(channels.AfterContactWorkConfigs);
  const limit = afterContactWork?.AfterContactWorkConfig.AfterContactWorkTimeLimit;
  if (limit !== undefined) result.AfterContactWorkTimeLimit = limit;
  const phoneNumber = voice(channels.PhoneNumberConfigs);
  if (phoneNumber) {
    result.PhoneType = phoneNumber.PhoneType;
    if (phoneNumber.PhoneNumber !== undefined) result.DeskPhoneNumber = phoneNumber.PhoneNumber;
  }
  const persistent = voice(channels.PersistentConnectionConfigs);
  if (persistent) result.PersistentConnection = persistent.PersistentConnection;
  return result;
}

/** UpdateUserPhoneConfig: members given replace those stored; the others stay. */
export function applyPhoneConfigUpdate(
  current: WirePhoneConfig,
  channels: WireChannelConfigs,
  update: WirePhoneConfig,
): { phone: WirePhoneConfig; channels: WireChannelConfigs } {
  const phone = { ...current, ...definedMembers(update) };
  const next = structuredClone(channels);
  if (update.AfterContactWorkTimeLimit !== undefined) {
    for (const entry of next.AfterContactWorkConfigs ?? []) {
      entry.AfterContactWorkConfig.AfterContactWorkTimeLimit = update.AfterContactWorkTimeLimit;
    }
  }
  for (const entry of next.AutoAcceptConfigs ?? []) {
    if (entry.Channel === "VOICE" && update.AutoAccept !== undefined) {
      entry.AutoAccept = update.AutoAccept;
    }
  }
  for (const entry of next.PhoneNumberConfigs ?? []) {
    if (entry.Channel !== "VOICE") continue;
    if (update.PhoneType !== undefined) entry.PhoneType = update.PhoneType;
    if (update.DeskPhoneNumber !== undefined) entry.PhoneNumber = update.DeskPhoneNumber;
  }
  for (const entry of next.PersistentConnectionConfigs ?? []) {
    if (entry.Channel === "VOICE" && update.PersistentConnection !== undefined) {
      entry.PersistentConnection = update.PersistentConnection;
    }
  }
  return { phone, channels: next };
}

function definedMembers(phone: WirePhoneConfig | undefined): WirePhoneConfig {
  return Object.fromEntries(
    Object.entries(phone ?? {}).filter(([, value]) => value !== undefined && value !== null),
  ) as WirePhoneConfig;
}
