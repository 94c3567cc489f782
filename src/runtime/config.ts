import type { SecretSource } from "../app/ports/secrets";
import type { ConnectOperationName } from "../connect/model/index";
import {
  parseQuotaSpec,
  perOperationLimits,
  type QuotaOverrides,
  type RateLimit,
} from "../connect/quota-spec";
import type { SyncRules } from "../domain/rules";
import * as z from "../domain/zod";
import {
  ConfigError,
  commonEnv,
  optionalSetting,
  parseEnv,
  positiveInt,
  requiredSetting,
  type SecretSettings,
  secretSource,
} from "./env-settings";
import {
  type HiBobDirectorySettings,
  hiBobDirectoryEnv,
  hiBobDirectorySettings,
} from "./hibob-config";
import { loadRosterConfig, type RosterConfig, rostersEnv } from "./roster-config";
import { loadRulesFile } from "./rules-file";

export { ConfigError, commonEnv, parseEnv, type SecretSettings } from "./env-settings";
export { loadRulesFile } from "./rules-file";

/**
 * Each Lambda's configuration, read once per container from its environment
 * (the variables serverless.yml sets) and checked with zod. Variables are
 * UPPER_CASE as the environment spells them; what the code reads is a
 * camelCase settings object. Errors name the variables, never their values.
 */

/** How a function reaches Connect. */
export const connectEnv = {
  CONNECT_INSTANCE_ID: z.string().check(z.minLength(1), z.maxLength(100)),
  /**
   * Connect's quotas for this account and Region, per operation
   * (`CreateUser=2/5,DescribeUser=10/5`: rate/burst); operations not named keep
   * the documented defaults (src/connect/quotas.ts). docs/deploy.md, "Connect quotas".
   */
  CONNECT_QUOTAS: z.pipe(
    z._default(z.string(), ""),
    z.transform((spec: string, context) => {
      try {
        return parseQuotaSpec(spec);
      } catch (error) {
        context.issues.push({ code: "custom", message: (error as Error).message, input: spec });
        return z.NEVER;
      }
    }),
  ),
  /** The fraction of each quota the service may use: the rest is left to other tools. */
  CONNECT_QUOTA_SHARE: z._default(z.coerce.number().check(z.gt(0), z.lte(1)), 1),
  /** The table of the budgets every caller shares; unset: this process paces itself alone. */
  BUDGET_TABLE: optionalSetting,
  /**
   * The first model, for tests and benchmarks: one bucket for every operation at
   * this rate (and CONNECT_BURST), in this process alone. Set, it replaces the above.
   */
  CONNECT_RPS: z.optional(z.coerce.number().check(z.positive())),
  CONNECT_BURST: positiveInt(5),
  CONNECT_MAX_ATTEMPTS: positiveInt(6),
  /**
   * How long Connect's reads may trail a write (usually seconds, sometimes
   * minutes): a 404 for a user changed this recently is retried, and the
   * reconciliation leaves its Connect-side drift alone.
   */
  CONNECT_SETTLE_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(0), z.maximum(86_400)),
    600,
  ),
};

export const rulesEnv = { SYNC_RULES_FILE: z._default(requiredSetting, "config/sync-rules.yaml") };

/** With BAMBOOHR_COMPANY_DOMAIN set, thin BambooHR events are read from BambooHR's REST API. */
const bambooHrDirectoryEnv = {
  BAMBOOHR_API_URL: z._default(z.url(), "https://api.bamboohr.com/api/gateway.php"),
  /** The company's BambooHR subdomain; unset: no BambooHR directory. */
  BAMBOOHR_COMPANY_DOMAIN: z.pipe(
    optionalSetting,
    z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9-]{1,63}$/, "must be a BambooHR company subdomain")),
    ),
  ),
  BAMBOOHR_API_KEY_REF: optionalSetting,
  /** Local mode only. */
  BAMBOOHR_API_KEY: optionalSetting,
  BAMBOOHR_TIMEOUT_MS: positiveInt(10_000),
};

