/**
 * Reading requests and writing answers the way AWS rest-json services do:
 * `x-amzn-RequestId` on every answer, errors with `x-amzn-ErrorType` and a
 * body carrying both `Message` and `message`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConnectApiError } from "./errors";

/** Far above any Connect user request; protects the emulator from runaway bodies. */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new ConnectApiError(
        "RequestEntityTooLargeException",
        `Request body exceeds ${limit} bytes.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** An empty body is an empty object; anything else must be a JSON object. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConnectApiError("SerializationException", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConnectApiError("SerializationException", "The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function sendApiError(
  response: ServerResponse,
  error: ConnectApiError,
  requestId: string,
): void {
  const headers: Record<string, string> = {
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": error.errorName,
  };
  // A body that was not read to its end cannot leave the connection reusable.
  if (error.errorName === "RequestEntityTooLargeException") headers.connection = "close";
  sendJson(response, error.status, { Message: error.message, message: error.message }, headers);
}
