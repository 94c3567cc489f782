import { aheadOfClockProblem } from "../../domain/clock";
import { type HrEvent, type HrEventType, hrEventSchema } from "../../domain/hr";
import { type FieldProblem, fieldProblems } from "../../domain/validation";
import * as z from "../../domain/zod";
import { canonicalJson, deliveryId } from "../delivery-id";
import {
  hmacSha256Hex,
  type LowerCaseHeaders,
  type SignatureCheck,
  sameHexDigest,
  withinReplayWindow,
} from "../signatures";
import { BAMBOOHR_SOURCE } from "../source-names";
import { vendorEmployeeIdSchema } from "../vendor-employee-id";
import { MAX_EVENTS_PER_REQUEST, type Normalised, type WebhookSource } from "../webhook-source";

/**
 * BambooHR webhooks (POST /hr/events/bamboohr).
 *
 * Signature: `X-BambooHR-Signature` = hex HMAC-SHA256, keyed by the webhook's
 * private key, of the raw body followed by the `X-BambooHR-Timestamp` value
 * (the order comes from independent verifiers, not BambooHR's own text:
 * `timestamp-body` can be configured). The timestamp is read as Unix seconds
 * (13 digits: milliseconds; an ISO 8601 instant is accepted too) and must be
 * within 5 minutes of now, either way.
 *
 * Payloads are thin: they name the employee, whose record the worker reads
 * from BambooHR's API. Both the event-based shape
 * `{type: "employee.created" | "employee.updated" | "employee.deleted", timestamp, data: {employeeId, changedFields}}`
 * and the legacy field-based shape `{employees: [{id, action, timestamp, changedFields, fields}]}` are accepted.
 */

export type SignatureOrder = "body-timestamp" | "timestamp-body";

const EVENT_TYPES: Record<string, HrEventType> = {
  "employee.created": "joiner",
  "employee.updated": "mover",
  "employee.deleted": "leaver",
};

const LEGACY_ACTIONS: Record<string, HrEventType> = {
  created: "joiner",
  updated: "mover",
  deleted: "leaver",
};

export function bambooHrSource(options: { signatureOrder?: SignatureOrder } = {}): WebhookSource {
  const order = options.signatureOrder ?? "body-timestamp";
  return {
    name: BAMBOOHR_SOURCE,
    signatureHeaders: ["X-BambooHR-Signature", "X-BambooHR-Timestamp"],
    mediaTypes: ["application/json"],
    acceptsSecret: (secret) => secret.length > 0,
    verify: (rawBody, headers, secret, now) =>
      verifyBambooHrSignature(rawBody, headers, secret, now, order),
    normalise: (body, { now }) => normaliseBambooHr(body, now),
  };
}

/** `X-BambooHR-Timestamp` as ms since the epoch, or undefined when it is no instant we know. */
export function parseBambooHrTimestamp(value: string): number | undefined {
  const text = value.trim();
  if (/^\d{1,11}$/.test(text)) return Number(text) * 1000;
  if (/^\d{13}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const ms = Date.parse(normaliseOffset(text));
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export function verifyBambooHrSignature(
  rawBody: Buffer,
  headers: LowerCaseHeaders,
  privateKey: string,
  now: Date,
  order: SignatureOrder = "body-timestamp",
): SignatureCheck {
  const signature = headers["x-bamboohr-signature"]?.trim().replace(/^sha256=/i, "");
  const timestamp = headers["x-bamboohr-timestamp"]?.trim();
  if (!signature || !timestamp) return { ok: false, failure: "missing" };
  const at = parseBambooHrTimestamp(timestamp);
  if (at === undefined || !/^[0-9a-fA-F]{64}$/.test(signature))
    return { ok: false, failure: "malformed" };
  if (!withinReplayWindow(at, now.getTime())) return { ok: false, failure: "expired" };
  const expected =
    order === "body-timestamp"
      ? hmacSha256Hex(privateKey, rawBody, timestamp)
      : hmacSha256Hex(privateKey, timestamp, rawBody);
  return sameHexDigest(signature, expected) ? { ok: true } : { ok: false, failure: "mismatch" };
}

/** A BambooHR webhook request as BambooHR would send it: for tests, the demo and the fake. */
export function signBambooHrWebhook(
  payload: unknown,
  privateKey: string,
  options: { at?: Date; order?: SignatureOrder } = {},
): { body: string; headers: Record<string, string> } {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const timestamp = String(Math.floor((options.at ?? new Date()).getTime() / 1000));
  const signature =
    (options.order ?? "body-timestamp") === "body-timestamp"
      ? hmacSha256Hex(privateKey, body, timestamp)
      : hmacSha256Hex(privateKey, timestamp, body);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-bamboohr-timestamp": timestamp,
      "x-bamboohr-signature": signature,
    },
  };
}

const changedFields = z.optional(
  z.array(z.string().check(z.maxLength(256))).check(z.maxLength(500)),
);

