import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SSMClient } from "@aws-sdk/client-ssm";
import {
  describeSecret,
  type SecretReader,
  type SecretSource,
  SecretUnavailableError,
} from "../app/ports/secrets";

/**
 * `secretsmanager:<name or ARN>`, `ssm:<parameter name or ARN>`, or a bare
 * Secrets Manager or SSM parameter ARN. Undefined when it is none of these.
 */
export function parseSecretRef(ref: string): SecretSource | undefined {
  const text = ref.trim();
  const prefixed = /^(secretsmanager|ssm):(.+)$/.exec(text);
  if (prefixed?.[1] === "secretsmanager") return { store: "secretsmanager", id: prefixed[2] ?? "" };
  if (prefixed?.[1] === "ssm") return { store: "ssm", name: prefixed[2] ?? "" };
  if (/^arn:aws[\w-]*:secretsmanager:[^:]*:\d*:secret:.+$/.test(text))
    return { store: "secretsmanager", id: text };
  if (/^arn:aws[\w-]*:ssm:[^:]*:\d*:parameter\/.+$/.test(text)) return { store: "ssm", name: text };
  return undefined;
}

export interface SecretReaderOptions {
  /** How long values are cached in the container; a rotated secret is picked up after this, or at the first mismatch. */
  maxAgeSeconds: number;
  /**
   * How long after a rotation the previous value still counts as a signing
   * secret: Secrets Manager's AWSPREVIOUS while AWSCURRENT is younger than
   * this, or the parameter's previous version while its latest is. 0: never.
   */
  rotationWindowSeconds?: number;
  /**
   * Built on first use, so that a function that reads only one store needs only its client; the
   * store's SDK module is loaded then too (its own chunk: a cold start does not parse it).
   */
  secretsManager: () => SecretsManagerClient | Promise<SecretsManagerClient>;
  ssm: () => SSMClient | Promise<SSMClient>;
  now?: () => number;
}

/**
 * A refresh within this many seconds of the last read serves the same
 * values: a flood of wrongly signed requests cannot become a flood of reads.
 */
export const REFRESH_FLOOR_SECONDS = 10;

interface Version {
  value: string;
  /** When this version became the current one. */
  since?: Date;
  /** SSM's version number. */
  version?: number;
}

interface Cached {
  current: string;
  previous?: string;
  readAt: number;
}

/** Reads secrets straight from the store's API, cached per container (the versions' dates decide the rotation window). */
export function secretReader(options: SecretReaderOptions): SecretReader {
  let secretsManager: Promise<SecretsManagerClient> | undefined;
  let ssm: Promise<SSMClient> | undefined;
  const secretsManagerApi = async () => {
    secretsManager ??= Promise.resolve(options.secretsManager());
    const [client, { GetSecretValueCommand }] = await Promise.all([
      secretsManager,
      import("./sdk/secrets-manager"),
    ]);
    return { client, GetSecretValueCommand };
  };
  const ssmApi = async () => {
    ssm ??= Promise.resolve(options.ssm());
    const [client, { GetParameterCommand }] = await Promise.all([ssm, import("./sdk/ssm")]);
    return { client, GetParameterCommand };
  };
  const now = options.now ?? Date.now;
  const windowMs = (options.rotationWindowSeconds ?? 0) * 1000;
  const cache = new Map<string, Cached>();

  const readCurrent = async (source: SecretSource): Promise<Version | undefined> => {
    switch (source.store) {
      case "env":
        return { value: source.value };
      case "secretsmanager": {
        const { client, GetSecretValueCommand } = await secretsManagerApi();
        const answer = await client.send(
          new GetSecretValueCommand({ SecretId: source.id, VersionStage: "AWSCURRENT" }),
        );
        return answer.SecretString === undefined
          ? undefined
          : { value: answer.SecretString, since: answer.CreatedDate };
      }
      case "ssm": {
        const { client, GetParameterCommand } = await ssmApi();
        const { Parameter } = await client.send(
          new GetParameterCommand({ Name: source.name, WithDecryption: true }),
        );
        return Parameter?.Value === undefined
          ? undefined
          : {
              value: Parameter.Value,
              since: Parameter.LastModifiedDate,
              version: Parameter.Version,
            };
      }
    }
  };

  /** The version before the current one; undefined when there is none. */
  const readPrevious = async (source: SecretSource, current: Version) => {
    try {
      switch (source.store) {
        case "env":
          return undefined;
        case "secretsmanager": {
          const { client, GetSecretValueCommand } = await secretsManagerApi();
          const answer = await client.send(
            new GetSecretValueCommand({ SecretId: source.id, VersionStage: "AWSPREVIOUS" }),
          );
          return answer.SecretString;
        }
        case "ssm": {
          if (current.version === undefined || current.version <= 1) return undefined;
          const { client, GetParameterCommand } = await ssmApi();
          const older = await client.send(
            new GetParameterCommand({
              Name: `${source.name}:${current.version - 1}`,
              WithDecryption: true,
            }),
          );
          return older.Parameter?.Value;
        }
      }
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const load = async (source: SecretSource, withPrevious: boolean): Promise<Cached> => {
    let current: Version | undefined;
    let previous: string | undefined;
    try {
      current = await readCurrent(source);
      const inWindow = current?.since !== undefined && now() - current.since.getTime() < windowMs;
      if (withPrevious && current && inWindow) previous = await readPrevious(source, current);
    } catch (error) {
      throw new SecretUnavailableError(source, { cause: error });
    }
    if (current === undefined || current.value.trim() === "")
      throw new SecretUnavailableError(source, {
        cause: new Error("the secret is empty or not a string"),
      });
    const usablePrevious = previous?.trim();
    return {
      current: current.value.trim(),
      ...(usablePrevious ? { previous: usablePrevious } : {}),
      readAt: now(),
    };
  };

  const cached = async (source: SecretSource, withPrevious: boolean, refresh: boolean) => {
    const key = `${withPrevious ? "signing" : "current"} ${describeSecret(source)}`;
    const entry = cache.get(key);
    const age = entry ? now() - entry.readAt : Number.POSITIVE_INFINITY;
    const fresh = age < (refresh ? REFRESH_FLOOR_SECONDS : options.maxAgeSeconds) * 1000;
    if (entry && fresh) return { entry, refreshable: age >= REFRESH_FLOOR_SECONDS * 1000 };
    const loaded = await load(source, withPrevious);
    if (source.store !== "env") cache.set(key, loaded);
    return { entry: loaded, refreshable: false };
  };

  return {
    async read(source) {
      return (await cached(source, false, false)).entry.current;
    },
    async signingSecrets(source, { refresh = false } = {}) {
      const { entry, refreshable } = await cached(source, true, refresh);
      return {
        values: entry.previous === undefined ? [entry.current] : [entry.current, entry.previous],
        refreshable,
      };
    },
  };
}

/** Secrets Manager has no AWSPREVIOUS yet; SSM has no such version (any more). */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    name === "ResourceNotFoundException" ||
    name === "ParameterNotFound" ||
    name === "ParameterVersionNotFound"
  );
}
