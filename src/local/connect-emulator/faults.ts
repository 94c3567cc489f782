/**
 * Fault injection, deterministic from a seed: the n-th AWS-surface request
 * always gets the n-th decision. Throttling and internal errors happen before
 * any change; "applied then failed" makes the change and then answers 500 or
 * (a `drop` fraction of those) destroys the connection, so tests can prove the
 * service survives answers that were lost after the fact.
 */
import * as z from "zod";
import { mulberry32 } from "./prng";

const rate = z.number().min(0).max(1);
const latencyMs = z.int().min(0);

const latencySchema = z
  .union([
    latencyMs,
    z.tuple([latencyMs, latencyMs]),
    z.strictObject({ min: latencyMs, max: latencyMs }),
  ])
  .transform((value) => {
    if (typeof value === "number") return { min: value, max: value };
    if (Array.isArray(value)) return { min: value[0], max: value[1] };
    return value;
  })
  .refine((value) => value.min <= value.max, "latency min must not exceed max");

export const faultOptionsSchema = z.strictObject({
  seed: z.int().default(1),
  /** Share of requests answered ThrottlingException before any change. */
  throttle: rate.default(0),
  /** Share of requests answered InternalServiceException before any change. */
  internal: rate.default(0),
  /** Added latency in milliseconds: a fixed number, `[min, max]` or `{ min, max }`. */
  latency: latencySchema.default({ min: 0, max: 0 }),
  /** Share of successful mutating requests whose change is made but whose answer fails. */
  appliedThenFailed: rate.default(0),
  /** Share of those failures delivered as a dropped connection rather than a 500. */
  drop: rate.default(0),
});

export type FaultOptions = z.input<typeof faultOptionsSchema>;
export type FaultSettings = z.output<typeof faultOptionsSchema>;

export const NO_FAULTS: FaultSettings = faultOptionsSchema.parse({});

export class FaultSpecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FaultSpecError";
  }
}

const SPEC_KEYS: Record<string, keyof FaultSettings> = {
  seed: "seed",
  throttle: "throttle",
  internal: "internal",
  latency: "latency",
  "applied-then-failed": "appliedThenFailed",
  appliedthenfailed: "appliedThenFailed",
  drop: "drop",
};

/** Parses `seed=42,throttle=0.05,internal=0.02,latency=5-40,applied-then-failed=0.05,drop=0.5`. */
export function parseFaultSpec(spec: string): FaultSettings {
  const options: Record<string, unknown> = {};
  for (const item of spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [rawKey = "", rawValue, ...rest] = item.split("=");
    const key = SPEC_KEYS[rawKey.trim().toLowerCase()];
    if (!key) {
      throw new FaultSpecError(
        `unknown fault "${rawKey}" (known: seed, throttle, internal, latency, applied-then-failed, drop)`,
      );
    }
    if (rawValue === undefined || rawValue.trim() === "" || rest.length > 0) {
      throw new FaultSpecError(`fault "${rawKey}" needs a value, as in ${rawKey}=0.05`);
    }
    options[key] =
      key === "latency" ? parseLatency(rawValue.trim()) : parseNumber(rawKey, rawValue);
  }
  return resolveFaults(options as FaultOptions);
}

/** Accepts an options object, a spec string, or false/undefined for no faults. */
export function resolveFaults(faults: FaultOptions | string | false | undefined): FaultSettings {
  if (faults === false || faults === undefined) return NO_FAULTS;
  if (typeof faults === "string") return parseFaultSpec(faults);
  const result = faultOptionsSchema.safeParse(faults);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "faults"}: ${issue.message}`,
  );
  throw new FaultSpecError(`invalid faults: ${problems.join("; ")}`, { cause: result.error });
}

export interface FaultDecision {
  readonly throttle: boolean;
  readonly internal: boolean;
  readonly latencyMs: number;
  readonly appliedThenFailed: boolean;
  readonly drop: boolean;
}

export class FaultInjector {
  readonly settings: FaultSettings;
  private readonly random: () => number;

  constructor(settings: FaultSettings) {
    this.settings = settings;
    this.random = mulberry32(settings.seed);
  }

  /** Always draws five numbers, so each request's decision depends only on its position. */
  next(): FaultDecision {
    const { throttle, internal, latency, appliedThenFailed, drop } = this.settings;
    const draws = [this.random(), this.random(), this.random(), this.random(), this.random()];
    const [throttleDraw = 1, internalDraw = 1, latencyDraw = 0, appliedDraw = 1, dropDraw = 1] =
      draws;
    return {
      throttle: throttleDraw < throttle,
      internal: internalDraw < internal,
      latencyMs: latency.min + Math.floor(latencyDraw * (latency.max - latency.min + 1)),
      appliedThenFailed: appliedDraw < appliedThenFailed,
      drop: dropDraw < drop,
    };
  }
}

function parseNumber(key: string, raw: string): number {
  const value = Number(raw.trim());
  if (!Number.isFinite(value))
    throw new FaultSpecError(`fault "${key}" must be a number, got "${raw}"`);
  return value;
}

function parseLatency(raw: string): { min: number; max: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw);
  if (!match)
    throw new FaultSpecError(`latency must be milliseconds like 20 or 5-40, got "${raw}"`);
  const min = Number(match[1]);
  return { min, max: match[2] === undefined ? min : Number(match[2]) };
}
