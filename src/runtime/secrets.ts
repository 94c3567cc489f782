import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SSMClient } from "@aws-sdk/client-ssm";

/**
 * Where one secret (a webhook signing secret, an HR API key) is read at run
 * time: AWS Secrets Manager, an SSM SecureString parameter, or, in local
 * mode only, an environment variable. Values are never logged; names are.
 */
export type SecretSource =
  | { store: "secretsmanager"; id: string }
  | { store: "ssm"; name: string }
  | { store: "env"; variable: string; value: string };

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

/** How a secret is named in logs and errors: where it lives, never what it holds. */
export function describeSecret(source: SecretSource): string {
  switch (source.store) {
    case "secretsmanager":
      return `secretsmanager:${source.id}`;
    case "ssm":
      return `ssm:${source.name}`;
    case "env":
      return `env:${source.variable}`;
  }
}

/** The secret could not be read (missing, no permission, the service failed): the caller answers "try later". */
export class SecretUnavailableError extends Error {
  constructor(source: SecretSource, options?: { cause?: unknown }) {
    super(`The secret ${describeSecret(source)} cannot be read`, options);
    this.name = "SecretUnavailableError";
  }
}

export interface SecretReader {
  read(source: SecretSource): Promise<string>;
}

export interface SecretReaderOptions {
  /** How long a value is cached in the container; a rotated secret is picked up after this. */
  maxAgeSeconds: number;
  /** Built on first use, so that a function that reads only one store needs only its client. */
  secretsManager: () => SecretsManagerClient;
  ssm: () => SSMClient;
}

/** Reads secrets through Powertools parameters (cached for maxAgeSeconds per container). */
export function secretReader(options: SecretReaderOptions): SecretReader {
  let secrets: SecretsProvider | undefined;
  let parameters: SSMProvider | undefined;
  const fetch = async (source: SecretSource): Promise<unknown> => {
    switch (source.store) {
      case "env":
        return source.value;
      case "secretsmanager":
        secrets ??= new SecretsProvider({ awsSdkV3Client: options.secretsManager() });
        return secrets.get(source.id, { maxAge: options.maxAgeSeconds });
      case "ssm":
        parameters ??= new SSMProvider({ awsSdkV3Client: options.ssm() });
        return parameters.get(source.name, { decrypt: true, maxAge: options.maxAgeSeconds });
    }
  };
  return {
    async read(source) {
      let value: unknown;
      try {
        value = await fetch(source);
      } catch (error) {
        throw new SecretUnavailableError(source, { cause: error });
      }
      if (typeof value !== "string" || value.trim() === "") {
        throw new SecretUnavailableError(source, {
          cause: new Error("the secret is empty or not a string"),
        });
      }
      return value.trim();
    },
  };
}
