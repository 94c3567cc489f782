import { aheadOfClockProblem } from "../domain/clock";
import { type HrEvent, hrEventSchema } from "../domain/hr";
import { type FieldProblem, fieldProblems } from "../domain/validation";
import * as z from "../domain/zod";
import { isStandardWebhookSecret, verifyStandardWebhook } from "./signatures";
import { MAX_EVENTS_PER_REQUEST, type Normalised, type WebhookSource } from "./webhook-source";

/**
 * The canonical format (POST /hr/events): one HR event, an array of 1 to 100,
 * or one event as the `data` of a CloudEvents 1.0 structured envelope
 * (`application/cloudevents+json`). Signed the Standard Webhooks way.
 */
export const CLOUDEVENTS_MEDIA_TYPE = "application/cloudevents+json";

/** The problems listed in one answer; a sender fixes these and sees the rest. */
const MAX_PROBLEMS = 100;

const cloudEventSchema = z.object({
  specversion: z.literal("1.0"),
  id: z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  time: z.optional(z.iso.datetime({ offset: true })),
  datacontenttype: z.optional(
    z
      .string()
      .check(z.regex(/^application\/([\w.-]+\+)?json\s*(;.*)?$/i, "must be a JSON media type")),
  ),
  data_base64: z.optional(z.never({ error: "is not supported: send the event as JSON in data" })),
  data: z.unknown().check(z.refine((data) => data !== undefined, "is required")),
});

export const canonicalSource: WebhookSource = {
  name: "canonical",
  signatureHeaders: ["webhook-id", "webhook-timestamp", "webhook-signature"],
  mediaTypes: ["application/json", CLOUDEVENTS_MEDIA_TYPE],
  acceptsSecret: isStandardWebhookSecret,
  verify: (rawBody, headers, secret) => verifyStandardWebhook(rawBody, headers, secret),
  normalise: (body, { mediaType, now }) => normaliseCanonical(body, mediaType, now),
};

/** `now`: the clock an event's occurredAt may not be too far ahead of (none: not checked). */
export function normaliseCanonical(
  body: unknown,
  mediaType = "application/json",
  now?: Date,
): Normalised {
  if (mediaType === CLOUDEVENTS_MEDIA_TYPE) return fromCloudEvent(body, now);
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > MAX_EVENTS_PER_REQUEST) {
      return invalid(`The array holds ${body.length} events.`, [
        {
          path: "(root)",
          message: `must hold 1 to ${MAX_EVENTS_PER_REQUEST} events, not ${body.length}`,
        },
      ]);
    }
    return validateAll(
      body.map((item, index) => ({ item, prefix: `[${index}]` })),
      now,
    );
  }
  if (body !== null && typeof body === "object") {
    if ("specversion" in body) {
      return invalid("The body is a CloudEvent sent as plain JSON.", [
        {
          path: "(root)",
          message: `is a CloudEvents envelope: send it with Content-Type ${CLOUDEVENTS_MEDIA_TYPE}`,
        },
      ]);
    }
    return validateAll([{ item: body, prefix: "" }], now);
  }
  return invalid("The body is not an HR event.", [
    {
      path: "(root)",
      message: `must be an HR event or an array of 1 to ${MAX_EVENTS_PER_REQUEST}`,
    },
  ]);
}

/**
 * The envelope's `id` and `time` stand in for the event's `eventId` and
 * `occurredAt` when `data` leaves them out; `data` wins when it has them.
 */
function fromCloudEvent(body: unknown, now: Date | undefined): Normalised {
  const envelope = cloudEventSchema.safeParse(body);
  if (!envelope.success)
    return invalid("The CloudEvents envelope is not valid.", fieldProblems(envelope.error));
  const { data, id, time } = envelope.data;
  const item =
    data !== null && typeof data === "object" && !Array.isArray(data)
      ? { eventId: id, ...(time === undefined ? {} : { occurredAt: time }), ...data }
      : data;
  return validateAll([{ item, prefix: "data" }], now);
}

function validateAll(
  items: { item: unknown; prefix: string }[],
  now: Date | undefined,
): Normalised {
  const problems: FieldProblem[] = [];
  const events: HrEvent[] = [];
  const seen = new Map<string, { prefix: string; json: string }>();
  for (const { item, prefix } of items) {
    const parsed = hrEventSchema.safeParse(item);
    if (!parsed.success) {
      problems.push(...fieldProblems(parsed.error).map((p) => withPrefix(prefix, p)));
      continue;
    }
    const event = parsed.data;
    const ahead = aheadOfClockProblem("occurredAt", event.occurredAt, now);
    if (ahead) {
      problems.push(withPrefix(prefix, ahead));
      continue;
    }
    const json = JSON.stringify(event);
    const earlier = seen.get(event.eventId);
    if (earlier === undefined) {
      seen.set(event.eventId, { prefix, json });
      events.push(event);
    } else if (earlier.json !== json) {
      // SQS would keep only the first of two messages with one deduplication id.
      problems.push({
        path: withPrefix(prefix, { path: "eventId", message: "" }).path,
        message: `repeats the eventId of ${earlier.prefix} for a different event`,
      });
    }
  }
  if (problems.length > 0) {
    const count = problems.length;
    const listed = problems.slice(0, MAX_PROBLEMS);
    return invalid(
      count > MAX_PROBLEMS
        ? `${count} fields are invalid; the first ${MAX_PROBLEMS} are listed.`
        : `${count === 1 ? "1 field is" : `${count} fields are`} invalid.`,
      listed,
    );
  }
  return { ok: true, events };
}

function withPrefix(prefix: string, problem: FieldProblem): FieldProblem {
  if (prefix === "") return problem;
  if (problem.path === "(root)") return { ...problem, path: prefix };
  const joiner = problem.path.startsWith("[") ? "" : ".";
  return { ...problem, path: `${prefix}${joiner}${problem.path}` };
}

function invalid(detail: string, problems: FieldProblem[]): Normalised {
  return { ok: false, detail, problems };
}
