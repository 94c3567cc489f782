import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

/**
 * Webhook signatures. Every check works on the raw body bytes, before the
 * body is parsed, and answers a value: a wrong signature is an expected
 * outcome, not an exception.
 */

/** How far a signed timestamp may be from now, either way, before the request counts as a replay. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export type SignatureFailure =
  /** A signature or timestamp header is absent. */
  | "missing"
  /** A header is present but not in the expected form. */
  | "malformed"
  /** The timestamp is outside the replay window (too old or in the future). */
  | "expired"
  /** No signature matches the body with this source's secret. */
  | "mismatch";

export type SignatureCheck = { ok: true } | { ok: false; failure: SignatureFailure };

/** Header names are compared case-insensitively: callers pass them lower-cased. */
export type LowerCaseHeaders = Readonly<Record<string, string | undefined>>;

const STANDARD_SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

/** `whsec_` and a base64 key of at least 16 bytes, as Standard Webhooks secrets are written. */
export function isStandardWebhookSecret(secret: string): boolean {
  const key = STANDARD_SECRET.exec(secret)?.[1];
  return key !== undefined && Buffer.from(key, "base64").length >= 16;
}

/** A fresh Standard Webhooks secret (24 random bytes), e.g. for tests and local runs. */
export function newStandardWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * Standard Webhooks: `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, several
 * separated by spaces during a key rotation), verified by the standardwebhooks
 * package with its 5-minute tolerance either way.
 */
export function verifyStandardWebhook(
  rawBody: Buffer,
  headers: LowerCaseHeaders,
  secret: string,
): SignatureCheck {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signature = headers["webhook-signature"];
  if (!id || !timestamp || !signature) return { ok: false, failure: "missing" };
  // The package reads the timestamp with parseInt, which takes "123abc" for 123: be strict first.
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, failure: "malformed" };
  if (!/\bv1,\S/.test(signature)) return { ok: false, failure: "malformed" };
  try {
    new Webhook(secret).verify(
      rawBody,
      {
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature,
      },
      { jsonParse: false },
    );
    return { ok: true };
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    if (/timestamp too (old|new)/i.test(error.message)) return { ok: false, failure: "expired" };
    if (/missing/i.test(error.message)) return { ok: false, failure: "missing" };
    if (/invalid/i.test(error.message)) return { ok: false, failure: "malformed" };
    return { ok: false, failure: "mismatch" };
  }
}

/** The three headers a Standard Webhooks sender adds to a request with this body. */
export function signStandardWebhook(
  body: string,
  secret: string,
  options: { id?: string; at?: Date } = {},
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

/** HMAC-SHA256 of the given parts, one after the other, in lower-case hex. */
export function hmacSha256Hex(key: string, ...parts: (Buffer | string)[]): string {
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** Compares two hex digests in constant time; false for anything that is not a 64-digit hex string. */
export function sameHexDigest(given: string, expected: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(given) || !/^[0-9a-f]{64}$/.test(expected)) return false;
  return timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(expected, "hex"));
}

/** Whether an instant (ms since the epoch) is within the replay window of now. */
export function withinReplayWindow(atMs: number, nowMs: number): boolean {
  return Math.abs(nowMs - atMs) <= REPLAY_WINDOW_SECONDS * 1000;
}
