import type { SyncRequest } from "../domain/sync-request";
import type { FieldProblem } from "../domain/validation";
import { parseJsonBody } from "../hr/json-body";
import type { LowerCaseHeaders, SignatureCheck, SignatureFailure } from "../hr/signatures";
import type { WebhookSource } from "../hr/webhook-source";
import { type EventQueue, type PublishResult, sqsSafeJson } from "./ports/queue";
import {
  type SecretSource,
  SecretUnavailableError,
  type SigningSecretReader,
  type SigningSecrets,
} from "./ports/secrets";

/**
 * The HR webhook use case: route by source, check size and media type,
 * verify the signature over the raw bytes, only then parse, normalise to
 * canonical events and queue them all. A request is all or nothing: every
 * refusal happens before anything is queued, and a request whose events are
 * not all queued is answered "try again" (the retry is harmless: SQS drops
 * repeated deduplication ids and the worker is idempotent per eventId).
 * While a signing secret is rotated, the current and the previous one both
 * verify; a signature that matches neither of the cached ones is checked once
 * more against the store's values, so a sender that switched to a new secret
 * is not refused until the cache expires.
 */

/** The largest body accepted, and the most the queued events of one request may add up to (SQS's classic limit). */
export const MAX_BODY_BYTES = 256 * 1024;

/** The source of `POST /hr/events`. */
export const DEFAULT_SOURCE = "canonical";

export interface WebhookRequest {
  /** The `{source}` path parameter; undefined for `POST /hr/events`. */
  source?: string;
  /** Header names in lower case; repeated headers joined with commas. */
  headers: LowerCaseHeaders;
  /** The exact bytes the sender signed. */
  body: Buffer;
}

export type IngestOutcome =
  /** `secret`: which of the signing secrets verified (the previous one while a rotation lasts). */
  | { kind: "accepted"; source: string; events: SyncRequest[]; secret: "current" | "previous" }
  | { kind: "unknown-source" }
  | { kind: "too-large"; source: string; bytes: number; limit: number; what: "body" | "events" }
  | {
      kind: "unsupported-media-type";
      source: string;
      accepted: readonly string[];
      reason: "content-type" | "charset" | "content-encoding";
    }
  | {
      kind: "unauthorized";
      source: string;
      failure: SignatureFailure;
      signatureHeaders: readonly string[];
    }
  | { kind: "invalid"; source: string; detail: string; problems: FieldProblem[] }
  /** Nothing is wrong with the request; the queue or the secret store is: the sender should retry. */
  | {
      kind: "unavailable";
      source: string;
      what: "queue" | "secret";
      errorName: string;
      /** Events SQS did not take (queue only); the others of the request were queued. */
      failed?: PublishResult["failed"];
      queued?: string[];
    }
  /** The stored secret does not have the form the source needs: an operator must fix it. */
  | { kind: "misconfigured"; source: string; problem: string };

/** A source's adapter, or what loads it with the source's first request (a vendor's schemas). */
export type AdapterOrLoader = WebhookSource | (() => Promise<WebhookSource>);

export interface IngestDeps {
  /** Enabled sources by name, each with where its signing secret lives. */
  sources: ReadonlyMap<string, { adapter: AdapterOrLoader; secret: SecretSource }>;
  secrets: SigningSecretReader;
  publisher: EventQueue;
  now: () => Date;
}

