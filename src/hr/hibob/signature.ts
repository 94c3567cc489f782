import { createHmac, timingSafeEqual } from "node:crypto";
import type { LowerCaseHeaders, SignatureCheck } from "../signatures";

/**
 * HiBob's webhook signature (https://apidocs.hibob.com/docs/working-with-webhooks,
 * "Step 3: Authenticate your events"): `Bob-Signature` = base64 of
 * HMAC-SHA512 over the raw request body, keyed by the webhook's secret as
 * UTF-8 (the docs' Java example: `secret.getBytes(UTF_8)`). Nothing else is
 * signed and there is no timestamp header: freshness comes from the
 * `triggeredAt` inside the signed body (see `withinHiBobEventAge`).
 */
export const HIBOB_SIGNATURE_HEADER = "Bob-Signature";

/** HMAC-SHA512 is 64 bytes: 88 base64 characters with padding, 86 without. */
const BASE64_SHA512 = /^[A-Za-z0-9+/]{86}(==)?$/;

/**
 * Bob's connection test when a webhook is set up: the plain string
 * `Ping test`, then, if that fails, this JSON (working-with-webhooks,
 * "Step 2"). The plain string is not JSON and is refused (415 or 400); the
 * JSON one is answered 202. Whether either is signed is not documented.
 */
const JSON_PING = /^\s*\{\s*"text"\s*:\s*"Ping test"\s*\}\s*$/;

/** The body is Bob's connection test, as JSON: it asks for nothing but a 2xx. */
export function isHiBobPing(rawBody: Buffer): boolean {
  return rawBody.length < 64 && JSON_PING.test(rawBody.toString("utf8"));
}

export function hiBobSignature(body: Buffer | string, secret: string): string {
  return createHmac("sha512", Buffer.from(secret, "utf8")).update(body).digest("base64");
}

/**
 * Checks `Bob-Signature` over the exact bytes received, in constant time. An
 * unsigned request passes only when it is Bob's JSON connection test, which
 * queues nothing: refusing it would stop Bob from establishing the webhook if
 * its test is unsigned.
 */
export function verifyHiBobSignature(
  rawBody: Buffer,
  headers: LowerCaseHeaders,
  secret: string,
): SignatureCheck {
  const given = headers["bob-signature"]?.trim();
  if (!given) return isHiBobPing(rawBody) ? { ok: true } : { ok: false, failure: "missing" };
  if (!BASE64_SHA512.test(given)) return { ok: false, failure: "malformed" };
  const expected = Buffer.from(hiBobSignature(rawBody, secret), "base64");
  return timingSafeEqual(Buffer.from(given, "base64"), expected)
    ? { ok: true }
    : { ok: false, failure: "mismatch" };
}
