import type { HrDirectory } from "../app/ports/hr-directory";
import { BambooHrDirectory } from "../hr/bamboohr/directory";
import { BAMBOOHR_SOURCE } from "../hr/bamboohr/webhook";
import { HrDirectoryNotConfiguredError } from "../hr/directory";
import { secretsManagerClient, ssmClient } from "./aws-clients";
import type { BambooHrDirectorySettings, SecretSettings } from "./config";
import { tracer } from "./observability";
import { secretReader } from "./secrets";

/** BambooHR's REST API as an HrDirectory, when BAMBOOHR_COMPANY_DOMAIN is set. */
export function bambooHrDirectory(
  config: SecretSettings & { bamboohr?: BambooHrDirectorySettings },
  env: NodeJS.ProcessEnv = process.env,
): HrDirectory | undefined {
  const settings = config.bamboohr;
  if (!settings) return undefined;
  const secrets = secretReader({
    maxAgeSeconds: config.secretsMaxAgeSeconds,
    secretsManager: () => tracer.captureAWSv3Client(secretsManagerClient(env)),
    ssm: () => tracer.captureAWSv3Client(ssmClient(env)),
  });
  return new BambooHrDirectory({
    apiUrl: settings.apiUrl,
    companyDomain: settings.companyDomain,
    timeoutMs: settings.timeoutMs,
    apiKey: () => secrets.read(settings.apiKey),
  });
}

/**
 * Where the worker reads a thin event's record, by the event's source:
 * BambooHR's API for "bamboohr", the stored records for everything else.
 */
export function hrDirectoryFor(
  config: SecretSettings & { bamboohr?: BambooHrDirectorySettings },
  storedRecords: (source: string) => HrDirectory,
  env: NodeJS.ProcessEnv = process.env,
): (source: string) => HrDirectory {
  const bamboo = bambooHrDirectory(config, env);
  return (source) => {
    if (source !== BAMBOOHR_SOURCE) return storedRecords(source);
    if (!bamboo) throw new HrDirectoryNotConfiguredError(BAMBOOHR_SOURCE);
    return bamboo;
  };
}
