import type { RosterSource } from "../app/ports/roster-source";
import type { VendorRoster } from "../app/reconcile/roster";
import { HttpsRosterSource } from "../hr/rosters/https-roster";
import { S3RosterSource } from "../hr/rosters/s3-roster";
import type { ReconcileConfig } from "./config";
import { secretsFor, vendorRosters } from "./hr-directories";
import { s3Client } from "./s3-client";
import { tracing } from "./tracing";

/**
 * Each HR source's roster as the rosters file says: an S3 export or an HTTPS
 * report read whole, or a vendor's directory (BambooHR, HiBob: theirs when
 * configured, unless the file names another roster for them). Sources in
 * neither list are reconciled against the stored records.
 */
export function rosterInputs(
  config: ReconcileConfig,
  env: NodeJS.ProcessEnv = process.env,
): { vendorRosters: VendorRoster[]; rosterSources: RosterSource[] } {
  const { rosters, secrets } = config.rosters;
  const vendors = vendorRosters(config, env).filter(
    (vendor) => (rosters[vendor.source]?.kind ?? vendor.source) === vendor.source,
  );
  const sources: RosterSource[] = [];
  let s3: ReturnType<typeof s3Client> | undefined;
  const s3Once = () => {
    s3 ??= s3Client(env).then((client) => tracing.client(client));
    return s3;
  };
  const reader = secretsFor(config, env);
  const secret = (ref: string) => {
    const source = secrets[ref];
    if (!source) throw new Error(`the secret ${ref} was not checked at start`);
    return reader.read(source);
  };
  for (const [source, roster] of Object.entries(rosters)) {
    if (roster.kind === "s3") {
      sources.push(new S3RosterSource(s3Once, source, roster));
    } else if (roster.kind === "https") sources.push(new HttpsRosterSource(source, roster, secret));
  }
  return { vendorRosters: vendors, rosterSources: sources };
}
