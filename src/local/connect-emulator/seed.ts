/**
 * The emulator's seed: the instance, its routing profiles, security profiles,
 * hierarchy and pre-existing users, in names rather than ids so that an
 * operator can write one by hand. Checked with zod plus the model's own
 * constraints; every problem names the field path (e.g. `users[2].routingProfile`).
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { connectShape, shapeEnum } from "../../connect/model/index";
import { validateShapeValue } from "../../connect/model/validate";
import { IDENTITY_MODES, usernameProblem } from "../../domain/connect-limits";

/** Connect's default "users per instance" quota. */
export const DEFAULT_USER_LIMIT = 500;

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

const baseSeedSchema = z.strictObject({
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
});

export type SeedNamedResource = z.infer<typeof namedResourceSchema>;
export type SeedHierarchyGroup = z.infer<typeof hierarchyGroupSchema>;
export type SeedUser = z.output<typeof seedUserSchema>;

export const emulatorSeedSchema = baseSeedSchema.superRefine((seed, ctx) => {
  const report = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  checkSeedReferences(seed, report);
});

/** A seed after defaults are applied. */
export type EmulatorSeed = z.output<typeof emulatorSeedSchema>;
/** A seed as written (defaults may be left out). */
export type EmulatorSeedInput = z.input<typeof emulatorSeedSchema>;

export class EmulatorSeedError extends Error {
  readonly problems: readonly string[];

  /** `summary` says what failed; `problems` name each invalid field. */
  constructor(summary: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(problems.length > 0 ? `${summary}:\n  - ${problems.join("\n  - ")}` : summary, options);
    this.name = "EmulatorSeedError";
    this.problems = problems;
  }
}

export function parseEmulatorSeed(input: unknown, source = "the seed"): EmulatorSeed {
  const result = emulatorSeedSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${formatPath(issue.path) || "(root)"}: ${issue.message}`,
  );
  throw new EmulatorSeedError(`${source} is not a valid emulator seed`, problems, {
    cause: result.error,
  });
}

export async function loadEmulatorSeedFile(path: string): Promise<EmulatorSeed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "unreadable";
    throw new EmulatorSeedError(`cannot read seed file ${path} (${reason})`, [], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw new EmulatorSeedError(`seed file ${path} is not valid JSON (${reason})`, [], {
      cause: error,
    });
  }
  return parseEmulatorSeed(json, `seed file ${path}`);
}

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

type Report = (path: (string | number)[], message: string) => void;
type ParsedBaseSeed = z.output<typeof baseSeedSchema>;

function checkSeedReferences(seed: ParsedBaseSeed, report: Report): void {
  const routingNames = uniqueNames(
    seed.routingProfiles.map(resourceName),
    "routingProfiles",
    report,
  );
  const securityNames = uniqueNames(
    seed.securityProfiles.map(resourceName),
    "securityProfiles",
    report,
  );
  const groupPaths = checkHierarchyGroups(seed, report);
  checkModelValue("RegionName", seed.region, ["region"], report);
  const usernames = new Set<string>();
  if (seed.users.length > seed.userLimit) {
    report(["users"], `has ${seed.users.length} users, more than userLimit ${seed.userLimit}`);
  }
  seed.users.forEach((user, index) => {
    const at = (...rest: (string | number)[]) => ["users", index, ...rest];
    const problem = usernameProblem(user.username, seed.identityManagementType);
    if (problem) report(at("username"), `username ${problem}`);
    const key = user.username.toLowerCase();
    if (usernames.has(key)) report(at("username"), "duplicates another user's username");
    usernames.add(key);
    if (!routingNames.has(user.routingProfile)) {
      report(at("routingProfile"), `"${user.routingProfile}" is not one of routingProfiles`);
    }
    user.securityProfiles.forEach((name, profileIndex) => {
      if (!securityNames.has(name)) {
        report(at("securityProfiles", profileIndex), `"${name}" is not one of securityProfiles`);
      }
    });
    for (const problem of validateShapeValue("SecurityProfileIds", user.securityProfiles, "")) {
      report(at("securityProfiles"), problem.message);
    }
    if (user.hierarchyGroup !== undefined && !groupPaths.has(user.hierarchyGroup)) {
      report(at("hierarchyGroup"), `"${user.hierarchyGroup}" is not one of hierarchyGroups`);
    }
    checkModelValue("TagMap", user.tags, at("tags"), report);
    checkModelValue(
      "SensitivePhoneNumber",
      user.phone?.deskPhoneNumber,
      at("phone", "deskPhoneNumber"),
      report,
    );
    checkModelValue("PhoneNumber", user.mobile, at("mobile"), report);
    if (user.phone?.type === "DESK_PHONE" && !user.phone.deskPhoneNumber) {
      report(at("phone", "deskPhoneNumber"), "is required when type is DESK_PHONE");
    }
  });
  const ids = [
    ...seed.routingProfiles,
    ...seed.securityProfiles,
    ...seed.hierarchyGroups,
    ...seed.users,
  ].flatMap((entry) => (typeof entry === "object" && entry.id ? [entry.id] : []));
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) report([], `id "${id}" is used by more than one resource`);
    seen.add(id);
  }
}

function checkHierarchyGroups(seed: ParsedBaseSeed, report: Report): Set<string> {
  const paths = new Set<string>();
  seed.hierarchyGroups.forEach((group, index) => {
    const path = hierarchyGroupPath(group);
    const parts = splitHierarchyPath(path);
    const at = ["hierarchyGroups", index];
    if (parts.some((part) => part.length === 0)) report(at, `"${path}" has an empty group name`);
    if (parts.length > seed.hierarchyLevels.length) {
      report(
        at,
        `"${path}" is ${parts.length} levels deep; hierarchyLevels defines ${seed.hierarchyLevels.length}`,
      );
    }
    const parent = parts.slice(0, -1).join("/");
    if (parent && !paths.has(parent)) {
      report(at, `parent "${parent}" of "${path}" must be listed before it`);
    }
    if (paths.has(path)) report(at, `"${path}" is listed twice`);
    paths.add(path);
  });
  return paths;
}

function uniqueNames(names: readonly string[], field: string, report: Report): Set<string> {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) report([field, index], `"${name}" is listed twice`);
    seen.add(name);
  });
  return seen;
}

function checkModelValue(
  shape: string,
  value: unknown,
  path: (string | number)[],
  report: Report,
): void {
  if (value === undefined) return;
  for (const problem of validateShapeValue(shape, value, "")) {
    report([...path, ...(problem.path ? [problem.path] : [])], problem.message);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    const name = String(part);
    if (name.startsWith("[")) return `${text}${name}`;
    return text ? `${text}.${name}` : name;
  }, "");
}
