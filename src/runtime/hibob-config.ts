import type { SecretSource } from "../app/ports/secrets";
import * as z from "../domain/zod";
import { DEFAULT_MAX_EVENT_AGE_HOURS } from "../hr/hibob/max-event-age";
import { ConfigError, optionalSetting, positiveInt, secretSource } from "./env-settings";

/**
 * HiBob's variables: the webhook's signing secret and replay window (hr-webhook),
 * and the People API's service user (sync-worker, reconcile).
 */

/** With HIBOB_SERVICE_USER_ID set, thin HiBob events are read from HiBob's People API. */
export const hiBobDirectoryEnv = {
  /** `https://api.hibob.com`; a sandbox is `https://api.sandbox.hibob.com`. */
  HIBOB_API_URL: z._default(z.url(), "https://api.hibob.com"),
  /** The service user's id (Settings > Integrations > Service users); unset: no HiBob directory. */
  HIBOB_SERVICE_USER_ID: z.pipe(
    optionalSetting,
    z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9._-]{1,128}$/, "must be a HiBob service user id")),
    ),
  ),
  HIBOB_API_TOKEN_REF: optionalSetting,
  /** Local mode only. */
  HIBOB_API_TOKEN: optionalSetting,
  HIBOB_TIMEOUT_MS: positiveInt(10_000),
};

/** The webhook's secret, from the Bob UI's webhook settings; unset: POST /hr/events/hibob answers 404. */
export const hiBobWebhookEnv = {
  HIBOB_WEBHOOK_SECRET_REF: optionalSetting,
  /** Local mode only. */
  HIBOB_WEBHOOK_SECRET: optionalSetting,
  /**
   * How old a delivery's signed `triggeredAt` may be. Bob retries for up to 3
   * days; keep it under the worker's IDEMPOTENCY_TTL_SECONDS (7 days).
   */
  HIBOB_MAX_EVENT_AGE_HOURS: z._default(
    z.coerce
      .number()
      .check(
        z.int(),
        z.minimum(1),
        z.maximum(168, "must be at most 168 (the worker's 7-day idempotency window)"),
      ),
    DEFAULT_MAX_EVENT_AGE_HOURS,
  ),
};

export interface HiBobDirectorySettings {
  apiUrl: string;
  serviceUserId: string;
  token: SecretSource;
  timeoutMs: number;
}

type DirectoryEnv = { LOCAL_MODE: boolean } & z.infer<z.ZodMiniObject<typeof hiBobDirectoryEnv>>;

/** HiBob's directory settings, or undefined when HIBOB_SERVICE_USER_ID is unset. */
export function hiBobDirectorySettings(env: DirectoryEnv): HiBobDirectorySettings | undefined {
  const token = secretSource(env, "HIBOB_API_TOKEN_REF", "HIBOB_API_TOKEN");
  if (env.HIBOB_SERVICE_USER_ID === undefined) return undefined;
  if (!token)
    throw new ConfigError(
      "HIBOB_SERVICE_USER_ID is set but HIBOB_API_TOKEN_REF is not (HIBOB_API_TOKEN in local mode)",
    );
  return {
    apiUrl: env.HIBOB_API_URL.replace(/\/+$/, ""),
    serviceUserId: env.HIBOB_SERVICE_USER_ID,
    token,
    timeoutMs: env.HIBOB_TIMEOUT_MS,
  };
}
