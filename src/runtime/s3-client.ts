import type { S3Client } from "@aws-sdk/client-s3";
import { endpointFor } from "./endpoints";

/**
 * The S3 client of the S3 rosters, loaded when first needed: its SDK module is
 * a chunk of its own, which a cold start does not parse. Its own file so that
 * a function that reads no roster does not even ship that chunk. A local S3
 * stand-in answers on one host: buckets go in the path there, not the host name.
 */
export async function s3Client(env: NodeJS.ProcessEnv = process.env): Promise<S3Client> {
  const { S3Client } = await import("../hr/rosters/s3-sdk");
  const endpoint = endpointFor("S3", env);
  return new S3Client({ ...endpoint, forcePathStyle: endpoint.endpoint !== undefined });
}
