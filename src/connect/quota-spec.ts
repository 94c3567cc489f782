/**
 * Per-operation quotas written as text (`CreateUser=2/5,DescribeUser=10/20`:
 * rate/burst; `CreateUser=1` changes the rate only), read the same way by the
 * emulator's `--quota` and the service's CONNECT_QUOTAS, and laid over
 * Connect's documented defaults.
 */
import { CONNECT_OPERATION_NAMES, type ConnectOperationName } from "./model/index";
import { CONNECT_API_QUOTAS } from "./quotas";

export interface RateLimit {
  /** Requests a second, on average. */
  rps: number;
  /** Requests at once after a quiet spell. */
  burst: number;
}

/** Per operation, the rate, the burst or both; the rest keep Connect's defaults. */
export type QuotaOverrides = Partial<Record<ConnectOperationName, Partial<RateLimit>>>;

export class QuotaSpecError extends Error {
  override readonly name = "QuotaSpecError";
}

export function parseQuotaSpec(spec: string): QuotaOverrides {
  const overrides: QuotaOverrides = {};
  const byLowerName = new Map(CONNECT_OPERATION_NAMES.map((name) => [name.toLowerCase(), name]));
  for (const item of spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z]+)\s*=\s*([^/\s]+)(?:\s*\/\s*(\S+))?$/.exec(item);
    if (!match) {
      throw new QuotaSpecError(`quota "${item}" must look like CreateUser=2/5 (rate/burst)`);
    }
    const [, rawName = "", rawRate = "", rawBurst] = match;
    const name = byLowerName.get(rawName.toLowerCase());
    if (!name) {
      throw new QuotaSpecError(
        `unknown operation "${rawName}" in quota (known: ${CONNECT_OPERATION_NAMES.join(", ")})`,
      );
    }
    if (overrides[name]) throw new QuotaSpecError(`quota for ${name} is given twice`);
    const rps = Number(rawRate);
    if (!Number.isFinite(rps) || rps <= 0) {
      throw new QuotaSpecError(`${name}: rate must be a number > 0, got "${rawRate}"`);
    }
    const burst = rawBurst === undefined ? undefined : Number(rawBurst);
    if (burst !== undefined && (!Number.isInteger(burst) || burst < 1)) {
      throw new QuotaSpecError(`${name}: burst must be a whole number >= 1, got "${rawBurst}"`);
    }
    overrides[name] = burst === undefined ? { rps } : { rps, burst };
  }
  return overrides;
}

/** Connect's documented quota of every operation, with each layer of overrides on top in turn. */
export function perOperationLimits(
  ...layers: QuotaOverrides[]
): Record<ConnectOperationName, RateLimit> {
  const operations = {} as Record<ConnectOperationName, RateLimit>;
  for (const name of CONNECT_OPERATION_NAMES) {
    let { rps, burst } = CONNECT_API_QUOTAS[name];
    for (const layer of layers) {
      rps = layer[name]?.rps ?? rps;
      burst = layer[name]?.burst ?? burst;
    }
    operations[name] = { rps, burst };
  }
  return operations;
}

/** Connect's documented quota of every operation, rate and burst both times `scale`. */
export function scaledConnectQuotas(scale: number): QuotaOverrides {
  const limits = perOperationLimits();
  return Object.fromEntries(
    CONNECT_OPERATION_NAMES.map((name) => [
      name,
      { rps: limits[name].rps * scale, burst: limits[name].burst * scale },
    ]),
  );
}

/** Overrides written as parseQuotaSpec reads them (`CreateUser=10/25,...`): for CONNECT_QUOTAS. */
export function formatQuotaSpec(quotas: QuotaOverrides): string {
  return Object.entries(quotas)
    .map(([name, limit]) =>
      limit?.burst === undefined ? `${name}=${limit?.rps}` : `${name}=${limit.rps}/${limit.burst}`,
    )
    .join(",");
}
