import type { HrRecord } from "../../domain/hr";
import type { RecordCoverage } from "../../domain/roster-record";
import type { FieldProblem } from "../../domain/validation";

/** One employee as a roster lists them: their record, or why it cannot be used. */
export interface RosterRow {
  employeeId: string;
  /** Where in the roster, for people: "line 12", "entry 3 of page 2". */
  at: string;
  /** Absent when the row has problems. */
  record?: HrRecord;
  coverage: RecordCoverage;
  /** Fields of the row that are invalid, by path; never their values. */
  problems?: FieldProblem[];
}

/** A whole roster, as read at one time from one place. */
export interface RosterSnapshot {
  /** When HR's roster was true: the S3 object's LastModified, the time the report was asked for. */
  asOf: Date;
  /** Where it was read, for people (no credentials): `s3://bucket/key`, the report's URL. */
  location: string;
  bytes: number;
  rows: RosterRow[];
}

/** The safety bounds of one roster (the rosters file). */
export interface RosterLimits {
  /** Undefined: the roster is read live (HTTPS), its age is not checked. */
  maxAgeHours?: number;
  minShareOfLast: number;
  graceMinutes: number;
}

/** An HR source's roster read as a whole (an export in S3, a report over HTTPS). */
export interface RosterSource {
  /** The HR source whose employees it lists ("canonical", ...). */
  readonly source: string;
  readonly kind: "s3" | "https";
  readonly limits: RosterLimits;
  /** The roster, completely, or RosterUnreadableError. */
  read(): Promise<RosterSnapshot>;
}

/** A roster that cannot be read completely (gone, refused, cut off, too large, not the format). */
export class RosterUnreadableError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = "RosterUnreadableError";
  }
}

/** What the last good roster of a source was: the size a new one is held against. */
export interface GoodRoster {
  employees: number;
  asOf: string;
  runId: string;
}

/** One small item per source (the reconcile-runs table). */
export interface RosterHistory {
  lastGood(source: string): Promise<GoodRoster | undefined>;
  recordGood(source: string, roster: GoodRoster): Promise<void>;
}
