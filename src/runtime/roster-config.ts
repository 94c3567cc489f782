import type { SecretSource } from "../app/ports/secrets";
import type { RosterSettings } from "../domain/roster-settings";
import { ConfigError, optionalSetting } from "./env-settings";
import { readRostersFile } from "./rosters-file";
import { parseSecretRef } from "./secrets";

/**
 * The reconciliation's HR rosters: the rosters file (ROSTERS_FILE), checked
 * at start against the rest of the configuration. Unset: every source is
 * reconciled as before (BambooHR's and HiBob's directories when configured,
 * the stored records otherwise).
 */
export const rostersEnv = { ROSTERS_FILE: optionalSetting };

export interface RosterConfig {
  /** By HR source. */
  rosters: Record<string, RosterSettings>;
  /** Each secret reference the file names, where it is read. */
  secrets: Record<string, SecretSource>;
}

export function loadRosterConfig(
  env: { ROSTERS_FILE?: string; LOCAL_MODE: boolean },
  vendors: { bamboohr: boolean; hibob: boolean },
  variables: NodeJS.ProcessEnv,
): RosterConfig {
  if (env.ROSTERS_FILE === undefined) return { rosters: {}, secrets: {} };
  const rosters = readRostersFile(env.ROSTERS_FILE);
  const secrets: Record<string, SecretSource> = {};
  for (const [source, roster] of Object.entries(rosters)) {
    const at = `${env.ROSTERS_FILE}: rosters.${source}`;
    if ((roster.kind === "bamboohr" || roster.kind === "hibob") && !vendors[roster.kind])
      throw new ConfigError(
        `${at} is ${roster.kind}, but no ${roster.kind} directory is configured (${roster.kind === "bamboohr" ? "BAMBOOHR_COMPANY_DOMAIN" : "HIBOB_SERVICE_USER_ID"})`,
      );
    if (roster.kind !== "https") continue;
    requireHttps(roster.url, `${at}.url`, env.LOCAL_MODE);
    if (roster.auth.type === "none") continue;
    if (roster.auth.type === "client-credentials")
      requireHttps(roster.auth.tokenUrl, `${at}.auth.tokenUrl`, env.LOCAL_MODE);
    secrets[roster.auth.secret] = secretOf(roster.auth.secret, `${at}.auth.secret`, env, variables);
  }
  return { rosters, secrets };
}

/** Credentials go over TLS only; plain http to this machine in local mode (tests, `local`). */
function requireHttps(url: string, at: string, localMode: boolean): void {
  const { protocol, hostname } = new URL(url);
  if (protocol === "https:") return;
  const loopback = hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
  if (localMode && protocol === "http:" && loopback) return;
  throw new ConfigError(`${at} must be an https URL (http only to this machine, in local mode)`);
}

function secretOf(
  ref: string,
  at: string,
  env: { LOCAL_MODE: boolean },
  variables: NodeJS.ProcessEnv,
): SecretSource {
  const local = /^env:(.+)$/.exec(ref);
  if (local?.[1]) {
    const variable = local[1];
    if (!env.LOCAL_MODE)
      throw new ConfigError(
        `${at}: env: secrets are for local mode only; in AWS name a Secrets Manager secret`,
      );
    const value = optionalSetting.parse(variables[variable]);
    if (value === undefined) throw new ConfigError(`${at}: ${variable} is not set`);
    return { store: "env", variable, value };
  }
  const source = parseSecretRef(ref);
  if (!source) throw new ConfigError(`${at} must be secretsmanager:<name or ARN> or ssm:<name>`);
  return source;
}
