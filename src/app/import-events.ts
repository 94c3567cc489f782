import { createHash } from "node:crypto";
import { CANONICAL_SOURCE } from "../domain/employee-key";
import type { HrRecord } from "../domain/hr";
import type { SyncRequest } from "../domain/sync-request";

/**
 * The event one roster row becomes: a full-record event with origin
 * "import", so that the worker may adopt an unmanaged Connect user with the
 * same user name (the run's grant vouches for it). The same row always gets
 * the same eventId, so an import run twice is deduplicated.
 */
export function importEvent(record: HrRecord, now: Date, runId: string): SyncRequest {
  const digest = createHash("sha256").update(canonicalJson(record)).digest("hex");
  return {
    eventId: `import-${digest.slice(0, 40)}`,
    type: record.status === "terminated" ? "leaver" : "joiner",
    employeeId: record.employeeId,
    // A roster is the canonical feed's: its rows are the canonical source's employees.
    source: CANONICAL_SOURCE,
    occurredAt: now.toISOString(),
    record,
    origin: "import",
    // The import's run: the worker adopts an existing user only for an employee this run names.
    runId,
  };
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
