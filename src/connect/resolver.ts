import type { HierarchyGroup, HierarchyGroupSummary, HierarchyPath } from "@aws-sdk/client-connect";
import { UnknownNameError } from "../app/errors";
import type { ConnectNameLookup, ConnectNames } from "../app/ports/connect";
import type { DesiredAgent } from "../domain/agent";
import type { ConnectUserSpec } from "../domain/connect-user";
import type { NamedReference } from "../domain/rules-analysis";
import type { DisabledFacets } from "../domain/target";
import type { ConnectGateway } from "./gateway";
import type { NamedResource } from "./user-shapes";

const LEVELS = ["LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"] as const;

/** `EMEA/London/Support` from a group's HierarchyPath. */
export function pathOf(path: HierarchyPath | undefined): string {
  return LEVELS.map((level) => (path?.[level] as HierarchyGroupSummary | undefined)?.Name)
    .filter((name): name is string => name !== undefined)
    .join("/");
}

class NameIndex {
  private readonly byName = new Map<string, string>();
  private readonly byId = new Map<string, string>();

  constructor(items: NamedResource[]) {
    for (const { id, name } of items) {
      this.byName.set(name, id);
      this.byId.set(id, name);
    }
  }

  id(name: string): string | undefined {
    return this.byName.get(name);
  }

  name(id: string): string | undefined {
    return this.byId.get(id);
  }

