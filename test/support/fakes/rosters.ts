import type {
  GoodRoster,
  RosterHistory,
  RosterLimits,
  RosterRow,
  RosterSnapshot,
  RosterSource,
} from "../../../src/app/ports/roster-source";
import type { HrRecord } from "../../../src/domain/hr";

const ALL_FIELDS = [
  "employeeId",
  "status",
  "firstName",
  "lastName",
  "email",
  "department",
  "location",
  "jobCode",
  "startDate",
  "endDate",
];

/** A roster row as an import-style CSV gives it: every column but username, manager and phone. */
export function csvRow(record: HrRecord): RosterRow {
  return {
    employeeId: record.employeeId,
    at: `row of ${record.employeeId}`,
    record,
    coverage: { fields: ALL_FIELDS, attributes: Object.keys(record.attributes) },
  };
}

/** An export or report in memory: what `read` answers next, or the error it throws. */
export class MemoryRosterSource implements RosterSource {
  readonly kind = "s3" as const;
  snapshot: RosterSnapshot | Error;

  constructor(
    readonly source: string,
    rows: RosterRow[],
    asOf: Date,
    readonly limits: RosterLimits = { maxAgeHours: 26, minShareOfLast: 0.9, graceMinutes: 60 },
  ) {
    this.snapshot = { asOf, location: "s3://hr/roster.csv", bytes: 100, rows };
  }

  async read(): Promise<RosterSnapshot> {
    if (this.snapshot instanceof Error) throw this.snapshot;
    return structuredClone(this.snapshot);
  }
}

export class MemoryRosterHistory implements RosterHistory {
  readonly good = new Map<string, GoodRoster>();

  async lastGood(source: string): Promise<GoodRoster | undefined> {
    return this.good.get(source);
  }

  async recordGood(source: string, roster: GoodRoster): Promise<void> {
    this.good.set(source, roster);
  }
}
