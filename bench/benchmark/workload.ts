import type { AuditEntry } from "../../src/app/ports/audit";
import { type DesiredAgent, decideAgent } from "../../src/domain/agent";
import type { ConnectUser, ConnectUserSpec } from "../../src/domain/connect-user";
import { type HrEvent, type HrRecord, hrRecordSchema } from "../../src/domain/hr";
import { planCalls, userOrNone } from "../../src/domain/plan";
import type { SyncRules } from "../../src/domain/rules";
import { checkConvergence } from "../../src/local/chaos/check";
import {
  chaosEmployeeId,
  type EmployeeHistory,
  generateHistories,
} from "../../src/local/chaos/history";
import { Random } from "../../src/local/chaos/random";
import type { CallRecord, EmulatorStateDump } from "../../src/local/connect-emulator";

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

export interface ConvergenceFigures {
  /** Employees whose Connect user differs from their newest record, or who have two. */
  unconverged: number;
  /** Protected (admin) and unmanaged seed users changed or called: 0 expected. */
  protectedTouched: number;
  unmanagedTouched: number;
  /** Audit entries missing for a change Connect made, or naming one it never made. */
  missingAudit: number;
  phantomAudit: number;
  examples: string[];
}

/**
 * The chaos check on a benchmark run: Connect's final state against each
 * employee's newest record, the seed's protected and unmanaged users against
 * the state the run started from, and the calls against the audit trail.
 */
export function convergence(
  workload: Pick<Workload, "histories">,
  rules: SyncRules,
  today: string,
  run: {
    before: EmulatorStateDump;
    after: EmulatorStateDump;
    calls: CallRecord[];
    audit: AuditEntry[];
  },
): ConvergenceFigures {
  const report = checkConvergence({
    histories: workload.histories,
    garbage: [],
    rules,
    today,
    ...run,
    deadLetters: [],
    hostileEmployees: [],
    deletedByHarness: [],
  });
  return {
    unconverged: report.mismatches + report.duplicateAgents,
    protectedTouched: report.protectedTouched,
    unmanagedTouched: report.unmanagedTouched,
    missingAudit: report.missingAudit,
    phantomAudit: report.phantomAudit,
    examples: report.problems.slice(0, 5),
  };
}

/** A backlog in two steps: `setup` (not measured) makes the users, `events` is what is measured. */
export interface PhasedWorkload extends Workload {
  setup: HrEvent[];
}

function employee(index: number, department: string, location: string, jobCode: string): HrRecord {
  const employeeId = chaosEmployeeId(index);
  return hrRecordSchema.parse({
    employeeId,
    status: "active",
    firstName: "Bench",
    lastName: `Agent${index}`,
    email: `${employeeId.toLowerCase()}@bench.example.com`,
    username: null,
    department,
    location,
    jobCode,
    managerId: null,
    startDate: "2020-01-06",
    endDate: null,
    phone: null,
    attributes: {},
  });
}

/** Each employee's events, a second apart, ending a minute before `now`. */
function histories(now: Date, records: HrRecord[][]): EmployeeHistory[] {
  const steps = Math.max(...records.map((r) => r.length));
  const first = now.getTime() - 60_000 - steps * 1000;
  return records.map((own) => {
    const employeeId = (own[0] as HrRecord).employeeId;
    const events = own.map(
      (record, step): HrEvent => ({
        eventId: `${employeeId}-${String(step + 1).padStart(3, "0")}`,
        type: step === 0 ? "joiner" : "mover",
        employeeId,
        occurredAt: new Date(first + step * 1000).toISOString(),
        record,
      }),
    );
    return {
      employeeId,
      kind: "mover",
      events,
      target: own.at(-1),
      deadLetters: [],
      keepOrder: true,
    };
  });
}

/** Interleaved as a real backlog would be: every employee's first event, then every second... */
function interleaved(lanes: HrEvent[][]): HrEvent[] {
  const out: HrEvent[] = [];
  for (let step = 0; lanes.some((lane) => step < lane.length); step++)
    for (const lane of lanes) if (step < lane.length) out.push(lane[step] as HrEvent);
  return out;
}

/**
 * A reorganisation: `employees` London support agents (made in the setup)
 * all become Austin sales team leads at once, so each changes routing
 * profile, hierarchy group and security profiles: three operations, one
 * call of each per employee.
 */
export function reorgWorkload(employees: number, now: Date): PhasedWorkload {
  const all = histories(
    now,
    Array.from({ length: employees }, (_, i) => [
      employee(i + 1, "Support", "London", "AGT1"),
      employee(i + 1, "Sales", "Austin", "TL1"),
    ]),
  );
  return {
    histories: all,
    setup: all.map((h) => h.events[0] as HrEvent),
    events: all.map((h) => h.events[1] as HrEvent),
  };
}

/**
 * Work for one worker at a time: a few employees, each moving between
 * London and Austin support `moves` times (routing profile and hierarchy
 * group each time). FIFO keeps an employee's events in order and in one
 * batch at a time, so the batch holding them is the only one with work.
 */
export function singleWorkerWorkload(employees: number, moves: number, now: Date): PhasedWorkload {
  const all = histories(
    now,
    Array.from({ length: employees }, (_, i) =>
      Array.from({ length: moves + 1 }, (_, step) =>
        employee(i + 1, "Support", step % 2 === 0 ? "London" : "Austin", "AGT1"),
      ),
    ),
  );
  return {
    histories: all,
    setup: all.map((h) => h.events[0] as HrEvent),
    events: interleaved(all.map((h) => h.events.slice(1))),
  };
}
