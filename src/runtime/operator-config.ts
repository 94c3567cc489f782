import * as z from "../domain/zod";
import { type ConnectSettings, connectEnv, connectSettings, parseEnv } from "./config";
import { positiveInt, requiredSetting } from "./env-settings";

/**
 * The configuration of the operator's read-only commands (`status`): the
 * tables, and the Connect instance when one is named, to show names for ids.
 * Checked with zod like every function's; errors name the variables.
 */
const statusEnvSchema = z.object({
  AWS_REGION: requiredSetting,
  EMPLOYEES_TABLE: requiredSetting,
  AUDIT_TABLE: requiredSetting,
  CONNECT_INSTANCE_ID: z.union([z.optional(connectEnv.CONNECT_INSTANCE_ID), z.literal("")]),
  CONNECT_QUOTAS: connectEnv.CONNECT_QUOTAS,
  CONNECT_QUOTA_SHARE: connectEnv.CONNECT_QUOTA_SHARE,
  BUDGET_TABLE: connectEnv.BUDGET_TABLE,
  CONNECT_RPS: connectEnv.CONNECT_RPS,
  CONNECT_BURST: connectEnv.CONNECT_BURST,
  CONNECT_SETTLE_SECONDS: connectEnv.CONNECT_SETTLE_SECONDS,
  /** An operator waits for the answer: fewer attempts than a worker. */
  CONNECT_MAX_ATTEMPTS: positiveInt(3),
});

export interface StatusConfig {
  region: string;
  tables: { employees: string; audit: string };
  /** Undefined without CONNECT_INSTANCE_ID: ids are shown as they are. */
  connect?: ConnectSettings;
}

export function loadStatusConfig(env: NodeJS.ProcessEnv = process.env): StatusConfig {
  const parsed = parseEnv(statusEnvSchema, env);
  const instanceId = parsed.CONNECT_INSTANCE_ID?.trim();
  return {
    region: parsed.AWS_REGION,
    tables: { employees: parsed.EMPLOYEES_TABLE, audit: parsed.AUDIT_TABLE },
    ...(instanceId
      ? { connect: connectSettings({ ...parsed, CONNECT_INSTANCE_ID: instanceId }) }
      : {}),
  };
}
