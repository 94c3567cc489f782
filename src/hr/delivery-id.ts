import { createHash } from "node:crypto";

/**
 * An event id for a vendor whose deliveries carry none: the source name and
 * 32 hex digits of SHA-256 over what identifies the delivery, as canonical
 * JSON. A retry (or a replay) of a delivery gets the same id, whatever its
 * key order; another delivery gets another.
 */
export function deliveryId(source: string, identity: unknown): string {
  return `${source}-${createHash("sha256").update(canonicalJson(identity)).digest("hex").slice(0, 32)}`;
}

/** JSON with object keys sorted, so that the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
