import type { SecretSource } from "../app/ports/secrets";
import * as z from "../domain/zod";
import { isStandardWebhookSecret } from "../hr/signatures";
import {
  ConfigError,
  commonEnv,
  optionalSetting,
  parseEnv,
  positiveInt,
  type SecretSettings,
  secretRotationHours,
  secretSource,
} from "./env-settings";
import { hiBobWebhookEnv } from "./hibob-config";

/**
 * The hr-webhook's configuration, apart from the workers' (src/runtime/config.ts)
 * so that its bundle carries neither the rules file's parser nor the Connect settings.
 */

export const BAMBOOHR_SIGNATURE_ORDERS = ["body-timestamp", "timestamp-body"] as const;

export const webhookEnvSchema = z.object({
  ...commonEnv,
  /** The FIFO queue the sync-worker reads. */
  QUEUE_URL: z.url(),
  /** Standard Webhooks secret (`whsec_...`) for POST /hr/events: required. */
  CANONICAL_WEBHOOK_SECRET_REF: optionalSetting,
  CANONICAL_WEBHOOK_SECRET: optionalSetting,
  /** BambooHR webhook private key; unset: POST /hr/events/bamboohr answers 404. */
  BAMBOOHR_WEBHOOK_SECRET_REF: optionalSetting,
  BAMBOOHR_WEBHOOK_SECRET: optionalSetting,
  /** What BambooHR's HMAC covers: the raw body then the timestamp (unconfirmed by BambooHR's own text). */
  BAMBOOHR_SIGNATURE_ORDER: z._default(z.enum(BAMBOOHR_SIGNATURE_ORDERS), "body-timestamp"),
  ...hiBobWebhookEnv,
  /** SendMessageBatch attempts for entries SQS did not take before the request answers 503. */
  PUBLISH_ATTEMPTS: positiveInt(3),
  /** Hours after a rotation during which the previous signing secret still verifies; 0: never. */
  SECRET_ROTATION_HOURS: secretRotationHours,
});

export interface WebhookConfig extends SecretSettings {
  region: string;
  queueUrl: string;
  localMode: boolean;
  /** The signing secret of each enabled source. */
  secrets: { canonical: SecretSource; bamboohr?: SecretSource; hibob?: SecretSource };
  bambooHrSignatureOrder: (typeof BAMBOOHR_SIGNATURE_ORDERS)[number];
  /** How old a HiBob delivery's signed triggeredAt may be. */
  hiBobMaxEventAgeHours: number;
  publishAttempts: number;
  secretRotationHours: number;
}

export function loadWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const parsed = parseEnv(webhookEnvSchema, env);
  const canonical = secretSource(
    parsed,
    "CANONICAL_WEBHOOK_SECRET_REF",
    "CANONICAL_WEBHOOK_SECRET",
  );
  if (!canonical)
    throw new ConfigError(
      "CANONICAL_WEBHOOK_SECRET_REF is required (CANONICAL_WEBHOOK_SECRET in local mode)",
    );
  if (canonical.store === "env" && !isStandardWebhookSecret(canonical.value))
    throw new ConfigError(
      "CANONICAL_WEBHOOK_SECRET must be a Standard Webhooks secret: whsec_ and at least 16 bytes in base64",
    );
  const bamboohr = secretSource(parsed, "BAMBOOHR_WEBHOOK_SECRET_REF", "BAMBOOHR_WEBHOOK_SECRET");
  const hibob = secretSource(parsed, "HIBOB_WEBHOOK_SECRET_REF", "HIBOB_WEBHOOK_SECRET");
  return {
    region: parsed.AWS_REGION,
    queueUrl: parsed.QUEUE_URL,
    localMode: parsed.LOCAL_MODE,
    secrets: { canonical, ...(bamboohr ? { bamboohr } : {}), ...(hibob ? { hibob } : {}) },
    bambooHrSignatureOrder: parsed.BAMBOOHR_SIGNATURE_ORDER,
    hiBobMaxEventAgeHours: parsed.HIBOB_MAX_EVENT_AGE_HOURS,
    secretsMaxAgeSeconds: parsed.SECRETS_MAX_AGE_SECONDS,
    publishAttempts: parsed.PUBLISH_ATTEMPTS,
    secretRotationHours: parsed.SECRET_ROTATION_HOURS,
  };
}
