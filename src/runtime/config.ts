import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseSyncRules, type SyncRules } from "../domain/rules";
import { describeProblems, fieldProblems } from "../domain/validation";
import { isStandardWebhookSecret } from "../hr/signatures";
import { parseSecretRef, type SecretSource } from "./secrets";

/** The environment is wrong: the function cannot start. Names the variables, never their values. */
export class ConfigError extends Error {
  constructor(detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = "ConfigError";
  }
}

const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** An empty variable counts as unset (serverless params default to ""). */
const optionalSetting = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/** Secrets from plain environment variables are for a laptop only: AWS reads them from a store. */
const localMode = z.stringbool().default(false);

export const workerEnvSchema = z.object({
  CONNECT_INSTANCE_ID: z.string().min(1).max(100),
  AWS_REGION: z.string().min(1),
  EMPLOYEES_TABLE: z.string().min(1),
  AUDIT_TABLE: z.string().min(1),
  IDEMPOTENCY_TABLE: z.string().min(1),
  DLQ_URL: z.url(),
  SYNC_RULES_FILE: z.string().min(1).default("config/sync-rules.yaml"),
  /** This worker's share of the Connect quota: the account's rate divided by the worker concurrency. */
  CONNECT_RPS: positiveNumber(2),
  CONNECT_BURST: positiveInt(5),
  CONNECT_MAX_ATTEMPTS: positiveInt(6),
  AUDIT_RETENTION_DAYS: positiveInt(400),
  /** How long a processed eventId is remembered; later duplicates are still harmless, only dearer. */
  IDEMPOTENCY_TTL_SECONDS: positiveInt(7 * 86_400),
  ...bambooHrDirectoryEnv(),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema> & { rules: SyncRules };

export const reconcileEnvSchema = z.object({
  CONNECT_INSTANCE_ID: z.string().min(1).max(100),
  AWS_REGION: z.string().min(1),
  EMPLOYEES_TABLE: z.string().min(1),
  RECONCILE_RUNS_TABLE: z.string().min(1),
  /** Repairs go to the worker's FIFO queue. */
  QUEUE_URL: z.url(),
  SYNC_RULES_FILE: z.string().min(1).default("config/sync-rules.yaml"),
  CONNECT_RPS: positiveNumber(2),
  CONNECT_BURST: positiveInt(5),
  CONNECT_MAX_ATTEMPTS: positiveInt(6),
  RECONCILE_RETENTION_DAYS: positiveInt(90),
  /** With BAMBOOHR_COMPANY_DOMAIN set, the roster is BambooHR's directory; otherwise the stored records. */
  ...bambooHrDirectoryEnv(),
});

export type ReconcileConfig = z.infer<typeof reconcileEnvSchema> & { rules: SyncRules };

/** The settings every Connect gateway needs. */
export type ConnectSettings = Pick<
  WorkerConfig,
  "CONNECT_INSTANCE_ID" | "CONNECT_RPS" | "CONNECT_BURST" | "CONNECT_MAX_ATTEMPTS"
>;

/** The settings a BambooHR directory needs. */
export type BambooHrDirectoryEnv = Pick<
  WorkerConfig,
  | "LOCAL_MODE"
  | "BAMBOOHR_API_URL"
  | "BAMBOOHR_COMPANY_DOMAIN"
  | "BAMBOOHR_API_KEY_REF"
  | "BAMBOOHR_API_KEY"
  | "BAMBOOHR_TIMEOUT_MS"
  | "SECRETS_MAX_AGE_SECONDS"
>;

export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(describeProblems(fieldProblems(result.error)));
  return result.data;
}

export function loadRulesFile(path: string): SyncRules {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the rules file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseSyncRules(text, path);
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = parseEnv(workerEnvSchema, env);
  bambooHrDirectorySettings(parsed);
  return { ...parsed, rules: loadRulesFile(parsed.SYNC_RULES_FILE) };
}

export function loadReconcileConfig(env: NodeJS.ProcessEnv = process.env): ReconcileConfig {
  const parsed = parseEnv(reconcileEnvSchema, env);
  bambooHrDirectorySettings(parsed);
  return { ...parsed, rules: loadRulesFile(parsed.SYNC_RULES_FILE) };
}

/** The worker reads thin BambooHR events' records from BambooHR's REST API when these are set. */
function bambooHrDirectoryEnv() {
  return {
    LOCAL_MODE: localMode,
    BAMBOOHR_API_URL: z.url().default("https://api.bamboohr.com/api/gateway.php"),
    /** The company's BambooHR subdomain; unset: no BambooHR directory. */
    BAMBOOHR_COMPANY_DOMAIN: optionalSetting.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9-]{1,63}$/, "must be a BambooHR company subdomain")
        .optional(),
    ),
    BAMBOOHR_API_KEY_REF: optionalSetting,
    /** Local mode only. */
    BAMBOOHR_API_KEY: optionalSetting,
    BAMBOOHR_TIMEOUT_MS: positiveInt(10_000),
    SECRETS_MAX_AGE_SECONDS: positiveInt(300),
  };
}

