import { PermanentError } from "../app/errors";

/**
 * How a failed Connect call is handled, as DESIGN.md lays it out:
 * throttling and internal errors are transient (retried with backoff, then
 * the SQS message is retried); invalid input, invalid requests and a full
 * instance are permanent (the message goes to the DLQ with its reason).
 */

const TRANSIENT = new Set([
  "ThrottlingException",
  "InternalServiceException",
  "ServiceUnavailableException",
  "TooManyRequestsException",
  // Lost answers: the request may or may not have been applied; every call we make is safe to repeat.
  "TimeoutError",
  "RequestTimeout",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "socket hang up",
]);

export function isTransientConnectError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  const fault = (error as { $fault?: string }).$fault;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // LimitExceededException is also HTTP 429, but it means the instance is full: never retried.
  if (error.name === "LimitExceededException") return false;
  return (
    TRANSIENT.has(error.name) ||
    (code !== undefined && TRANSIENT.has(code)) ||
    TRANSIENT.has(error.message) ||
    (fault === "server" && status !== undefined && status >= 500)
  );
}

/** A Connect call that failed for good: retrying the same request cannot succeed. */
export class ConnectPermanentError extends PermanentError {
  constructor(
    readonly operation: string,
    errorName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("ConnectPermanentError", `${operation} failed: ${errorName}: ${message}`, {
      ...options,
      errorName,
    });
  }
}

/** A Connect call that kept failing for a passing reason; the message is retried later. */
export class ConnectTransientError extends Error {
  constructor(
    readonly operation: string,
    readonly errorName: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`${operation} still failing after ${attempts} attempts: ${errorName}`, options);
    this.name = "ConnectTransientError";
  }
}
