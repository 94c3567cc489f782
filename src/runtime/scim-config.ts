import type { SecretSource } from "../app/ports/secrets";
import { isScimToken } from "../app/scim/authenticate";
import type { IdentityMode } from "../domain/connect-limits";
import * as z from "../domain/zod";
import { commonEnv, loadRulesFile, parseEnv, rulesEnv, type SecretSettings } from "./config";
import {
  ConfigError,
  positiveInt,
  requiredSetting,
  secretRotationHours,
  secretSource,
} from "./env-settings";

/**
 * The scim function's configuration (see config.ts for the conventions).
 * It reads the sync rules only for their identity mode: a userName that
 * Connect would refuse is refused when the IdP sends it.
 */

export const scimEnvSchema = z.object({
  ...commonEnv,
  ...rulesEnv,
  /** The FIFO queue the sync-worker reads: SCIM changes join the webhooks' events there. */
  QUEUE_URL: z.url(),
  SCIM_USERS_TABLE: requiredSetting,
  /** The bearer token(s): `secretsmanager:<name>` or `ssm:<name>`; SCIM_TOKEN holds one in local mode. */
  SCIM_TOKEN_REF: z.optional(z.string().check(z.trim())),
  SCIM_TOKEN: z.optional(z.string().check(z.trim())),
  /** The public base of the endpoint (a custom domain); unset: worked out from each request. */
  SCIM_BASE_URL: z.optional(
    z.union([z.literal(""), z.url().check(z.regex(/^https?:\/\//, "must be an http(s) URL"))]),
  ),
  PUBLISH_ATTEMPTS: positiveInt(3),
  /** Hours after a rotation during which the previous token is still accepted; 0: never. */
  SECRET_ROTATION_HOURS: secretRotationHours,
});

export interface ScimConfig extends SecretSettings {
  region: string;
  queueUrl: string;
  tables: { scimUsers: string };
  token: SecretSource;
  identityMode: IdentityMode;
  baseUrl?: string;
  publishAttempts: number;
  secretRotationHours: number;
}

export function loadScimConfig(env: NodeJS.ProcessEnv = process.env): ScimConfig {
  const parsed = parseEnv(scimEnvSchema, env);
  const token = secretSource(
    {
      ...parsed,
      SCIM_TOKEN_REF: parsed.SCIM_TOKEN_REF || undefined,
      SCIM_TOKEN: parsed.SCIM_TOKEN || undefined,
    },
    "SCIM_TOKEN_REF",
    "SCIM_TOKEN",
  );
  if (!token) throw new ConfigError("SCIM_TOKEN_REF is required (SCIM_TOKEN in local mode)");
  if (token.store === "env" && !isScimToken(token.value))
    throw new ConfigError("SCIM_TOKEN must be at least 32 visible characters without white space");
  return {
    region: parsed.AWS_REGION,
    queueUrl: parsed.QUEUE_URL,
    tables: { scimUsers: parsed.SCIM_USERS_TABLE },
    token,
    identityMode: loadRulesFile(parsed.SYNC_RULES_FILE).identity.mode,
    ...(parsed.SCIM_BASE_URL ? { baseUrl: parsed.SCIM_BASE_URL.replace(/\/+$/, "") } : {}),
    secretsMaxAgeSeconds: parsed.SECRETS_MAX_AGE_SECONDS,
    publishAttempts: parsed.PUBLISH_ATTEMPTS,
    secretRotationHours: parsed.SECRET_ROTATION_HOURS,
  };
}