  /** A name that differs only in case, to suggest in an error. */
  nearMiss(name: string): string | undefined {
    return [...this.byName.keys()].find((known) => known.toLowerCase() === name.toLowerCase());
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** Levenshtein distance, ignoring case. */
function distance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/** The known names close enough to `name` to be what was meant, closest first. */
function closest(name: string, known: readonly string[]): string[] {
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 4));
  return known
    .map((candidate) => ({ candidate, d: distance(name, candidate) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d)
    .map(({ candidate }) => candidate);
}

/** A name the rules use that the instance cannot resolve, with the closest existing name. */
export interface NameProblem {
  problem: string;
  suggestion?: string;
}

interface Snapshot {
  loadedAt: number;
  routingProfiles: NameIndex;
  securityProfiles: NameIndex;
  hierarchyGroups: NamedResource[];
  hierarchyLevels: string[];
}

export interface NameResolverOptions {
  /** How long names stay cached in a container before they are read again. */
  ttlMs?: number;
  /** A miss reloads the names at most this often, so a bad rule cannot flood Connect. */
  reloadOnMissAfterMs?: number;
  now?: () => number;
}

/**
 * Turns the names in the rules into the ids Connect wants, reading every page
 * of routing profiles, security profiles and hierarchy groups once per
 * container (and again after the TTL, or when a name is missing).
 */
export class NameResolver implements ConnectNames, ConnectNameLookup {
  private snapshot?: Promise<Snapshot>;
  private readonly groups = new Map<string, Promise<HierarchyGroup | undefined>>();
  private readonly ttlMs: number;
  private readonly reloadOnMissAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly gateway: ConnectGateway,
    options: NameResolverOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.reloadOnMissAfterMs = options.reloadOnMissAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The desired agent in ids. Throws UnknownNameError naming every name it cannot find. */
  async resolve(agent: DesiredAgent): Promise<ConnectUserSpec> {
    let snapshot = await this.load();
    let attempt = await this.resolveWith(snapshot, agent);
    if (attempt.problems.length > 0 && this.now() - snapshot.loadedAt >= this.reloadOnMissAfterMs) {
      snapshot = await this.load(true);
      attempt = await this.resolveWith(snapshot, agent);
    }
    if (attempt.problems.length > 0) throw new UnknownNameError(attempt.problems);
    return attempt.spec;
  }

  /** The leaver policy's disable profiles in ids, resolved as an agent's are. */
  async disabledFacets(disable: {
    routingProfile: string;
    securityProfiles: readonly string[];
    hierarchy: string | null;
  }): Promise<DisabledFacets> {
    const spec = await this.resolve({
      employeeId: "",
      username: "",
      identity: { firstName: "", lastName: "" },
      routingProfile: disable.routingProfile,
      securityProfiles: [...disable.securityProfiles],
      hierarchy: disable.hierarchy,
      phone: {
        type: "SOFT_PHONE",
        autoAccept: false,
        afterContactWorkSeconds: 0,
        deskPhoneNumber: null,
      },
      rules: [],
    });
    return {
      routingProfileId: spec.routingProfileId,
      securityProfileIds: spec.securityProfileIds,
      hierarchyGroupId: spec.hierarchyGroupId,
    };
  }

  /**
   * The ids of these security profiles. Throws UnknownNameError naming each
   * one the instance lacks (with a did-you-mean), prefixed with `path`.
   */
  async securityProfileIds(names: readonly string[], path: string): Promise<string[]> {
    const index = (await this.load()).securityProfiles;
    const problems: string[] = [];
    const ids = names.flatMap((name) => {
      const id = index.id(name);
      if (id !== undefined) return [id];
      const { problem } = withSuggestion(
        `security profile "${name}" does not exist`,
        closest(name, index.names())[0],
      );
      problems.push(`${path}: ${problem}`);
      return [];
    });
    if (problems.length > 0) throw new UnknownNameError(problems);
    return ids;
  }

  async routingProfileName(id: string): Promise<string> {
    return (await this.load()).routingProfiles.name(id) ?? id;
  }

  async securityProfileName(id: string): Promise<string> {
    return (await this.load()).securityProfiles.name(id) ?? id;
  }

  async hierarchyPath(id: string | null): Promise<string | null> {
    if (id === null) return null;
    const group = await this.describeGroup(id);
    return group ? pathOf(group.HierarchyPath) : id;
  }

  /**
   * Why one name from the rules cannot be resolved in the instance, with a
   * did-you-mean; undefined when it resolves. For checking a rules file
   * (`validate-rules`); hierarchy suggestions describe only groups whose
   * own name is close to the path's last part.
   */
  async problemFor(kind: NamedReference["kind"], name: string): Promise<NameProblem | undefined> {
    const snapshot = await this.load();
    if (kind === "hierarchy") {
      const found = await this.findGroup(snapshot, name);
      if (typeof found === "string") return undefined;
      return withSuggestion(found.problem, await this.closestGroupPath(snapshot, name));
    }
    const index = kind === "routing profile" ? snapshot.routingProfiles : snapshot.securityProfiles;
    if (index.id(name) !== undefined) return undefined;
    return withSuggestion(`${kind} "${name}" does not exist`, closest(name, index.names())[0]);
  }

  private async closestGroupPath(snapshot: Snapshot, path: string): Promise<string | undefined> {
    const wanted = path
      .split("/")
      .map((part) => part.trim())
      .join("/");
    const leaf = wanted.split("/").at(-1) ?? wanted;
    // Each candidate costs a DescribeUserHierarchyGroup: only the groups named most like the leaf.
    const nearLeaf = new Set(
      closest(leaf, [...new Set(snapshot.hierarchyGroups.map((g) => g.name))]),
    );
    const candidates = snapshot.hierarchyGroups.filter((g) => nearLeaf.has(g.name)).slice(0, 20);
    const paths: string[] = [];
    for (const group of candidates) {
      const described = await this.describeGroup(group.id);
      if (described) paths.push(pathOf(described.HierarchyPath));
    }
    return closest(wanted, paths)[0];
  }

  /** Every hierarchy level's name, top first, as the instance defines them. */
  async hierarchyLevels(): Promise<string[]> {
    return (await this.load()).hierarchyLevels;
  }

  private async resolveWith(
    snapshot: Snapshot,
    agent: DesiredAgent,
  ): Promise<{ spec: ConnectUserSpec; problems: string[] }> {
    const problems: string[] = [];
    const missing = (kind: string, name: string, index: NameIndex) => {
      const near = index.nearMiss(name);
      problems.push(`${kind} "${name}" does not exist${near ? ` (did you mean "${near}"?)` : ""}`);
      return "";
    };
    const routingProfileId =
      snapshot.routingProfiles.id(agent.routingProfile) ??
      missing("routing profile", agent.routingProfile, snapshot.routingProfiles);
    const securityProfileIds = agent.securityProfiles.map(
      (name) =>
        snapshot.securityProfiles.id(name) ??
        missing("security profile", name, snapshot.securityProfiles),
    );
    let hierarchyGroupId: string | null = null;
    if (agent.hierarchy !== null) {
      const found = await this.findGroup(snapshot, agent.hierarchy);
      if (typeof found === "string") hierarchyGroupId = found;
      else problems.push(found.problem);
    }
    return {
      problems,
      spec: {
        username: agent.username,
        identity: agent.identity,
        routingProfileId,
        securityProfileIds: [...new Set(securityProfileIds)].sort(),
        hierarchyGroupId,
        phone: agent.phone,
      },
    };
  }

  private async findGroup(snapshot: Snapshot, path: string): Promise<string | { problem: string }> {
    const parts = path.split("/").map((part) => part.trim());
    if (parts.length > snapshot.hierarchyLevels.length) {
      const levels = snapshot.hierarchyLevels.join("/") || "none";
      return {
        problem: `hierarchy "${path}" has ${parts.length} levels; the instance defines ${snapshot.hierarchyLevels.length} (${levels})`,
      };
    }
    const wanted = parts.join("/");
    const candidates = snapshot.hierarchyGroups.filter((group) => group.name === parts.at(-1));
    for (const candidate of candidates) {
      const group = await this.describeGroup(candidate.id);
      if (group && pathOf(group.HierarchyPath) === wanted) return candidate.id;
    }
    return { problem: `hierarchy group "${path}" does not exist` };
  }

  private describeGroup(id: string): Promise<HierarchyGroup | undefined> {
    let group = this.groups.get(id);
    if (!group) {
      group = this.gateway.describeHierarchyGroup(id);
      group.catch(() => this.groups.delete(id));
      this.groups.set(id, group);
    }
    return group;
  }

  private async load(force = false): Promise<Snapshot> {
    const current = this.snapshot ? await this.snapshot.catch(() => undefined) : undefined;
    if (!force && current && this.now() - current.loadedAt < this.ttlMs) return current;
    const loading = this.read();
    this.snapshot = loading;
    this.groups.clear();
    return loading;
  }

  private async read(): Promise<Snapshot> {
    const loadedAt = this.now();
    const [routingProfiles, securityProfiles, hierarchyGroups, structure] = await Promise.all([
      this.gateway.listRoutingProfiles(),
      this.gateway.listSecurityProfiles(),
      this.gateway.listHierarchyGroups(),
      this.gateway.describeHierarchyStructure(),
    ]);
    return {
      loadedAt,
      routingProfiles: new NameIndex(routingProfiles),
      securityProfiles: new NameIndex(securityProfiles),
      hierarchyGroups,
      hierarchyLevels: LEVELS.map((level) => structure[level]?.Name).filter(
        (n): n is string => n !== undefined,
      ),
    };
  }
}

function withSuggestion(problem: string, suggestion: string | undefined): NameProblem {
  return suggestion === undefined
    ? { problem }
    : { problem: `${problem} (did you mean "${suggestion}"?)`, suggestion };
}
