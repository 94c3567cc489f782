/**
 * The secrets port: what the use cases need of a secret store (a webhook
 * signing secret, the SCIM bearer token, an HR API key). Implemented in
 * src/runtime/secrets.ts (Secrets Manager, SSM, or an environment variable).
 */

/**
 * Where one secret (a webhook signing secret, an HR API key) is read at run
 * time: AWS Secrets Manager, an SSM SecureString parameter, or, in local
 * mode only, an environment variable. Values are never logged; names are.
 */
export type SecretSource =
  | { store: "secretsmanager"; id: string }
  | { store: "ssm"; name: string }
  | { store: "env"; variable: string; value: string };

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

/** What a signature may have been made with while a secret is being rotated. */
export interface SigningSecrets {
  /** The current value first, then the previous one while the rotation window lasts. */
  values: string[];
  /** Served from the cache, read long enough ago that reading again could find a newer value. */
  refreshable: boolean;
}

export interface SigningSecretReader {
  /** `refresh`: read the store again, unless the values were read moments ago. */
  signingSecrets(source: SecretSource, options?: { refresh?: boolean }): Promise<SigningSecrets>;
}

export interface SecretReader extends SigningSecretReader {
  /** The current value only (an API key). */
  read(source: SecretSource): Promise<string>;
}
