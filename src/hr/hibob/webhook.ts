import { aheadOfClockProblem } from "../../domain/clock";
import { type HrEventType, hrEventSchema } from "../../domain/hr";
import { type FieldProblem, fieldProblems } from "../../domain/validation";
import * as z from "../../domain/zod";
import { deliveryId } from "../delivery-id";
import type { LowerCaseHeaders, SignatureCheck } from "../signatures";
import { HIBOB_SOURCE } from "../source-names";
import { vendorEmployeeIdSchema } from "../vendor-employee-id";
import type { Normalised, WebhookSource } from "../webhook-source";
import { DEFAULT_MAX_EVENT_AGE_HOURS } from "./max-event-age";
import {
  HIBOB_SIGNATURE_HEADER,
  hiBobSignature,
  isHiBobPing,
  verifyHiBobSignature,
} from "./signature";

/**
 * HiBob webhooks v2 (POST /hr/events/hibob).
 *
 * One event per request: `{companyId, type, triggeredBy, triggeredAt,
 * version: "v2", data: {employeeId, ...}}`. Payloads are thin by design
 * ("make API calls to retrieve the necessary data"): the worker reads the
 * employee's current record from HiBob's People API, so the type is only a
 * hint for the audit trail. The payload has no event id: one is derived
 * from the delivery's content, so that Bob's retry of a delivery, or a
 * replay of it, is a duplicate.
 */

/** Employee events (https://apidocs.hibob.com/reference/employee-changes-events) as hints. */
const EVENT_TYPES: Record<string, HrEventType> = {
  "employee.created": "joiner",
  "employee.joined": "joiner",
  "employee.activated": "joiner",
  "employee.updated": "mover",
  "employee.temporaryLeave": "mover",
  "table.entry.created": "mover",
  "table.entry.updated": "mover",
  "employee.inactivated": "leaver",
  "employee.left": "leaver",
  "employee.deleted": "leaver",
};

export function hiBobSource(options: { maxEventAgeHours?: number } = {}): WebhookSource {
  const maxAgeMs = (options.maxEventAgeHours ?? DEFAULT_MAX_EVENT_AGE_HOURS) * 3_600_000;
  return {
    name: HIBOB_SOURCE,
    signatureHeaders: [HIBOB_SIGNATURE_HEADER],
    mediaTypes: ["application/json"],
    acceptsSecret: (secret) => secret.length > 0,
    verify: (rawBody, headers, secret, now) =>
      verifyHiBobDelivery(rawBody, headers, secret, now, maxAgeMs),
    normalise: (body, { now }) => normaliseHiBob(body, now),
  };
}

/**
 * The signature, then the age of the signed `triggeredAt`: older than the
 * window is a replay. A body without one, or dated ahead of the clock, is
 * left to normalise, which names the field.
 */
export function verifyHiBobDelivery(
  rawBody: Buffer,
  headers: LowerCaseHeaders,
  secret: string,
  now: Date,
  maxAgeMs = DEFAULT_MAX_EVENT_AGE_HOURS * 3_600_000,
): SignatureCheck {
  const signature = verifyHiBobSignature(rawBody, headers, secret);
  if (!signature.ok || isHiBobPing(rawBody)) return signature;
  const at = triggeredAtOf(rawBody);
  if (at === undefined) return signature;
  const age = now.getTime() - at;
  return age > maxAgeMs ? { ok: false, failure: "expired" } : signature;
}

function triggeredAtOf(rawBody: Buffer): number | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return undefined;
  }
  const value = (body as { triggeredAt?: unknown } | null)?.triggeredAt;
  const instant = typeof value === "string" ? hiBobInstant(value) : undefined;
  return instant === undefined ? undefined : Date.parse(instant);
}

/**
 * Bob's `2024-12-26T11:29:14.399997` (microseconds, no zone: read as UTC,
 * unconfirmed), or the same with `Z` or an offset, as an ISO instant in UTC.
 */