const timestamp = z.string().check(z.minLength(1), z.maxLength(64));

const eventBasedSchema = z.object({
  type: z.enum(Object.keys(EVENT_TYPES) as [string, ...string[]]),
  timestamp,
  data: z.object({
    companyId: z.optional(z.union([z.string(), z.number()])),
    employeeId: vendorEmployeeIdSchema,
    changedFields,
  }),
});

const legacySchema = z.object({
  employees: z
    .array(
      z.object({
        id: vendorEmployeeIdSchema,
        action: z.pipe(
          z.string().check(z.toLowerCase()),
          z.enum(Object.keys(LEGACY_ACTIONS) as [string, ...string[]]),
        ),
        timestamp,
        changedFields,
        fields: z.optional(z.record(z.string(), z.unknown())),
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_REQUEST)),
});

/** The payload as thin canonical events, all or none (the route makes their source "bamboohr"). */
export function normaliseBambooHr(body: unknown, now?: Date): Normalised {
  const legacy = body !== null && typeof body === "object" && "employees" in body;
  if (legacy) {
    const parsed = legacySchema.safeParse(body);
    if (!parsed.success) return invalid(fieldProblems(parsed.error));
    return thinEvents(
      now,
      parsed.data.employees.map((entry, index) => ({
        path: `employees[${index}]`,
        type: LEGACY_ACTIONS[entry.action] as HrEventType,
        employeeId: entry.id,
        timestamp: entry.timestamp,
        identity: [
          "legacy",
          entry.action,
          entry.id,
          entry.timestamp,
          sorted(entry.changedFields),
          canonicalJson(entry.fields ?? {}),
        ],
      })),
    );
  }
  const parsed = eventBasedSchema.safeParse(body);
  if (!parsed.success) return invalid(fieldProblems(parsed.error));
  const { type, timestamp, data } = parsed.data;
  return thinEvents(now, [
    {
      path: "",
      type: EVENT_TYPES[type] as HrEventType,
      employeeId: data.employeeId,
      timestamp,
      identity: [
        type,
        String(data.companyId ?? ""),
        data.employeeId,
        timestamp,
        sorted(data.changedFields),
      ],
    },
  ]);
}

interface ThinEvent {
  path: string;
  type: HrEventType;
  employeeId: string;
  timestamp: string;
  /** What makes the delivery this delivery: a retry of it has the same, another event not. */
  identity: unknown[];
}

function thinEvents(now: Date | undefined, entries: ThinEvent[]): Normalised {
  const events: HrEvent[] = [];
  const problems: FieldProblem[] = [];
  for (const entry of entries) {
    const occurredAt = bambooHrInstant(entry.timestamp);
    const at = entry.path === "" ? "timestamp" : `${entry.path}.timestamp`;
    if (occurredAt === undefined) {
      problems.push({
        path: at,
        message: "must be a date and time such as 2026-01-31T18:42:00+0000",
      });
      continue;
    }
    const ahead = aheadOfClockProblem(at, occurredAt, now);
    if (ahead) {
      problems.push(ahead);
      continue;
    }
    const event = hrEventSchema.safeParse({
      eventId: deliveryId(BAMBOOHR_SOURCE, entry.identity),
      type: entry.type,
      employeeId: entry.employeeId,
      occurredAt,
    });
    if (!event.success) {
      const prefix = entry.path === "" ? "" : `${entry.path}.`;
      problems.push(...fieldProblems(event.error).map((p) => ({ ...p, path: prefix + p.path })));
      continue;
    }
    events.push(event.data);
  }
  if (problems.length > 0) return invalid(problems);
  // Two legacy entries that are the same delivery are one event.
  const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
  return { ok: true, events: unique };
}

/**
 * BambooHR's `2026-01-31T18:42:00+0000` (also with a space for the `T`, or
 * without an offset, read as UTC) as an ISO 8601 instant in UTC.
 */
export function bambooHrInstant(value: string): string | undefined {
  const match =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, date = "", time = "", offset] = match;
  if (!realDate(date, time)) return undefined;
  const ms = Date.parse(`${date}T${time}${normaliseOffset(offset ?? "Z")}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Date.parse would roll 2026-02-30 over to March: check the calendar and the clock. */
function realDate(date: string, time: string): boolean {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hours, minutes, seconds = 0] = time.split(":").map(Number) as [number, number, number?];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return (
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    hours < 24 &&
    minutes < 60 &&
    seconds < 60
  );
}

/** `+0000` -> `+00:00`; anything else as it is. */
function normaliseOffset(text: string): string {
  return text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
}

function sorted(values: string[] | undefined): string[] {
  return [...(values ?? [])].sort();
}

function invalid(problems: FieldProblem[]): Normalised {
  return {
    ok: false,
    detail: `The BambooHR webhook payload is not valid (${problems.length === 1 ? "1 field" : `${problems.length} fields`}).`,
    problems,
  };
}