export const workerEnvSchema = z.object({
  ...commonEnv,
  ...connectEnv,
  ...rulesEnv,
  ...bambooHrDirectoryEnv,
  ...hiBobDirectoryEnv,
  EMPLOYEES_TABLE: requiredSetting,
  AUDIT_TABLE: requiredSetting,
  IDEMPOTENCY_TABLE: requiredSetting,
  /** Where the reconciliation records the repairs it queues: the worker checks them there. */
  RECONCILE_RUNS_TABLE: requiredSetting,
  DLQ_URL: z.url(),
  AUDIT_RETENTION_DAYS: positiveInt(400),
  /** How long a processed eventId is remembered; later duplicates are still harmless, only dearer. */
  IDEMPOTENCY_TTL_SECONDS: positiveInt(7 * 86_400),
  /**
   * What one more record of a batch can need, at worst, of the time left: the worker starts no
   * record with less and hands the rest back unprocessed. serverless.yml sets it from the quotas
   * and workerConcurrency (scripts/stack/connect-quota.cjs).
   */
  WORKER_RECORD_RESERVE_SECONDS: positiveInt(20),
});

export const reconcileEnvSchema = z.object({
  ...commonEnv,
  ...connectEnv,
  ...rulesEnv,
  ...bambooHrDirectoryEnv,
  ...hiBobDirectoryEnv,
  EMPLOYEES_TABLE: requiredSetting,
  RECONCILE_RUNS_TABLE: requiredSetting,
  /** Repairs go to the worker's FIFO queue. */
  QUEUE_URL: z.url(),
  RECONCILE_RETENTION_DAYS: positiveInt(90),
  /** Where each HR source's roster is read (docs/deploy.md, "HR rosters"); unset: none. */
  ...rostersEnv,
});

/** How a caller paces its requests to Connect's quotas. */
export type BudgetSettings =
  | {
      kind: "per-operation";
      /** The service's part of each operation's quota (CONNECT_QUOTAS x CONNECT_QUOTA_SHARE). */
      limits: Record<ConnectOperationName, RateLimit>;
      /** The DynamoDB table every caller draws from; undefined: this process alone. */
      table?: string;
    }
  | { kind: "one-bucket"; rps: number; burst: number };

/** The settings every Connect gateway needs. */
export interface ConnectSettings {
  instanceId: string;
  budget: BudgetSettings;
  maxAttempts: number;
  /** How long Connect's reads may trail a write. */
  settleSeconds: number;
}

export interface BambooHrDirectorySettings {
  apiUrl: string;
  companyDomain: string;
  apiKey: SecretSource;
  timeoutMs: number;
}

export interface WorkerConfig extends SecretSettings {
  region: string;
  connect: ConnectSettings;
  rules: SyncRules;
  tables: { employees: string; audit: string; idempotency: string; reconcileRuns: string };
  dlqUrl: string;
  auditRetentionDays: number;
  idempotencyTtlSeconds: number;
  /** A record is started only with this much of the invocation's time left. */
  recordReserveMs: number;
  /** Undefined when BAMBOOHR_COMPANY_DOMAIN is unset. */
  bamboohr?: BambooHrDirectorySettings;
  /** Undefined when HIBOB_SERVICE_USER_ID is unset. */
  hibob?: HiBobDirectorySettings;
}

export interface ReconcileConfig extends SecretSettings {
  region: string;
  connect: ConnectSettings;
  rules: SyncRules;
  tables: { employees: string; reconcileRuns: string };
  queueUrl: string;
  reconcileRetentionDays: number;
  /** BambooHR's directory is the roster of the employees BambooHR sent, when it is configured. */
  bamboohr?: BambooHrDirectorySettings;
  /** HiBob's People API is the roster of the employees HiBob sent, when it is configured. */
  hibob?: HiBobDirectorySettings;
  /** The rosters file's rosters by HR source, and the secrets they name. */
  rosters: RosterConfig;
}

/** The Connect settings from variables already checked by a schema with `connectEnv`. */
export function connectSettings(env: {
  CONNECT_INSTANCE_ID: string;
  CONNECT_QUOTAS: QuotaOverrides;
  CONNECT_QUOTA_SHARE: number;
  BUDGET_TABLE?: string | undefined;
  CONNECT_RPS?: number | undefined;
  CONNECT_BURST: number;
  CONNECT_MAX_ATTEMPTS: number;
  CONNECT_SETTLE_SECONDS: number;
}): ConnectSettings {
  return {
    instanceId: env.CONNECT_INSTANCE_ID,
    budget: budgetSettings(env),
    maxAttempts: env.CONNECT_MAX_ATTEMPTS,
    settleSeconds: env.CONNECT_SETTLE_SECONDS,
  };
}