export interface BambooHrDirectorySettings {
  apiUrl: string;
  companyDomain: string;
  apiKey: SecretSource;
  timeoutMs: number;
}

/** The worker's BambooHR directory settings, or undefined when BAMBOOHR_COMPANY_DOMAIN is unset. */
export function bambooHrDirectorySettings(
  config: BambooHrDirectoryEnv,
): BambooHrDirectorySettings | undefined {
  const apiKey = secretSource(config, "BAMBOOHR_API_KEY_REF", "BAMBOOHR_API_KEY");
  if (config.BAMBOOHR_COMPANY_DOMAIN === undefined) return undefined;
  if (!apiKey)
    throw new ConfigError(
      "BAMBOOHR_COMPANY_DOMAIN is set but BAMBOOHR_API_KEY_REF is not (BAMBOOHR_API_KEY in local mode)",
    );
  return {
    apiUrl: config.BAMBOOHR_API_URL.replace(/\/+$/, ""),
    companyDomain: config.BAMBOOHR_COMPANY_DOMAIN,
    apiKey,
    timeoutMs: config.BAMBOOHR_TIMEOUT_MS,
  };
}

/**
 * One secret from a reference variable (`secretsmanager:...`, `ssm:...`, an
 * ARN) or, only when LOCAL_MODE is true, from a variable holding the value.
 * Errors name the variables, never their values.
 */
function secretSource(
  env: { LOCAL_MODE: boolean } & Record<string, unknown>,
  refVariable: string,
  valueVariable: string,
): SecretSource | undefined {
  // `secretsmanager:` with no name is what serverless.yml passes for a source left off.
  const given = env[refVariable] as string | undefined;
  const ref = given === undefined || /^(secretsmanager|ssm):\s*$/.test(given) ? undefined : given;
  const value = env[valueVariable] as string | undefined;
  if (value !== undefined && !env.LOCAL_MODE)
    throw new ConfigError(
      `${valueVariable} may hold a secret only when LOCAL_MODE=true; in AWS set ${refVariable} to a Secrets Manager or SSM reference`,
    );
  if (value !== undefined && ref !== undefined)
    throw new ConfigError(`set ${refVariable} or ${valueVariable}, not both`);
  if (value !== undefined) return { store: "env", variable: valueVariable, value };
  if (ref === undefined) return undefined;
  const source = parseSecretRef(ref);
  if (!source)
    throw new ConfigError(
      `${refVariable} must be secretsmanager:<name or ARN>, ssm:<parameter name> or an ARN`,
    );
  return source;
}

export const BAMBOOHR_SIGNATURE_ORDERS = ["body-timestamp", "timestamp-body"] as const;

export const webhookEnvSchema = z.object({
  AWS_REGION: z.string().min(1),
  /** The FIFO queue the sync-worker reads. */
  QUEUE_URL: z.url(),
  LOCAL_MODE: localMode,
  /** Standard Webhooks secret (`whsec_...`) for POST /hr/events: required. */
  CANONICAL_WEBHOOK_SECRET_REF: optionalSetting,
  CANONICAL_WEBHOOK_SECRET: optionalSetting,
  /** BambooHR webhook private key; unset: POST /hr/events/bamboohr answers 404. */
  BAMBOOHR_WEBHOOK_SECRET_REF: optionalSetting,
  BAMBOOHR_WEBHOOK_SECRET: optionalSetting,
  /** What BambooHR's HMAC covers: the raw body then the timestamp (unconfirmed by BambooHR's own text). */
  BAMBOOHR_SIGNATURE_ORDER: z.enum(BAMBOOHR_SIGNATURE_ORDERS).default("body-timestamp"),
  SECRETS_MAX_AGE_SECONDS: positiveInt(300),
  /** SendMessageBatch attempts for entries SQS did not take before the request answers 503. */
  PUBLISH_ATTEMPTS: positiveInt(3),
});

export interface WebhookConfig {
  region: string;
  queueUrl: string;
  localMode: boolean;
  /** The signing secret of each enabled source. */
  secrets: { canonical: SecretSource; bamboohr?: SecretSource };
  bambooHrSignatureOrder: (typeof BAMBOOHR_SIGNATURE_ORDERS)[number];
  secretsMaxAgeSeconds: number;
  publishAttempts: number;
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
  return {
    region: parsed.AWS_REGION,
    queueUrl: parsed.QUEUE_URL,
    localMode: parsed.LOCAL_MODE,
    secrets: bamboohr ? { canonical, bamboohr } : { canonical },
    bambooHrSignatureOrder: parsed.BAMBOOHR_SIGNATURE_ORDER,
    secretsMaxAgeSeconds: parsed.SECRETS_MAX_AGE_SECONDS,
    publishAttempts: parsed.PUBLISH_ATTEMPTS,
  };
}
