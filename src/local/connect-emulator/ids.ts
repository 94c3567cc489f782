/**
 * Identifiers and ARNs. Ids are UUID-shaped and derived from the seed's
 * instance id plus a stable name, so two runs with the same seed and the same
 * calls hand out the same ids (tests and demos can rely on them).
 */
import { createHash } from "node:crypto";

export function deterministicUuid(...parts: readonly string[]): string {
  const hex = createHash("sha256").update(parts.join("\u001f")).digest("hex");
  // Shape it like a random (version 4, RFC 4122 variant) UUID, as Connect's ids are.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join("-");
}

export interface InstanceCoordinates {
  readonly region: string;
  readonly accountId: string;
  readonly instanceId: string;
}

/** The kinds of instance sub-resources, as they appear in Connect ARNs (quick connects are transfer destinations). */
export type ResourceArnKind =
  | "agent"
  | "routing-profile"
  | "security-profile"
  | "agent-group"
  | "agent-hierarchy-level"
  | "transfer-destination";

export function instanceArn({ region, accountId, instanceId }: InstanceCoordinates): string {
  return `arn:aws:connect:${region}:${accountId}:instance/${instanceId}`;
}

export function resourceArn(
  instance: InstanceCoordinates,
  kind: ResourceArnKind,
  id: string,
): string {
  return `${instanceArn(instance)}/${kind}/${id}`;
}

/** The kind and id of an instance sub-resource ARN, or undefined when the ARN is not one. */
export function parseResourceArn(
  instance: InstanceCoordinates,
  arn: string,
): { kind: string; id: string } | undefined {
  const prefix = `${instanceArn(instance)}/`;
  if (!arn.startsWith(prefix)) return undefined;
  const [kind, id, ...rest] = arn.slice(prefix.length).split("/");
  if (!kind || !id || rest.length > 0) return undefined;
  return { kind, id };
}