export function hiBobInstant(value: string): string | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/i.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", zone = "Z"] = match;
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (calendar.getUTCMonth() !== Number(mo) - 1 || calendar.getUTCDate() !== Number(d))
    return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${zone}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** What Bob puts in `triggeredAt` for an instant: UTC, microseconds, no zone. */
export function hiBobTimestamp(at: Date): string {
  return at.toISOString().replace(/Z$/, "000");
}

const payloadSchema = z.object({
  companyId: z.optional(z.union([z.number().check(z.int()), z.string().check(z.maxLength(64))])),
  type: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(128),
      z.regex(/^[A-Za-z]+(\.[A-Za-z]+)+$/, "must be a Bob event type such as employee.updated"),
    ),
  triggeredBy: z.optional(z.string().check(z.maxLength(128))),
  triggeredAt: z.string().check(z.maxLength(64)),
  version: z.optional(z.string().check(z.maxLength(16))),
  data: z.looseObject({ employeeId: z.optional(z.unknown()) }),
});

/**
 * The payload as canonical events, all or none (the route makes their source
 * "hibob"): one thin event for an employee event, none for Bob's connection
 * test or for an event that names no employee of ours (another kind Bob was
 * asked to send), which is acknowledged so that Bob does not retry it.
 */
export function normaliseHiBob(body: unknown, now?: Date): Normalised {
  if (isPingBody(body)) return { ok: true, events: [] };
  const parsed = payloadSchema.safeParse(body);
  if (!parsed.success) return invalid(fieldProblems(parsed.error));
  const { type, triggeredAt, data } = parsed.data;
  const hint = EVENT_TYPES[type] ?? (type.startsWith("employee.") ? "mover" : undefined);
  if (hint === undefined) return { ok: true, events: [] };

  const problems: FieldProblem[] = [];
  const occurredAt = hiBobInstant(triggeredAt);
  if (occurredAt === undefined)
    problems.push({
      path: "triggeredAt",
      message: "must be a date and time such as 2026-11-28T09:00:00.000000",
    });
  const ahead = occurredAt && aheadOfClockProblem("triggeredAt", occurredAt, now);
  if (ahead) problems.push(ahead);
  const employeeId = vendorEmployeeIdSchema.safeParse(data.employeeId);
  if (!employeeId.success)
    problems.push(
      ...fieldProblems(employeeId.error).map((p) => ({
        path: p.path === "(root)" ? "data.employeeId" : `data.employeeId.${p.path}`,
        message: data.employeeId === undefined ? "is required" : p.message,
      })),
    );
  if (problems.length > 0 || !employeeId.success || occurredAt === undefined)
    return invalid(problems);

  const event = hrEventSchema.parse({
    eventId: deliveryId(HIBOB_SOURCE, body),
    type: hint,
    employeeId: employeeId.data,
    occurredAt,
  });
  return { ok: true, events: [event] };
}

function isPingBody(body: unknown): boolean {
  return (
    body !== null &&
    typeof body === "object" &&
    !Array.isArray(body) &&
    Object.keys(body).length === 1 &&
    (body as { text?: unknown }).text === "Ping test"
  );
}

/**
 * A HiBob delivery as Bob would send it: for tests, the demo and `send`.
 * With `at`, the payload's `triggeredAt` is set to it first (Bob's format),
 * so that a sample is a fresh delivery.
 */
export function signHiBobWebhook(
  payload: unknown,
  secret: string,
  options: { at?: Date } = {},
): { body: string; headers: Record<string, string> } {
  let body = typeof payload === "string" ? payload : JSON.stringify(payload);
  if (options.at) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    body = JSON.stringify({ ...parsed, triggeredAt: hiBobTimestamp(options.at) });
  }
  return {
    body,
    headers: { "content-type": "application/json", "bob-signature": hiBobSignature(body, secret) },
  };
}

function invalid(problems: FieldProblem[]): Normalised {
  return {
    ok: false,
    detail: `The HiBob webhook payload is not valid (${problems.length === 1 ? "1 field" : `${problems.length} fields`}).`,
    problems,
  };
}
