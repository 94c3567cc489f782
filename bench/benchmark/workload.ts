import { type DesiredAgent, decideAgent } from "../../src/domain/agent";
import type { ConnectUser, ConnectUserSpec } from "../../src/domain/connect-user";
import type { HrEvent } from "../../src/domain/hr";
import { planCalls, userOrNone } from "../../src/domain/plan";
import type { SyncRules } from "../../src/domain/rules";
import { checkConvergence } from "../../src/local/chaos/check";
import { type EmployeeHistory, generateHistories } from "../../src/local/chaos/history";
import { Random } from "../../src/local/chaos/random";
import type { EmulatorStateDump } from "../../src/local/connect-emulator";

/**
 * The benchmark's backlog: mixed HR events (joiners, movers, leavers,
 * rehires, future-dated changes, moves out of scope), all valid, each
 * employee's in order, the employees interleaved as a real backlog would be.
 */
export interface Workload {
  histories: EmployeeHistory[];
  /** In queue order. */
  events: HrEvent[];
}

export function benchWorkload(seed: number, employees: number, now: Date): Workload {
  const random = new Random(seed);
  const histories = generateHistories(random.fork("histories"), {
    employees,
    today: now.toISOString().slice(0, 10),
    now,
    kinds: { "invalid-joiner": 0, "invalid-update": 0 },
  });
  const lanes = histories.map((h) => [...h.events]);
  const events: HrEvent[] = [];
  const order = random.fork("order");
  while (lanes.some((lane) => lane.length > 0)) {
    const open = lanes.filter((lane) => lane.length > 0);
    events.push(order.pick(open).shift() as HrEvent);
  }
  return { histories, events };
}

/** Names to ids, as the instance has them. */
export interface InstanceIds {
  routingProfiles: Map<string, string>;
  securityProfiles: Map<string, string>;
  hierarchyGroups: Map<string, string>;
}

export function instanceIds(dump: EmulatorStateDump): InstanceIds {
  return {
    routingProfiles: new Map(dump.routingProfiles.map((p) => [p.name, p.id])),
    securityProfiles: new Map(dump.securityProfiles.map((p) => [p.name, p.id])),
    hierarchyGroups: new Map(dump.hierarchyGroups.map((g) => [g.path, g.id])),
  };
}

export function specFor(agent: DesiredAgent, ids: InstanceIds): ConnectUserSpec {
  const id = (map: Map<string, string>, name: string) => {
    const found = map.get(name);
    if (!found) throw new Error(`the instance has no ${name}`);
    return found;
  };
  return {
    username: agent.username,
    identity: agent.identity,
    routingProfileId: id(ids.routingProfiles, agent.routingProfile),
    securityProfileIds: agent.securityProfiles.map((n) => id(ids.securityProfiles, n)).sort(),
    hierarchyGroupId: agent.hierarchy === null ? null : id(ids.hierarchyGroups, agent.hierarchy),
    phone: agent.phone,
  };
}

/** The user an event asks for, in ids, or null for none. */
export function desiredSpec(
  event: HrEvent,
  rules: SyncRules,
  today: string,
  ids: InstanceIds,
): ConnectUserSpec | null {
  const decision = decideAgent(event.record, rules, today);
  return decision.kind === "present" ? specFor(decision.agent, ids) : null;
}

/**
 * The fewest Connect calls the backlog needs, from the planner: the writes
 * that turn each employee's user into what each event asks for, in order.
 * Reads are not counted: whatever the service reads (names, who holds a
 * protected profile) is overhead on this.
 */
export function minimumCalls(
  workload: Workload,
  rules: SyncRules,
  today: string,
  ids: InstanceIds,
): number {
  const manageIdentity = rules.identity.mode !== "EXISTING_DIRECTORY";
  let writes = 0;
  for (const history of workload.histories) {
    let current: ConnectUser | null = null;
    for (const event of history.events) {
      const desired = desiredSpec(event, rules, today, ids);
      writes += planCalls(userOrNone(desired), current, { manageIdentity }).length;
      const userId: string = (current as ConnectUser | null)?.userId ?? "u";
      current = desired === null ? null : { ...desired, userId, tags: {} };
    }
  }
  return writes;
}

/** Employees whose Connect user does not match their newest record (or who have one they should not). */
export function unconverged(
  workload: Workload,
  rules: SyncRules,
  today: string,
  before: EmulatorStateDump,
  after: EmulatorStateDump,
): { count: number; examples: string[] } {
  const report = checkConvergence({
    histories: workload.histories,
    garbage: [],
    rules,
    today,
    before,
    after,
    calls: [],
    audit: [],
    deadLetters: [],
    hostileEmployees: [],
    deletedByHarness: [],
  });
  return {
    count: report.mismatches + report.duplicateAgents,
    examples: report.problems.filter((p) => !p.startsWith("user ")).slice(0, 5),
  };
}
