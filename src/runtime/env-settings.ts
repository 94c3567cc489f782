import { readFileSync } from "node:fs";
import type { SecretSource } from "../app/ports/secrets";
import { describeProblems, fieldProblems } from "../domain/validation";
import * as z from "../domain/zod";
import { parseSecretRef } from "./secrets";

/**
 * The pieces every configuration reads its variables with: the error that
 * names a wrong variable, common zod fragments, and where one secret lives.
 */

/** The environment is wrong: the function cannot start. Names the variables, never their values. */
export class ConfigError extends Error {
  constructor(detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = "ConfigError";
  }
}

export const positiveNumber = (fallback: number) =>
  z._default(z.coerce.number().check(z.positive()), fallback);
export const positiveInt = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.positive()), fallback);

/** A variable that must be set and not empty. */
export const requiredSetting = z.string().check(z.minLength(1));

/** Hours after a rotation during which the previous secret (or token) still counts; 0: never. */
export const secretRotationHours = z._default(
  z.coerce.number().check(z.minimum(0), z.maximum(24 * 30)),
  48,
);

/** An empty variable counts as unset (serverless params default to ""). */
export const optionalSetting = z.pipe(
  z.optional(z.string().check(z.trim())),
  z.transform((value: string | undefined) => (value === "" ? undefined : value)),
);

/**
 * One secret from a reference variable (`secretsmanager:...`, `ssm:...`, an
 * ARN) or, only when LOCAL_MODE is true, from a variable holding the value.
 * Errors name the variables, never their values.
 */
export function secretSource(
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

/** A settings file's text; one that cannot be read is a ConfigError naming it (`label`). */
export function readSettingsFile(path: string, label: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read ${label}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

/** The variables every function reads. */
export const commonEnv = {
  AWS_REGION: requiredSetting,
  /** Secrets from plain environment variables are for a laptop only: AWS reads them from a store. */
  LOCAL_MODE: z._default(z.stringbool(), false),
  SECRETS_MAX_AGE_SECONDS: positiveInt(300),
};

export function parseEnv<T extends z.core.$ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = z.safeParse(schema, env);
  if (!result.success) throw new ConfigError(describeProblems(fieldProblems(result.error)));
  return result.data;
}

/** What every function that reads secrets needs to know. */
export interface SecretSettings {
  secretsMaxAgeSeconds: number;
}
