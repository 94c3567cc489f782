/**
 * The records the emulated instance keeps: the instance itself, its named
 * resources (profiles, hierarchy levels and groups), users and quick
 * connects. Wire-shaped members (identity, phone, quick connect config) are
 * stored as the API sends them.
 */
import type { IdentityMode } from "../../domain/connect-limits";
import type { InstanceCoordinates } from "./ids";
import type {
  WireChannelConfigs,
  WireIdentityInfo,
  WirePhoneConfig,
  WireQuickConnectConfig,
} from "./wire-types";

export interface InstanceRecord extends InstanceCoordinates {
  readonly arn: string;
  readonly alias: string;
  readonly identityManagementType: IdentityMode;
  readonly userLimit: number;
  readonly quickConnectLimit: number;
}

export interface NamedRecord {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  /** Epoch milliseconds. */
  lastModifiedTime: number;
}

export interface HierarchyGroupRecord extends NamedRecord {
  /** 0 for LevelOne. */
  readonly levelIndex: number;
  readonly parentId: string | undefined;
  /** "EMEA/London/Support". */
  readonly path: string;
}

export interface UserRecord {
  readonly id: string;
  readonly arn: string;
  readonly username: string;
  identityInfo: WireIdentityInfo;
  phoneConfig: WirePhoneConfig;
  channelConfigs: WireChannelConfigs;
  directoryUserId: string | undefined;
  routingProfileId: string;
  securityProfileIds: string[];
  hierarchyGroupId: string | undefined;
  tags: Record<string, string>;
  /** Epoch milliseconds. */
  lastModifiedTime: number;
}

export interface QuickConnectRecord {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly description: string | undefined;
  /** A USER quick connect keeps its UserId after the user is deleted, as in Connect. */
  readonly config: WireQuickConnectConfig;
  tags: Record<string, string>;
  /** Epoch milliseconds. */
  lastModifiedTime: number;
}

/** What TagResource and UntagResource can change. */
export type TaggableRecord = UserRecord | QuickConnectRecord;
