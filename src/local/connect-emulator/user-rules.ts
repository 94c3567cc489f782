/**
 * Rules on users that the model states in its documentation text rather than
 * as constraints, each quoted where it is checked. Constraint violations of
 * the model itself are found earlier by validateConnectInput.
 * Mode-dependent rules answer InvalidRequestException; malformed values
 * answer InvalidParameterException.
 */
import { type IdentityMode, usernameProblem } from "../../domain/connect-limits";
import { invalidParameter, invalidRequest } from "./errors";
import type { WireChannelConfigs, WireIdentityInfo, WirePhoneConfig } from "./wire-types";

/** UserPhoneConfig.AfterContactWorkTimeLimit: "a maximum value of 2,000,000 seconds (24 days)". */
const MAX_AFTER_CONTACT_WORK_SECONDS = 2_000_000;
/**
 * UserIdentityInfo: "If you are using Connect Customer for identity management, the
 * length constraints are 1-255 for FirstName, and 1-256 for LastName."
 */
const CONNECT_MANAGED_NAME_LIMITS = { FirstName: 255, LastName: 256 } as const;

export function checkUsername(username: string, mode: IdentityMode): void {
  const problem = usernameProblem(username, mode);
  if (problem) throw invalidParameter(`Username ${problem}.`);
}

/**
 * CreateUser.Password: "A password is required if you are using Connect Customer
 * for identity management. Otherwise, it is an error to include a password."
 * (Its pattern is a model constraint, checked before.)
 */
export function checkPassword(password: unknown, mode: IdentityMode): void {
  if (mode === "CONNECT_MANAGED" && password === undefined) {
    throw invalidRequest(
      "A Password is required on instances using CONNECT_MANAGED identity management.",
    );
  }
  if (mode !== "CONNECT_MANAGED" && password !== undefined) {
    throw invalidRequest(
      `A Password must not be given on instances using ${mode} identity management.`,
    );
  }
}

/** CreateUser.DirectoryUserId: "If you are using SAML … and include this parameter, an error is returned." */
export function checkDirectoryUserId(directoryUserId: unknown, mode: IdentityMode): void {
  if (mode === "SAML" && directoryUserId !== undefined) {
    throw invalidRequest(
      "DirectoryUserId must not be given on instances using SAML identity management.",
    );
  }
}

/**
 * UserIdentityInfo: FirstName and LastName "are required if you are using Connect
 * Customer or SAML"; Email: "If you are using SAML … and include this parameter,
 * an error is returned"; names "must be in Unicode Normalization Form C".
 */
export function checkIdentityInfo(info: WireIdentityInfo | undefined, mode: IdentityMode): void {
  if (mode === "SAML" && info?.Email !== undefined) {
    throw invalidRequest(
      "IdentityInfo.Email must not be given on instances using SAML identity management.",
    );
  }
  for (const member of ["FirstName", "LastName"] as const) {
    const value = info?.[member];
    if (mode !== "EXISTING_DIRECTORY" && !value) {
      throw invalidRequest(
        `IdentityInfo.${member} is required on instances using ${mode} identity management.`,
      );
    }
    if (value !== undefined && value !== value.normalize("NFC")) {
      throw invalidParameter(
        `IdentityInfo.${member} must be in Unicode Normalization Form C (NFC).`,
      );
    }
    if (
      mode === "CONNECT_MANAGED" &&
      value &&
      [...value].length > CONNECT_MANAGED_NAME_LIMITS[member]
    ) {
      throw invalidParameter(
        `IdentityInfo.${member} must have length less than or equal to ${CONNECT_MANAGED_NAME_LIMITS[member]} on CONNECT_MANAGED instances.`,
      );
    }
  }
}

/**
 * UserIdentityInfo: "For … EXISTING_DIRECTORY … FirstName, LastName, and Email
 * cannot be updated from within Connect Customer because they are managed by the directory."
 */
export function checkDirectoryManagedIdentity(
  current: WireIdentityInfo,
  next: WireIdentityInfo,
  mode: IdentityMode,
): void {
  if (mode !== "EXISTING_DIRECTORY") return;
  for (const member of ["FirstName", "LastName", "Email"] as const) {
    if (next[member] !== undefined && next[member] !== current[member]) {
      throw invalidRequest(
        `IdentityInfo.${member} is managed by the directory on EXISTING_DIRECTORY instances.`,
      );
    }
  }
}

/**
 * CreateUser: "Fields in PhoneConfig cannot be set simultaneously with their
 * corresponding channel-specific configuration parameters."
 */
const PHONE_CONFIG_CONFLICTS: readonly [keyof WirePhoneConfig, keyof WireChannelConfigs][] = [
  ["AutoAccept", "AutoAcceptConfigs"],
  ["AfterContactWorkTimeLimit", "AfterContactWorkConfigs"],
  ["PhoneType", "PhoneNumberConfigs"],
  ["DeskPhoneNumber", "PhoneNumberConfigs"],
  ["PersistentConnection", "PersistentConnectionConfigs"],
];

export function checkPhoneConfigConflicts(
  phone: WirePhoneConfig | undefined,
  channels: WireChannelConfigs,
): void {
  if (!phone) return;
  for (const [field, channelMember] of PHONE_CONFIG_CONFLICTS) {
    if (phone[field] !== undefined && channels[channelMember] !== undefined) {
      throw invalidRequest(`PhoneConfig.${field} cannot be set together with ${channelMember}.`);
    }
  }
}

/** A desk phone needs its number; the ACW limit has a documented maximum. */
export function checkResultingPhoneConfig(
  phone: WirePhoneConfig,
  channels: WireChannelConfigs,
): void {
  if (phone.PhoneType === "DESK_PHONE" && !phone.DeskPhoneNumber) {
    throw invalidRequest("PhoneConfig.DeskPhoneNumber is required when PhoneType is DESK_PHONE.");
  }
  channels.PhoneNumberConfigs?.forEach((config, index) => {
    if (config.PhoneType === "DESK_PHONE" && !config.PhoneNumber) {
      throw invalidRequest(
        `PhoneNumberConfigs[${index}].PhoneNumber is required when PhoneType is DESK_PHONE.`,
      );
    }
  });
  const limits = [
    phone.AfterContactWorkTimeLimit,
    ...(channels.AfterContactWorkConfigs ?? []).flatMap((config) => [
      config.AfterContactWorkConfig.AfterContactWorkTimeLimit,
      config.AgentFirstCallbackAfterContactWorkConfig?.AfterContactWorkTimeLimit,
    ]),
  ];
  if (limits.some((limit) => limit !== undefined && limit > MAX_AFTER_CONTACT_WORK_SECONDS)) {
    throw invalidParameter(
      `AfterContactWorkTimeLimit must be less than or equal to ${MAX_AFTER_CONTACT_WORK_SECONDS} seconds.`,
    );
  }
}
