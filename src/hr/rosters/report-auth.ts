import { RosterUnreadableError } from "../../app/ports/roster-source";
import type { RosterAuth } from "../../domain/roster-settings";
import { basicAuth } from "../vendor-http";

/** Reads a secret's value by its reference; the value is never logged or quoted. */
export type SecretValue = (ref: string) => Promise<string>;

/**
 * The Authorization header a report is asked with: basic (a Workday
 * integration system user) or an OAuth 2.0 client-credentials token, the
 * credentials from a JSON secret. Errors name the secret, never its value.
 */
export async function authorization(
  auth: RosterAuth,
  secret: SecretValue,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (auth.type === "none") return undefined;
  if (auth.type === "basic") {
    const { username, password } = await credentials(auth.secret, secret, ["username", "password"]);
    return basicAuth(username, password);
  }
  const { clientId, clientSecret } = await credentials(auth.secret, secret, [
    "clientId",
    "clientSecret",
  ]);
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (auth.scope) form.set("scope", auth.scope);
  let response: Response;
  try {
    // RFC 6749 2.3.1: the client authenticates with HTTP Basic, its id and secret form-encoded.
    response = await fetch(auth.tokenUrl, {
      method: "POST",
      headers: {
        authorization: basicAuth(encodeURIComponent(clientId), encodeURIComponent(clientSecret)),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form.toString(),
      redirect: "error",
      signal,
    });
  } catch (error) {
    throw new RosterUnreadableError(
      `the token endpoint could not be reached (${error instanceof Error ? error.name : "Error"})`,
      { cause: error },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RosterUnreadableError(
      `the token endpoint answered ${response.status}${response.status === 400 || response.status === 401 ? " (check the client id and secret)" : ""}`,
    );
  }
  const token = (await response.json().catch(() => undefined)) as
    | { access_token?: unknown; token_type?: unknown }
    | undefined;
  if (typeof token?.access_token !== "string" || token.access_token === "")
    throw new RosterUnreadableError("the token endpoint's answer has no access_token");
  if (typeof token.token_type === "string" && token.token_type.toLowerCase() !== "bearer")
    throw new RosterUnreadableError(
      `the token endpoint gave a ${token.token_type} token, not a bearer token`,
    );
  return `Bearer ${token.access_token}`;
}

async function credentials<K extends string>(
  ref: string,
  secret: SecretValue,
  keys: readonly K[],
): Promise<Record<K, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await secret(ref));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new RosterUnreadableError(`the secret ${ref} is not JSON with ${keys.join(" and ")}`);
    throw new RosterUnreadableError(`the secret ${ref} cannot be read`, { cause: error });
  }
  const values = parsed as Record<string, unknown> | null;
  const missing = keys.filter((key) => typeof values?.[key] !== "string" || values[key] === "");
  if (missing.length > 0)
    throw new RosterUnreadableError(`the secret ${ref} has no ${missing.join(" or ")}`);
  return values as Record<K, string>;
}