export async function ingestWebhook(
  request: WebhookRequest,
  deps: IngestDeps,
): Promise<IngestOutcome> {
  const source = (request.source ?? DEFAULT_SOURCE).toLowerCase();
  const entry = deps.sources.get(source);
  if (!entry) return { kind: "unknown-source" };
  const adapter = typeof entry.adapter === "function" ? await entry.adapter() : entry.adapter;

  if (request.body.length > MAX_BODY_BYTES)
    return {
      kind: "too-large",
      source,
      bytes: request.body.length,
      limit: MAX_BODY_BYTES,
      what: "body",
    };

  const media = checkMediaType(request.headers, adapter.mediaTypes);
  if (!media.ok)
    return {
      kind: "unsupported-media-type",
      source,
      accepted: adapter.mediaTypes,
      reason: media.reason,
    };

  const read = async (refresh: boolean): Promise<SigningSecrets | IngestOutcome> => {
    try {
      return await deps.secrets.signingSecrets(entry.secret, { refresh });
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      return { kind: "unavailable", source, what: "secret", errorName: error.name };
    }
  };
  const check = (secrets: SigningSecrets): Verification | IngestOutcome => {
    const [current = ""] = secrets.values;
    if (!adapter.acceptsSecret(current))
      return {
        kind: "misconfigured",
        source,
        problem: `the ${source} signing secret does not have the expected form`,
      };
    return verifyWithAny(adapter, request, secrets.values, deps.now());
  };

  let secrets = await read(false);
  if ("kind" in secrets) return secrets;
  let verification = check(secrets);
  if (isMismatch(verification) && secrets.refreshable) {
    // The sender may have switched to a secret this container has not read yet.
    secrets = await read(true);
    if ("kind" in secrets) return secrets;
    verification = check(secrets);
  }
  if ("kind" in verification) return verification;
  if (!verification.signature.ok)
    return {
      kind: "unauthorized",
      source,
      failure: verification.signature.failure,
      signatureHeaders: adapter.signatureHeaders,
    };

  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return { kind: "invalid", source, ...pick(parsed) };
  const normalised = adapter.normalise(parsed.value, {
    mediaType: media.type,
    rawBody: request.body,
    now: deps.now(),
  });
  if (!normalised.ok) return { kind: "invalid", source, ...pick(normalised) };
  // The route decides the source, never the body.
  const events = normalised.events.map((event) => ({ ...event, source }));

  const queuedBytes = events.reduce((sum, e) => sum + Buffer.byteLength(sqsSafeJson(e)), 0);
  if (queuedBytes > MAX_BODY_BYTES)
    return { kind: "too-large", source, bytes: queuedBytes, limit: MAX_BODY_BYTES, what: "events" };

  let published: PublishResult;
  try {
    published = await deps.publisher.publish(events);
  } catch (error) {
    return {
      kind: "unavailable",
      source,
      what: "queue",
      errorName: error instanceof Error ? error.name : "UnknownError",
      failed: events.map((e) => ({ eventId: e.eventId, code: "NotSent" })),
      queued: [],
    };
  }
  if (published.failed.length > 0)
    return {
      kind: "unavailable",
      source,
      what: "queue",
      errorName: published.failed[0]?.code ?? "Unknown",
      failed: published.failed,
      queued: published.queued,
    };
  return { kind: "accepted", source, events, secret: verification.secret };
}

interface Verification {
  signature: SignatureCheck;
  secret: "current" | "previous";
}

/** The first secret the signature verifies with; otherwise the current secret's failure. */
function verifyWithAny(
  adapter: WebhookSource,
  request: WebhookRequest,
  values: readonly string[],
  now: Date,
): Verification {
  const [current = "", ...others] = values;
  const signature = adapter.verify(request.body, request.headers, current, now);
  if (signature.ok || signature.failure !== "mismatch") return { signature, secret: "current" };
  for (const previous of others.filter((value) => adapter.acceptsSecret(value))) {
    const again = adapter.verify(request.body, request.headers, previous, now);
    if (again.ok) return { signature: again, secret: "previous" };
  }
  return { signature, secret: "current" };
}

const isMismatch = (v: Verification | IngestOutcome) =>
  "signature" in v && !v.signature.ok && v.signature.failure === "mismatch";

function pick(refusal: { detail: string; problems: FieldProblem[] }) {
  return { detail: refusal.detail, problems: refusal.problems };
}

type MediaCheck =
  | { ok: true; type: string }
  | { ok: false; reason: "content-type" | "charset" | "content-encoding" };

/** `type/subtype` among the accepted ones; a charset parameter, if any, must be UTF-8; no content coding. */
export function checkMediaType(headers: LowerCaseHeaders, accepted: readonly string[]): MediaCheck {
  const encoding = headers["content-encoding"]?.trim().toLowerCase();
  if (encoding && encoding !== "identity") return { ok: false, reason: "content-encoding" };
  const [type = "", ...parameters] = (headers["content-type"] ?? "").split(";");
  const mediaType = type.trim().toLowerCase();
  if (!accepted.includes(mediaType)) return { ok: false, reason: "content-type" };
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = value
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return { ok: false, reason: "charset" };
  }
  return { ok: true, type: mediaType };
}
