import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { parseRoster } from "../hr/roster/parse";
import { ConfigError } from "../runtime/env-settings";
import { type AwsStandIns, LOCAL_CREDENTIALS } from "./aws-stand-ins";

/** Where `local --roster FILE` serves the canonical feed's roster: the local S3, as HR would drop it. */
export const LOCAL_ROSTER = { bucket: "connect-hr-sync-local-rosters", prefix: "canonical/" };

export interface LocalRoster {
  bucket: string;
  prefix: string;
  /** The rosters file the reconciliation reads (ROSTERS_FILE). */
  rostersFile: string;
  /** Drops a new export (a CSV like import's) under the prefix; the newest is the roster. Answers its key. */
  upload(csv: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The canonical source's roster in the local S3 (fauxqs): a bucket, a rosters
 * file naming it, and the CSV given as its first export.
 */
export async function startLocalRoster(aws: AwsStandIns, csvFile: string): Promise<LocalRoster> {
  let csv: string;
  try {
    csv = await readFile(csvFile, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the roster ${csvFile}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  // Its columns are checked now, not at the first reconciliation (RosterFileError names them).
  parseRoster(csv, csvFile);
  const s3 = new S3Client({
    endpoint: aws.s3Endpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  const dir = await mkdtemp(join(tmpdir(), "connect-hr-sync-rosters-"));
  const rostersFile = join(dir, "rosters.yaml");
  await writeFile(
    rostersFile,
    [
      "# Written by `connect-hr-sync local --roster`: the canonical feed's roster is the newest",
      "# export in the local S3 stand-in.",
      "version: 1",
      "rosters:",
      "  canonical:",
      "    kind: s3",
      `    bucket: ${LOCAL_ROSTER.bucket}`,
      `    prefix: ${LOCAL_ROSTER.prefix}`,
      "    format: csv",
      "",
    ].join("\n"),
  );
  await s3.send(new CreateBucketCommand({ Bucket: LOCAL_ROSTER.bucket }));
  let exports = 0;
  const upload = async (text: string) => {
    exports += 1;
    // Keys that sort in upload order: two uploads in one millisecond are still told apart.
    const key = `${LOCAL_ROSTER.prefix}roster-${String(exports).padStart(6, "0")}.csv`;
    await s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_ROSTER.bucket,
        Key: key,
        Body: text,
        ContentType: "text/csv",
      }),
    );
    return key;
  };
  await upload(csv);
  return {
    ...LOCAL_ROSTER,
    rostersFile,
    upload,
    async close() {
      s3.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
