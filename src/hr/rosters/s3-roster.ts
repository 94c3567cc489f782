import type { _Object, S3Client } from "@aws-sdk/client-s3";
import {
  type RosterLimits,
  type RosterSnapshot,
  type RosterSource,
  RosterUnreadableError,
} from "../../app/ports/roster-source";
import type { S3RosterSettings } from "../../domain/roster-settings";
import { readBounded } from "./bounded-read";

/**
 * The newest object under a bucket and prefix is the roster (an HR export
 * dropped in S3). It is read whole or not at all: the object it listed,
 * by its ETag, so that an export replaced while it is read is refused. The
 * S3 client and its commands are loaded at the first read: a function that
 * reads no S3 roster never parses them.
 */
export class S3RosterSource implements RosterSource {
  readonly kind = "s3" as const;
  readonly limits: RosterLimits;

  constructor(
    private readonly s3: () => Promise<S3Client>,
    readonly source: string,
    private readonly settings: S3RosterSettings,
  ) {
    this.limits = {
      maxAgeHours: settings.maxAgeHours,
      minShareOfLast: settings.minShareOfLast,
      graceMinutes: settings.graceMinutes,
    };
  }

  async read(): Promise<RosterSnapshot> {
    const { bucket, prefix } = this.settings;
    const newest = await this.newest();
    if (!newest?.Key)
      throw new RosterUnreadableError(`s3://${bucket}/${prefix} holds no roster object`);
    const location = `s3://${bucket}/${newest.Key}`;
    try {
      // The CSV and JSON readers (csv-parse) and the record checks load with the first roster
      // read: a cold start skips them.
      const [client, { GetObjectCommand }, { formatOf, rowsOf }, { oneRowEach }] =
        await Promise.all([this.s3(), import("./s3-sdk"), import("./formats"), import("./rows")]);
      const object = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: newest.Key, IfMatch: newest.ETag }),
      );
      if (!object.Body) throw new RosterUnreadableError(`${location} has no body`);
      const body = await readBounded(object.Body as AsyncIterable<Uint8Array>, {
        maxBytes: this.settings.maxBytes,
        announced: object.ContentLength,
        what: location,
      });
      const format = formatOf(newest.Key, this.settings.format);
      const rows = oneRowEach(rowsOf(body, { ...this.settings, format }));
      const asOf = object.LastModified ?? newest.LastModified ?? new Date(0);
      return { asOf, location, bytes: body.byteLength, rows };
    } catch (error) {
      throw unreadable(error, `cannot read ${location}`);
    }
  }

  /** The object with the latest LastModified (the later key on a tie); folders left out. */
  private async newest(): Promise<_Object | undefined> {
    let newest: _Object | undefined;
    try {
      const [client, { paginateListObjectsV2 }] = await Promise.all([
        this.s3(),
        import("./s3-sdk"),
      ]);
      for await (const page of paginateListObjectsV2(
        { client },
        { Bucket: this.settings.bucket, Prefix: this.settings.prefix },
      )) {
        for (const object of page.Contents ?? []) {
          if (!object.Key || object.Key.endsWith("/")) continue;
          const at = object.LastModified?.getTime() ?? 0;
          const best = newest?.LastModified?.getTime() ?? -1;
          if (at > best || (at === best && object.Key > (newest?.Key ?? ""))) newest = object;
        }
      }
    } catch (error) {
      throw unreadable(error, `cannot list s3://${this.settings.bucket}/${this.settings.prefix}`);
    }
    return newest;
  }
}

/** S3's refusal by its error name (AccessDenied, NoSuchBucket, PreconditionFailed); never a body. */
function unreadable(error: unknown, what: string): RosterUnreadableError {
  if (error instanceof RosterUnreadableError) return error;
  const name = error instanceof Error ? error.name : "UnknownError";
  const hint = name === "PreconditionFailed" ? ": the object changed while it was read" : "";
  return new RosterUnreadableError(`${what} (${name})${hint}`, { cause: error });
}
