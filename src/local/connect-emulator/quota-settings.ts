/**
 * From what a caller asks for to QuotaSettings: Connect's per-operation
 * defaults with overrides from the seed's `quota` section and then from the
 * caller (`--quota CreateUser=2/5`, an object), or one shared bucket
 * (`--rps`/`--burst`), or none. The two models do not mix: asking for both is
 * refused rather than guessed at.
 */
import * as z from "zod";
import { CONNECT_OPERATION_NAMES } from "../../connect/model/index";
import {
  parseQuotaSpec as parseSpec,
  perOperationLimits,
  type QuotaOverrides,
  QuotaSpecError,
} from "../../connect/quota-spec";
import { DEFAULT_QUOTA, InvalidQuotaError, type QuotaSettings, type RateLimit } from "./quota";

export type { QuotaOverrides };

export interface QuotaOptions {
  /** false: no quota; a spec string or overrides: per-operation buckets; true or absent: the default. */
  quota?: boolean | string | QuotaOverrides | undefined;
  /** One bucket shared by every operation (0 turns the quota off). */
  rps?: number | undefined;
  burst?: number | undefined;
}

/** What setQuota and POST /_emulator/quota accept. */
export type QuotaSetting = boolean | string | { operations: QuotaOverrides } | Partial<RateLimit>;

const limitSchema = z.strictObject({
  rps: z.number().positive().optional(),
  burst: z.int().min(1).optional(),
});

/** The seed's `quota` section and the overrides object: operation names as in the API. */
export const quotaOverridesSchema = z.strictObject(
  Object.fromEntries(CONNECT_OPERATION_NAMES.map((name) => [name, limitSchema.optional()])),
);

const COMBINED =
  "per-operation quotas (--quota, `quota`) and one shared bucket (--rps/--burst) cannot be combined; give one or the other";

export function resolveQuota(
  options: QuotaOptions,
  seedOverrides: QuotaOverrides = {},
): QuotaSettings | false {
  const perOperation = typeof options.quota === "string" || typeof options.quota === "object";
  const shared = options.rps !== undefined || options.burst !== undefined;
  if (perOperation && shared) throw new InvalidQuotaError(COMBINED);
  if (options.quota === false) return false;
  if (shared) return sharedQuota(options.rps, options.burst);
  const given =
    typeof options.quota === "string"
      ? parseQuotaSpec(options.quota)
      : typeof options.quota === "object"
        ? checkOverrides(options.quota)
        : {};
  return perOperationQuota(checkOverrides(seedOverrides), given);
}

/** Settings given at run time; per-operation ones start again from Connect's defaults. */
export function quotaFromSetting(setting: QuotaSetting): QuotaSettings | false {
  if (setting === false) return false;
  if (setting === true) return perOperationQuota();
  if (typeof setting === "string") return perOperationQuota(parseQuotaSpec(setting));
  if ("operations" in setting) {
    if ("rps" in setting || "burst" in setting) throw new InvalidQuotaError(COMBINED);
    return perOperationQuota(checkOverrides(setting.operations));
  }
  return sharedQuota(setting.rps, setting.burst);
}

/** Parses `CreateUser=2/5,DescribeUser=10/20` (rate/burst; `CreateUser=1` changes the rate only). */
export function parseQuotaSpec(spec: string): QuotaOverrides {
  try {
    return parseSpec(spec);
  } catch (error) {
    if (error instanceof QuotaSpecError) throw new InvalidQuotaError(error.message);
    throw error;
  }
}

function checkOverrides(overrides: unknown): QuotaOverrides {
  const result = quotaOverridesSchema.safeParse(overrides);
  if (result.success) return result.data as QuotaOverrides;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `unknown operation ${issue.keys.join(", ")}`;
    return `${issue.path.join(".") || "quota"}: ${issue.message}`;
  });
  throw new InvalidQuotaError(`invalid quota: ${problems.join("; ")}`);
}

function perOperationQuota(...layers: QuotaOverrides[]): QuotaSettings {
  return { mode: "per-operation", operations: perOperationLimits(...layers) };
}

/** A rate of 0 turns the quota off. */
function sharedQuota(rps = DEFAULT_QUOTA.rps, burst = DEFAULT_QUOTA.burst): QuotaSettings | false {
  if (!Number.isFinite(rps) || rps < 0)
    throw new InvalidQuotaError(`rps must be a number >= 0, got ${rps}`);
  if (rps === 0) return false;
  if (!Number.isInteger(burst) || burst < 1) {
    throw new InvalidQuotaError(`burst must be a whole number >= 1, got ${burst}`);
  }
  return { mode: "shared", rps, burst };
}
