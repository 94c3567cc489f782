import { addDays } from "../../domain/agent";
import { type HrEvent, type HrEventType, type HrRecord, hrRecordSchema } from "../../domain/hr";
import type { Random } from "./random";

/**
 * Random HR histories: joiners, movers, leavers, rehires, future-dated starts
 * and leaves, moves out of scope, and a few inputs that cannot become a
 * Connect user and must end in the DLQ with their reason. Every event carries
 * the full record (the canonical sender), with strictly increasing occurredAt
 * per employee, so the newest record is well defined whatever the delivery order.
 */

export const EMPLOYEE_KINDS = {
  stable: 12,
  mover: 28,
  leaver: 14,
  rehire: 10,
  "future-joiner": 5,
  "future-leaver": 7,
  "terminated-now": 5,
  "out-of-scope": 6,
  "name-change": 5,
  "invalid-joiner": 4,
  "invalid-update": 4,
} as const;
export type EmployeeKind = keyof typeof EMPLOYEE_KINDS;

/** An event that must reach the DLQ, and the error the worker must give as its reason. */
export interface ExpectedDeadLetter {
  eventId: string;
  employeeId: string;
  errorName: "InvalidRecordError" | "UsernameTakenError" | "InvalidEventError";
}

export interface EmployeeHistory {
  employeeId: string;
  kind: EmployeeKind;
  /** In occurredAt order. */
  events: HrEvent[];
  /**
   * The record Connect must end up matching (through the rules), or undefined
   * when the employee must have no Connect user at all. For the newest record
   * that is invalid, the last valid one: an invalid record changes nothing.
   */
  target: HrRecord | undefined;
  deadLetters: ExpectedDeadLetter[];
  /** Events whose meaning depends on order (an invalid update after a valid joiner): sent in order. */
  keepOrder: boolean;
}

export interface HistoryOptions {
  employees: number;
  /** Today in UTC, `YYYY-MM-DD`: the service decides with the real clock. */
  today: string;
  /** The instant the histories end at; occurredAt values lie in the 30 days before it. */
  now: Date;
  /** How often each kind of history occurs, over EMPLOYEE_KINDS (0 leaves a kind out). */
  kinds?: Partial<Record<EmployeeKind, number>>;
}

const FIRST_NAMES = [
  "Grace",
  "Alan",
  "Zoë",
  "José",
  "Søren",
  "Amélie",
  "Łukasz",
  "Chloé",
  "Ada",
  "Noor",
];
const LAST_NAMES = [
  "Hopper",
  "Turing",
  "Ørsted",
  "Núñez",
  "Dvořák",
  "O'Brien",
  "Smith",
  "Nakamura",
];
const DEPARTMENTS = ["Support", "Sales"] as const;
const LOCATIONS = ["London", "Austin", "Remote US", "Berlin"] as const;

/** The employee's user name (from `{email}`) stays the same for life: Connect cannot rename a user. */
export function chaosEmployeeId(index: number): string {
  return `E${String(index).padStart(5, "0")}`;
}

function emailOf(employeeId: string): string {
  return `${employeeId.toLowerCase()}@chaos.example.com`;
}

function randomPhone(random: Random): HrRecord["phone"] {
  switch (random.weighted({ none: 55, autoAccept: 15, acw: 15, desk: 15 })) {
    case "none":
      return null;
    case "autoAccept":
      return { autoAccept: random.chance(0.7) };
    case "acw":
      return { afterContactWorkSeconds: random.int(0, 12) * 10 };
    case "desk":
      return {
        type: "DESK_PHONE",
        deskPhoneNumber: `+44207${String(random.int(1_000_000, 9_999_999))}`,
      };
  }
}

/** Parses with the wire schema, so that the record is exactly what the service will see. */
function canonical(record: HrRecord): HrRecord {
  return hrRecordSchema.parse(record);
}

class EventClock {
  private at: number;

  constructor(random: Random, now: Date) {
    // Start somewhere in the last 30 days, leaving room for the steps.
    this.at = now.getTime() - 30 * 86_400_000 + random.int(0, 86_400_000);
  }

  /** A strictly later instant. */
  next(random: Random): string {
    this.at += random.int(1, 600) * 60_000 + random.int(1, 999);
    return new Date(this.at).toISOString();
  }
}

/**
 * Each employee's history, from a seeded source: the same seed, the same
 * histories (given the same `today`).
 */
export function generateHistories(random: Random, options: HistoryOptions): EmployeeHistory[] {
  const histories: EmployeeHistory[] = [];
  for (let index = 1; index <= options.employees; index++) {
    histories.push(generateHistory(random.fork(`employee-${index}`), index, options));
  }
  return histories;
}

