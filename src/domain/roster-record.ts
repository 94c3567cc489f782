import type { HrRecord } from "./hr";

/**
 * A roster row speaks only for what it carries: the columns of a CSV, the
 * keys of a JSON line, the fields a mapping names. What it does not carry
 * (phone settings a webhook sent, an attribute the export has no column for)
 * stays as the service stored it, so that a narrower export never turns
 * everyone into a mover.
 */
export interface RecordCoverage {
  /** Top-level record fields the row carries (attributes aside). */
  fields: readonly string[];
  /** Attribute names the row carries, or "all": its attributes replace the stored ones. */
  attributes: readonly string[] | "all";
}

/** A roster record's JSON is at most this long: it travels in a repair grant (a DynamoDB item). */
export const MAX_ROSTER_RECORD_BYTES = 32 * 1024;

/** The record the roster says the employee has: its fields over the stored record's. */
export function rosterRecord(
  stored: HrRecord | undefined,
  row: HrRecord,
  coverage: RecordCoverage,
): HrRecord {
  if (!stored) return row;
  const merged: Record<string, unknown> = { ...stored };
  for (const field of coverage.fields) {
    if (field !== "attributes" && field !== "employeeId")
      merged[field] = (row as Record<string, unknown>)[field];
  }
  let attributes: HrRecord["attributes"] = { ...stored.attributes };
  if (coverage.attributes === "all") attributes = { ...row.attributes };
  else {
    for (const name of coverage.attributes) {
      const value = Object.hasOwn(row.attributes, name) ? row.attributes[name] : undefined;
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
    }
  }
  return { ...(merged as HrRecord), attributes };
}

/** Whether two records say the same, an empty value and an absent one alike (CSV cannot tell them apart). */
export function sameRecord(a: HrRecord | undefined, b: HrRecord | undefined): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? "undefined";
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value ?? undefined;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, canonical(v)] as const);
  return Object.fromEntries(entries);
}
