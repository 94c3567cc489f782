import { RosterUnreadableError } from "../../app/ports/roster-source";

/**
 * Reads a body whole, but never more than `maxBytes`: a roster larger than
 * its bound is refused, not read in part. A body that ends before the length
 * its sender announced is cut off.
 */
export async function readBounded(
  body: AsyncIterable<Uint8Array>,
  options: { maxBytes: number; announced?: number; what: string },
): Promise<Buffer> {
  if (options.announced !== undefined && options.announced > options.maxBytes)
    throw new RosterUnreadableError(
      `${options.what} is ${options.announced} bytes, over the bound of ${options.maxBytes} (maxBytes)`,
    );
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > options.maxBytes)
        throw new RosterUnreadableError(
          `${options.what} is over the bound of ${options.maxBytes} bytes (maxBytes)`,
        );
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof RosterUnreadableError) throw error;
    // A deadline that ran out is the caller's to name.
    if ((error as Error).name === "TimeoutError" || (error as Error).name === "AbortError")
      throw error;
    throw new RosterUnreadableError(
      `${options.what} broke off after ${total} bytes (${error instanceof Error ? error.name : "Error"}): cut off`,
      { cause: error },
    );
  }
  if (options.announced !== undefined && total !== options.announced)
    throw new RosterUnreadableError(
      `${options.what} ended after ${total} of ${options.announced} bytes: cut off`,
    );
  return Buffer.concat(chunks);
}