function generateHistory(random: Random, index: number, options: HistoryOptions): EmployeeHistory {
  const employeeId = chaosEmployeeId(index);
  const { today } = options;
  const kind = random.weighted<EmployeeKind>({ ...EMPLOYEE_KINDS, ...options.kinds });
  const clock = new EventClock(random, options.now);
  const events: HrEvent[] = [];
  let sequence = 0;
  const emit = (type: HrEventType, record: HrRecord): HrRecord => {
    sequence += 1;
    const parsed = canonical(record);
    events.push({
      eventId: `${employeeId}-${String(sequence).padStart(2, "0")}-${random.int(0, 0xffffff).toString(16)}`,
      type,
      employeeId,
      occurredAt: clock.next(random),
      record: parsed,
    });
    return parsed;
  };

  const hire: HrRecord = {
    employeeId,
    status: "active",
    firstName: random.pick(FIRST_NAMES),
    lastName: random.pick(LAST_NAMES),
    email: emailOf(employeeId),
    username: null,
    department: random.pick(DEPARTMENTS),
    location: random.pick(LOCATIONS),
    jobCode: random.chance(0.2) ? "TL1" : "AGT1",
    managerId: null,
    startDate: addDays(today, -random.int(2, 400)),
    endDate: null,
    phone: randomPhone(random),
    attributes: { costCenter: `CC-${random.int(1, 40)}` },
  };

  /** One or more facets move: department, location, team-lead job code, phone. */
  const moved = (from: HrRecord): HrRecord => {
    const next = { ...from };
    const changes = random.int(1, 3);
    for (let i = 0; i < changes; i++) {
      switch (random.weighted({ department: 3, location: 3, jobCode: 2, phone: 2 })) {
        case "department":
          next.department = next.department === "Support" ? "Sales" : "Support";
          break;
        case "location":
          next.location = random.pick(LOCATIONS.filter((l) => l !== next.location));
          break;
        case "jobCode":
          next.jobCode = next.jobCode === "TL1" ? "AGT1" : "TL1";
          break;
        case "phone":
          next.phone = randomPhone(random);
          break;
      }
    }
    return next;
  };
  const left = (from: HrRecord): HrRecord => ({
    ...from,
    status: "terminated",
    endDate: addDays(today, -random.int(2, 20)),
  });

  let target: HrRecord | undefined;
  const deadLetters: ExpectedDeadLetter[] = [];
  let keepOrder = false;

  switch (kind) {
    case "stable":
      target = emit("joiner", hire);
      break;
    case "mover": {
      target = emit("joiner", hire);
      for (let i = random.int(1, 3); i > 0; i--) target = emit("mover", moved(target));
      break;
    }
    case "name-change": {
      target = emit("joiner", hire);
      target = emit("mover", {
        ...target,
        lastName: random.pick(LAST_NAMES.filter((n) => n !== target?.lastName)),
      });
      break;
    }
    case "leaver": {
      let record = emit("joiner", hire);
      for (let i = random.int(0, 2); i > 0; i--) record = emit("mover", moved(record));
      emit("leaver", left(record));
      target = undefined;
      break;
    }
    case "rehire": {
      const record = emit("joiner", hire);
      const gone = emit("leaver", left(record));
      target = emit("joiner", {
        ...moved(gone),
        status: "active",
        startDate: addDays(today, -random.int(2, 5)),
        endDate: null,
      });
      if (random.chance(0.4)) target = emit("mover", moved(target));
      break;
    }
    case "future-joiner": {
      const record = emit("joiner", { ...hire, startDate: addDays(today, random.int(3, 40)) });
      if (random.chance(0.5)) emit("mover", moved(record));
      target = undefined;
      break;
    }
    case "future-leaver": {
      const record = emit("joiner", hire);
      // Notice given: the leave is scheduled after today, so the agent stays until then.
      target = emit("leaver", {
        ...record,
        status: random.chance(0.5) ? "terminated" : "active",
        endDate: addDays(today, random.int(3, 40)),
      });
      break;
    }
    case "terminated-now": {
      const record = emit("joiner", hire);
      emit("leaver", { ...record, status: "terminated", endDate: null });
      target = undefined;
      break;
    }
    case "out-of-scope": {
      const record = emit("joiner", hire);
      emit(
        "mover",
        random.chance(0.5)
          ? { ...record, department: "Ops" }
          : { ...record, jobCode: "CONTRACTOR" },
      );
      target = undefined;
      break;
    }
    case "invalid-joiner": {
      const variant = random.pick(["long-username", "desk-without-number", "protected"] as const);
      const record: HrRecord =
        variant === "long-username"
          ? { ...hire, username: `agent.${"x".repeat(random.int(59, 90))}` }
          : variant === "desk-without-number"
            ? { ...hire, phone: { type: "DESK_PHONE" } }
            : { ...hire, username: "admin" };
      emit("joiner", record);
      const last = events.at(-1) as HrEvent;
      deadLetters.push({
        eventId: last.eventId,
        employeeId,
        errorName: variant === "protected" ? "UsernameTakenError" : "InvalidRecordError",
      });
      target = undefined;
      break;
    }
    case "invalid-update": {
      // A valid agent, then an update that cannot be applied: the agent stays as it was.
      target = emit("joiner", hire);
      emit("mover", { ...target, phone: { type: "DESK_PHONE", deskPhoneNumber: null } });
      const last = events.at(-1) as HrEvent;
      deadLetters.push({ eventId: last.eventId, employeeId, errorName: "InvalidRecordError" });
      keepOrder = true;
      break;
    }
  }
  return { employeeId, kind, events, target, deadLetters, keepOrder };
}

/** Messages put straight on the queue that are not HR events at all: each must reach the DLQ. */
export interface RawMessage {
  body: string;
  groupId: string;
  deduplicationId: string;
}

export function garbageMessages(random: Random, count: number): RawMessage[] {
  const bodies = [
    () => "{not json",
    () => JSON.stringify({ hello: "world" }),
    () =>
      JSON.stringify({
        eventId: `garbage-${random.int(0, 1e9)}`,
        type: "hire",
        employeeId: "G1",
        occurredAt: "yesterday",
      }),
    () =>
      JSON.stringify({
        eventId: `garbage-${random.int(0, 1e9)}`,
        type: "joiner",
        employeeId: "G2",
        occurredAt: new Date().toISOString(),
        record: { employeeId: "someone-else" },
      }),
    () => JSON.stringify([1, 2, 3]),
    () => "null",
  ];
  return Array.from({ length: count }, (_, i) => ({
    body: random.pick(bodies)(),
    groupId: `garbage-${i}`,
    deduplicationId: `garbage-${i}-${random.int(0, 1e9)}`,
  }));
}
