/**
 * The fields of the emulator's seed: the instance, its routing profiles,
 * security profiles, hierarchy, pre-existing users and quick connects, in
 * names rather than ids so that an operator can write one by hand.
 */
import * as z from "zod";
import { connectShape, shapeEnum } from "../../connect/model/index";
import { IDENTITY_MODES } from "../../domain/connect-limits";
import { quotaOverridesSchema } from "./quota-settings";

/** Connect's default "users per instance" quota. */
export const DEFAULT_USER_LIMIT = 500;
/** Connect's default "quick connects per instance" quota (Service Quotas L-68BBE2E8). */
export const DEFAULT_QUICK_CONNECT_LIMIT = 100;

const phoneTypes = shapeEnum("PhoneType") as [string, ...string[]];
/** HierarchyPath has one member per level (LevelOne … LevelFive). */
const maxHierarchyLevels = connectShape("HierarchyPath").members?.length ?? 0;

const namedResourceSchema = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), id: z.string().min(1).optional() }),
]);

const hierarchyGroupSchema = z.union([
  z.string().min(1),
  z.strictObject({ path: z.string().min(1), id: z.string().min(1).optional() }),
]);

const seedPhoneSchema = z.strictObject({
  type: z.enum(phoneTypes).default("SOFT_PHONE"),
  autoAccept: z.boolean().default(false),
  afterContactWorkTimeLimit: z.int().min(0).default(0),
  deskPhoneNumber: z.string().optional(),
});

const seedUserSchema = z.strictObject({
  id: z.string().min(1).optional(),
  username: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  mobile: z.string().optional(),
  directoryUserId: z.string().optional(),
  routingProfile: z.string().min(1),
  securityProfiles: z.array(z.string().min(1)).min(1),
  hierarchyGroup: z.string().min(1).optional(),
  phone: seedPhoneSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

const quickConnectBase = {
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  description: z.string().min(1).optional(),
  tags: z.record(z.string(), z.string()).optional(),
};

/**
 * A USER quick connect names its user by id, which may be one no user has (a
 * dangling one). USER and QUEUE default their flow to Connect's default
 * transfer flows; queues and flows themselves are not emulated.
 */
const seedQuickConnectSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...quickConnectBase,
    type: z.literal("USER"),
    userId: z.string().min(1),
    contactFlowId: z.string().min(1).optional(),
  }),
  z.strictObject({
    ...quickConnectBase,
    type: z.literal("QUEUE"),
    queueId: z.string().min(1),
    contactFlowId: z.string().min(1).optional(),
  }),
  z.strictObject({
    ...quickConnectBase,
    type: z.literal("PHONE_NUMBER"),
    phoneNumber: z.string().min(1),
  }),
  z.strictObject({
    ...quickConnectBase,
    type: z.literal("FLOW"),
    contactFlowId: z.string().min(1),
  }),
]);

export const baseSeedSchema = z.strictObject({
  instanceId: z.guid({ error: "must be a UUID such as 3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10" }),
  instanceAlias: z
    .string()
    .regex(/^[a-z0-9-]{1,62}$/, "must be lower-case letters, digits and hyphens")
    .optional(),
  region: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/, "must be 12 digits"),
  identityManagementType: z.enum(IDENTITY_MODES),
  routingProfiles: z.array(namedResourceSchema).min(1),
  securityProfiles: z.array(namedResourceSchema).min(1),
  hierarchyLevels: z.array(z.string().min(1)).max(maxHierarchyLevels).default([]),
  hierarchyGroups: z.array(hierarchyGroupSchema).default([]),
  userLimit: z.int().min(1).default(DEFAULT_USER_LIMIT),
  users: z.array(seedUserSchema).default([]),
  quickConnectLimit: z.int().min(1).default(DEFAULT_QUICK_CONNECT_LIMIT),
  quickConnects: z.array(seedQuickConnectSchema).default([]),
  /** Per-operation quota overrides, as `{ "CreateUser": { "rps": 2, "burst": 5 } }`; read at start. */
  quota: quotaOverridesSchema.optional(),
});

export type SeedNamedResource = z.infer<typeof namedResourceSchema>;
export type SeedHierarchyGroup = z.infer<typeof hierarchyGroupSchema>;
export type SeedUser = z.output<typeof seedUserSchema>;
export type SeedQuickConnect = z.output<typeof seedQuickConnectSchema>;
/** The seed as its own fields were parsed, before the checks across fields. */
export type ParsedBaseSeed = z.output<typeof baseSeedSchema>;

export function resourceName(resource: SeedNamedResource): string {
  return typeof resource === "string" ? resource : resource.name;
}

export function hierarchyGroupPath(group: SeedHierarchyGroup): string {
  return typeof group === "string" ? group : group.path;
}

/** Splits "EMEA/London/Support" into its group names. */
export function splitHierarchyPath(path: string): string[] {
  return path.split("/").map((part) => part.trim());
}
