import type { RecordCoverage } from "../../domain/roster-record";
import type { FieldSource, RosterMapping } from "../../domain/roster-settings";

/**
 * A roster whose columns are not ours, read through the rosters file's
 * mapping: each canonical field from a column (CSV) or a JSON path, its
 * values renamed where the export says them differently, a default where
 * it says nothing. The result is the canonical record's input, checked by
 * the HR record schema like any other.
 */

const DATE_FIELDS = new Set(["startDate", "endDate"]);
const ATTRIBUTE = "attributes.";

/** HR exports say Active/Inactive/Terminated (import reads the same). */
const STATUSES: Record<string, string> = {
  active: "active",
  terminated: "terminated",
  inactive: "terminated",
};

/** `$.a.b[0].c` -> ["a", "b", 0, "c"]. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.replace(/^\$\./, "").split(".")) {
    const [name = "", ...indices] = part.split("[");
    segments.push(name);
    for (const index of indices) segments.push(Number(index.replace("]", "")));
  }
  return segments;
}

/** The value at a JSON path; undefined where the path leads nowhere. */
export function valueAt(object: unknown, segments: readonly (string | number)[]): unknown {
  let node: unknown = object;
  for (const segment of segments) {
    if (node === null || typeof node !== "object") return undefined;
    if (typeof segment === "number") node = Array.isArray(node) ? node[segment] : undefined;
    else
      node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node;
}

/** The paths (columns) a mapping reads, to check a CSV header has them. */
export function mappedPaths(mapping: RosterMapping): string[] {
  return Object.values(mapping).flatMap((source) => {
    const path = typeof source === "string" ? source : source.path;
    return path === undefined ? [] : [path];
  });
}

/** The canonical record's input from one exported row, and what the row carries. */
export function mapRow(
  read: (path: string) => unknown,
  mapping: RosterMapping,
): { input: Record<string, unknown>; coverage: RecordCoverage } {
  const input: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  const fields: string[] = [];
  const attributeNames: string[] = [];
  for (const [field, source] of Object.entries(mapping)) {
    const value = fieldValue(field, source, read);
    if (field.startsWith(ATTRIBUTE)) {
      const name = field.slice(ATTRIBUTE.length);
      attributeNames.push(name);
      if (value !== null) attributes[name] = value;
    } else {
      fields.push(field);
      input[field] = value;
    }
  }
  // A report of the people who work here: everyone listed is active unless it says otherwise.
  if (mapping.status === undefined) {
    input.status = "active";
    fields.push("status");
  }
  input.attributes = attributes;
  return { input, coverage: { fields, attributes: attributeNames } };
}

function fieldValue(field: string, source: FieldSource, read: (path: string) => unknown): unknown {
  const spec = typeof source === "string" ? { path: source } : source;
  let value = normalise(spec.path === undefined ? undefined : read(spec.path));
  if (value !== null && spec.values) {
    const key = String(value);
    const named = Object.hasOwn(spec.values, key)
      ? spec.values[key]
      : Object.entries(spec.values).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    if (named !== undefined) value = named;
  } else if (value !== null && field === "status" && typeof value === "string") {
    value = STATUSES[value.toLowerCase()] ?? value;
  }
  if (value === null && spec.default !== undefined) value = spec.default;
  if (typeof value === "number" && !field.startsWith(ATTRIBUTE)) value = String(value);
  // Workday writes dates with an offset (2026-03-02-08:00) or a time: the day is what counts.
  if (DATE_FIELDS.has(field) && typeof value === "string" && /^\d{4}-\d{2}-\d{2}./.test(value))
    value = value.slice(0, 10);
  return value;
}

/** Empty is absent: a blank cell, an empty string, a missing key. */
function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  return value;
}