function budgetSettings(env: Parameters<typeof connectSettings>[0]): BudgetSettings {
  if (env.CONNECT_RPS !== undefined) {
    return { kind: "one-bucket", rps: env.CONNECT_RPS, burst: env.CONNECT_BURST };
  }
  const share = env.CONNECT_QUOTA_SHARE;
  const limits = perOperationLimits(env.CONNECT_QUOTAS);
  for (const [operation, { rps, burst }] of Object.entries(limits)) {
    limits[operation as ConnectOperationName] = {
      rps: rps * share,
      burst: Math.max(1, Math.floor(burst * share)),
    };
  }
  return {
    kind: "per-operation",
    limits,
    ...(env.BUDGET_TABLE ? { table: env.BUDGET_TABLE } : {}),
  };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = parseEnv(workerEnvSchema, env);
  return {
    region: parsed.AWS_REGION,
    connect: connectSettings(parsed),
    rules: loadRulesFile(parsed.SYNC_RULES_FILE),
    tables: {
      employees: parsed.EMPLOYEES_TABLE,
      audit: parsed.AUDIT_TABLE,
      idempotency: parsed.IDEMPOTENCY_TABLE,
      reconcileRuns: parsed.RECONCILE_RUNS_TABLE,
    },
    dlqUrl: parsed.DLQ_URL,
    auditRetentionDays: parsed.AUDIT_RETENTION_DAYS,
    idempotencyTtlSeconds: parsed.IDEMPOTENCY_TTL_SECONDS,
    recordReserveMs: parsed.WORKER_RECORD_RESERVE_SECONDS * 1000,
    secretsMaxAgeSeconds: parsed.SECRETS_MAX_AGE_SECONDS,
    bamboohr: bambooHrDirectorySettings(parsed),
    hibob: hiBobDirectorySettings(parsed),
  };
}

export function loadReconcileConfig(env: NodeJS.ProcessEnv = process.env): ReconcileConfig {
  const parsed = parseEnv(reconcileEnvSchema, env);
  const bamboohr = bambooHrDirectorySettings(parsed);
  const hibob = hiBobDirectorySettings(parsed);
  return {
    region: parsed.AWS_REGION,
    connect: connectSettings(parsed),
    rules: loadRulesFile(parsed.SYNC_RULES_FILE),
    tables: { employees: parsed.EMPLOYEES_TABLE, reconcileRuns: parsed.RECONCILE_RUNS_TABLE },
    queueUrl: parsed.QUEUE_URL,
    reconcileRetentionDays: parsed.RECONCILE_RETENTION_DAYS,
    secretsMaxAgeSeconds: parsed.SECRETS_MAX_AGE_SECONDS,
    bamboohr,
    hibob,
    rosters: loadRosterConfig(parsed, { bamboohr: !!bamboohr, hibob: !!hibob }, env),
  };
}

/** BambooHR's directory settings, or undefined when BAMBOOHR_COMPANY_DOMAIN is unset. */
function bambooHrDirectorySettings(
  env: z.infer<z.ZodMiniObject<typeof bambooHrDirectoryEnv & typeof commonEnv>>,
): BambooHrDirectorySettings | undefined {
  const apiKey = secretSource(env, "BAMBOOHR_API_KEY_REF", "BAMBOOHR_API_KEY");
  if (env.BAMBOOHR_COMPANY_DOMAIN === undefined) return undefined;
  if (!apiKey)
    throw new ConfigError(
      "BAMBOOHR_COMPANY_DOMAIN is set but BAMBOOHR_API_KEY_REF is not (BAMBOOHR_API_KEY in local mode)",
    );
  return {
    apiUrl: env.BAMBOOHR_API_URL.replace(/\/+$/, ""),
    companyDomain: env.BAMBOOHR_COMPANY_DOMAIN,
    apiKey,
    timeoutMs: env.BAMBOOHR_TIMEOUT_MS,
  };
}
