/**
 * Bob retries a delivery for up to 3 days: a delivery whose `triggeredAt` is
 * older than this is refused as a replay. Keep it under the worker's
 * idempotency TTL (7 days), so that any replay let in is a known duplicate.
 * Apart from the webhook's module so that the configuration does not load its schemas.
 */
export const DEFAULT_MAX_EVENT_AGE_HOURS = 96;
