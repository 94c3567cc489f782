import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseSyncRules, type SyncRules } from "../domain/rules";
import { describeProblems, fieldProblems } from "../domain/validation";

/** The environment is wrong: the function cannot start. Names the variables, never their values. */
export class ConfigError extends Error {
  constructor(detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = "ConfigError";
  }
}

const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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
});

export type WorkerConfig = z.infer<typeof workerEnvSchema> & { rules: SyncRules };

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
  return { ...parsed, rules: loadRulesFile(parsed.SYNC_RULES_FILE) };
}
