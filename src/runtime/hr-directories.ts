import type { HrDirectory } from "../app/ports/hr-directory";
import type { SecretReader } from "../app/ports/secrets";
import type { VendorRoster } from "../app/reconcile/roster";
import { HrDirectoryNotConfiguredError } from "../hr/directory";
import { lazyDirectory } from "../hr/lazy-directory";
import { BAMBOOHR_SOURCE, HIBOB_SOURCE } from "../hr/source-names";
import { secretsManagerClient, ssmClient } from "./aws-clients";
import type { BambooHrDirectorySettings, SecretSettings } from "./config";
import type { HiBobDirectorySettings } from "./hibob-config";
import { secretReader } from "./secrets";
import { tracing } from "./tracing";

/** The vendor directories a function may read, each when its settings are there. */
export type DirectorySettings = SecretSettings & {
  bamboohr?: BambooHrDirectorySettings;
  hibob?: HiBobDirectorySettings;
};

export function secretsFor(config: SecretSettings, env: NodeJS.ProcessEnv): SecretReader {
  return secretReader({
    maxAgeSeconds: config.secretsMaxAgeSeconds,
    secretsManager: async () => tracing.client(await secretsManagerClient(env)),
    ssm: async () => tracing.client(await ssmClient(env)),
  });
}

/** BambooHR's REST API as an HrDirectory, when BAMBOOHR_COMPANY_DOMAIN is set. */
export function bambooHrDirectory(
  config: DirectorySettings,
  env: NodeJS.ProcessEnv = process.env,
): HrDirectory | undefined {
  const settings = config.bamboohr;
  if (!settings) return undefined;
  const secrets = secretsFor(config, env);
  // A vendor's API: an employee it does not know has left only once confirmed.
  return lazyDirectory(false, async () => {
    const { BambooHrDirectory } = await import("../hr/bamboohr/directory");
    return new BambooHrDirectory({
      apiUrl: settings.apiUrl,
      companyDomain: settings.companyDomain,
      timeoutMs: settings.timeoutMs,
      apiKey: () => secrets.read(settings.apiKey),
    });
  });
}

/** HiBob's People API as an HrDirectory, when HIBOB_SERVICE_USER_ID is set. */
export function hiBobDirectory(
  config: DirectorySettings,
  env: NodeJS.ProcessEnv = process.env,
): HrDirectory | undefined {
  const settings = config.hibob;
  if (!settings) return undefined;
  const secrets = secretsFor(config, env);
  return lazyDirectory(false, async () => {
    const { HiBobDirectory } = await import("../hr/hibob/directory");
    return new HiBobDirectory({
      apiUrl: settings.apiUrl,
      serviceUserId: settings.serviceUserId,
      timeoutMs: settings.timeoutMs,
      token: () => secrets.read(settings.token),
    });
  });
}

/**
 * The HR systems whose own directory is the roster of the employees they
 * sent (the reconciliation's `vendorRosters`): each one configured.
 */
export function vendorRosters(
  config: DirectorySettings,
  env: NodeJS.ProcessEnv = process.env,
): VendorRoster[] {
  const rosters: VendorRoster[] = [];
  const bamboo = bambooHrDirectory(config, env);
  if (bamboo) rosters.push({ source: BAMBOOHR_SOURCE, directory: bamboo });
  const hibob = hiBobDirectory(config, env);
  if (hibob) rosters.push({ source: HIBOB_SOURCE, directory: hibob });
  return rosters;
}

/**
 * Where the worker reads a thin event's record, by the event's source:
 * BambooHR's and HiBob's APIs for theirs, the stored records for everything
 * else. A vendor's event without its directory configured is refused for
 * good, never read from the stored records.
 */
export function hrDirectoryFor(
  config: DirectorySettings,
  storedRecords: (source: string) => HrDirectory,
  env: NodeJS.ProcessEnv = process.env,
): (source: string) => HrDirectory {
  const vendors = new Map<string, HrDirectory | undefined>([
    [BAMBOOHR_SOURCE, bambooHrDirectory(config, env)],
    [HIBOB_SOURCE, hiBobDirectory(config, env)],
  ]);
  return (source) => {
    if (!vendors.has(source)) return storedRecords(source);
    const directory = vendors.get(source);
    if (!directory) throw new HrDirectoryNotConfiguredError(source);
    return directory;
  };
}
