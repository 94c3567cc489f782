import { BambooHrDirectory } from "../hr/bamboohr/directory";
import { BAMBOOHR_SOURCE } from "../hr/bamboohr/webhook";
import { type HrDirectory, HrDirectoryNotConfiguredError } from "../hr/directory";
import { secretsManagerClient, ssmClient } from "./aws";
import { bambooHrDirectorySettings, type WorkerConfig } from "./config";
import { tracer } from "./observability";
import { secretReader } from "./secrets";

/**
 * Where the worker reads a thin event's record, by the event's source:
 * BambooHR's API for "bamboohr", the stored records for everything else.
 */
export function hrDirectoryFor(
  config: WorkerConfig,
  storedRecords: HrDirectory,
  env: NodeJS.ProcessEnv = process.env,
): (source: string | undefined) => HrDirectory {
  const settings = bambooHrDirectorySettings(config);
  let bamboo: HrDirectory | undefined;
  if (settings) {
    const secrets = secretReader({
      maxAgeSeconds: config.SECRETS_MAX_AGE_SECONDS,
      secretsManager: () => tracer.captureAWSv3Client(secretsManagerClient(env)),
      ssm: () => tracer.captureAWSv3Client(ssmClient(env)),
    });
    bamboo = new BambooHrDirectory({
      apiUrl: settings.apiUrl,
      companyDomain: settings.companyDomain,
      timeoutMs: settings.timeoutMs,
      apiKey: () => secrets.read(settings.apiKey),
    });
  }
  return (source) => {
    if (source !== BAMBOOHR_SOURCE) return storedRecords;
    if (!bamboo) throw new HrDirectoryNotConfiguredError(BAMBOOHR_SOURCE);
    return bamboo;
  };
}
