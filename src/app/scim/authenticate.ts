import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import {
  type SecretSource,
  SecretUnavailableError,
  type SigningSecretReader,
  type SigningSecrets,
} from "../ports/secrets";
import type { ScimOutcome } from "./context";

/**
 * The IdP's bearer token, rotated like the webhook secrets: the stored
 * secret holds one token; after a new version is stored, the previous one
 * is accepted too for SECRET_ROTATION_HOURS (Secrets Manager's AWSPREVIOUS,
 * the parameter's previous version), and a token the cached values do not
 * know is checked once more against the store, so that the new token works
 * at once. Tokens are compared as SHA-256 digests with timingSafeEqual,
 * every accepted token every time, so that neither the length nor the
 * position of a mismatch shows in the answer's timing.
 */

export const MIN_TOKEN_LENGTH = 32;
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

export interface TokenDeps {
  secrets: SigningSecretReader;
  token: SecretSource;
}

/** At least 32 visible ASCII characters, no white space. */
export function isScimToken(value: string): boolean {
  return value.length >= MIN_TOKEN_LENGTH && TOKEN_SHAPE.test(value);
}

/** A fresh token (32 random bytes, base64url: 43 characters), e.g. for the local stack. */
export function newScimToken(): string {
  return randomBytes(32).toString("base64url");
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** undefined when the request may go on; otherwise the answer (401, 503 or 500). */
export async function authenticate(
  authorization: string | undefined,
  deps: TokenDeps,
): Promise<ScimOutcome | undefined> {
  const unauthorized: ScimOutcome = {
    kind: "unauthorized",
    problem: {
      status: 401,
      detail: "A valid bearer token is required (Authorization: Bearer <token>)",
    },
  };
  const given = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization ?? "")?.[1];
  if (given === undefined) return unauthorized;
  const givenDigest = digest(given);

  let tokens = await read(deps, false);
  if (!("values" in tokens)) return tokens;
  if (!isScimToken(tokens.values[0] ?? ""))
    return {
      kind: "misconfigured",
      problem: `the SCIM token must be at least ${MIN_TOKEN_LENGTH} visible characters without white space`,
    };
  if (matchesAny(givenDigest, tokens.values)) return undefined;
  if (!tokens.refreshable) return unauthorized;
  // The IdP may hold a token this container has not read yet.
  tokens = await read(deps, true);
  if (!("values" in tokens)) return tokens;
  return matchesAny(givenDigest, tokens.values) ? undefined : unauthorized;
}

async function read(deps: TokenDeps, refresh: boolean): Promise<SigningSecrets | ScimOutcome> {
  try {
    return await deps.secrets.signingSecrets(deps.token, { refresh });
  } catch (error) {
    if (!(error instanceof SecretUnavailableError)) throw error;
    return { kind: "unavailable", what: "secret", errorName: error.name };
  }
}

function matchesAny(givenDigest: Buffer, values: readonly string[]): boolean {
  let matched = false;
  for (const token of values.filter(isScimToken))
    matched = timingSafeEqual(givenDigest, digest(token)) || matched;
  return matched;
}
