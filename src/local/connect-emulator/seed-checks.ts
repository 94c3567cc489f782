/**
 * The checks of a seed across its fields: every name a user refers to exists,
 * user and quick connect names are unique, ids are used once, limits hold, and
 * values meet the model's own constraints. Each problem names its field path.
 */
import { validateShapeValue } from "../../connect/model/validate";
import { usernameProblem } from "../../domain/connect-limits";
import {
  hierarchyGroupPath,
  type ParsedBaseSeed,
  resourceName,
  splitHierarchyPath,
} from "./seed-schema";

type Report = (path: (string | number)[], message: string) => void;

export function checkSeedReferences(seed: ParsedBaseSeed, report: Report): void {
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
  checkQuickConnects(seed, report);
  const ids = [
    ...seed.routingProfiles,
    ...seed.securityProfiles,
    ...seed.hierarchyGroups,
    ...seed.users,
    ...seed.quickConnects,
  ].flatMap((entry) => (typeof entry === "object" && entry.id ? [entry.id] : []));
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) report([], `id "${id}" is used by more than one resource`);
    seen.add(id);
  }
}

function checkQuickConnects(seed: ParsedBaseSeed, report: Report): void {
  if (seed.quickConnects.length > seed.quickConnectLimit) {
    report(
      ["quickConnects"],
      `has ${seed.quickConnects.length} quick connects, more than quickConnectLimit ${seed.quickConnectLimit}`,
    );
  }
  const names = new Set<string>();
  seed.quickConnects.forEach((quickConnect, index) => {
    const at = (...rest: (string | number)[]) => ["quickConnects", index, ...rest];
    const key = quickConnect.name.toLowerCase();
    if (names.has(key)) report(at("name"), "duplicates another quick connect's name");
    names.add(key);
    checkModelValue("QuickConnectName", quickConnect.name, at("name"), report);
    checkModelValue("QuickConnectDescription", quickConnect.description, at("description"), report);
    checkModelValue("TagMap", quickConnect.tags, at("tags"), report);
    if (quickConnect.type === "PHONE_NUMBER") {
      checkModelValue("PhoneNumber", quickConnect.phoneNumber, at("phoneNumber"), report);
    } else {
      checkModelValue("ContactFlowId", quickConnect.contactFlowId, at("contactFlowId"), report);
    }
  });
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
