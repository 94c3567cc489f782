import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { IngestOutcome, WebhookRequest } from "../app/ingest-webhook";
import type { FieldProblem } from "../domain/validation";
import { REPLAY_WINDOW_SECONDS, type SignatureFailure } from "../hr/signatures";

/**
 * The HTTP edge of the HR webhook, in one place: an API Gateway (HTTP API,
 * payload 2.0) event becomes a WebhookRequest, and every IngestOutcome
 * becomes its status code and body. Refusals are RFC 9457 problem details
 * (`application/problem+json`): type, title, status, detail, and for invalid
 * events `errors: [{path, message}]`. Never a stack trace, never a value
 * from the request.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
const PROBLEM_TYPE = "urn:connect-hr-sync:problem:";
/** Seconds a sender is asked to wait after a 503. */
export const RETRY_AFTER_SECONDS = 10;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  /** API Gateway's request id: what an operator searches the logs for. */
  requestId?: string;
}

/** The body API Gateway received, byte for byte (it base64-encodes what is not text). */
export function webhookRequestFrom(event: APIGatewayProxyEventV2): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  const text = event.body ?? "";
  return {
    source: event.pathParameters?.source,
    headers,
    body: Buffer.from(text, event.isBase64Encoded ? "base64" : "utf8"),
  };
}

export function httpAnswer(
  outcome: IngestOutcome,
  requestId?: string,
): APIGatewayProxyStructuredResultV2 {
  const problem = (
    status: number,
    slug: string,
    title: string,
    detail: string,
    extra: { errors?: FieldProblem[]; headers?: Record<string, string> } = {},
  ): APIGatewayProxyStructuredResultV2 => {
    const body: Problem = { type: `${PROBLEM_TYPE}${slug}`, title, status, detail };
    if (extra.errors) body.errors = extra.errors;
    if (requestId) body.requestId = requestId;
    return {
      statusCode: status,
      headers: {
        "content-type": PROBLEM_CONTENT_TYPE,
        "cache-control": "no-store",
        ...extra.headers,
      },
      body: JSON.stringify(body),
    };
  };

  switch (outcome.kind) {
    case "accepted":
      return {
        statusCode: 202,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
        body: JSON.stringify({ accepted: outcome.events.map((e) => e.eventId) }),
      };
    case "unknown-source":
      return problem(404, "unknown-source", "Unknown HR source", "There is no HR webhook here.");
    case "too-large":
      return problem(
        413,
        "payload-too-large",
        "Payload too large",
        outcome.what === "body"
          ? `The body is ${outcome.bytes} bytes; at most ${outcome.limit} are accepted. Send fewer events per request.`
          : `The events would take ${outcome.bytes} bytes on the queue; at most ${outcome.limit} are accepted per request. Send fewer events per request.`,
      );
    case "unsupported-media-type":
      return problem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        outcome.reason === "content-encoding"
          ? "Send the body without a Content-Encoding."
          : outcome.reason === "charset"
            ? "The body must be UTF-8."
            : `Send the body as ${outcome.accepted.join(" or ")}.`,
        { headers: { "accept-post": outcome.accepted.join(", ") } },
      );
    case "unauthorized":
      return problem(
        401,
        "invalid-signature",
        "Signature missing, wrong or expired",
        signatureDetail(outcome.failure, outcome.signatureHeaders),
        { headers: { "www-authenticate": `Signature realm="hr-webhook/${outcome.source}"` } },
      );
    case "invalid":
      return problem(400, "invalid-events", "Invalid HR events", outcome.detail, {
        errors: outcome.problems,
      });
    case "unavailable":
      return problem(
        503,
        "temporarily-unavailable",
        "Temporarily unavailable",
        outcome.what === "queue"
          ? "The events could not all be queued. Send the same request again: events already queued are not applied twice."
          : "The signature cannot be checked right now. Send the same request again later.",
        { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
      );
    case "misconfigured":
      return internalError(requestId);
  }
}

/** For anything unexpected: no detail leaves the service; the logs have the error's name. */
export function internalError(requestId?: string): APIGatewayProxyStructuredResultV2 {
  const body: Problem = {
    type: `${PROBLEM_TYPE}internal-error`,
    title: "Internal error",
    status: 500,
    detail: "The request could not be handled. Send it again later.",
  };
  if (requestId) body.requestId = requestId;
  return {
    statusCode: 500,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store" },
    body: JSON.stringify(body),
  };
}

function signatureDetail(failure: SignatureFailure, headers: readonly string[]): string {
  const names = headers.join(", ");
  switch (failure) {
    case "missing":
      return `The request is not signed: ${names} are required.`;
    case "malformed":
      return `The signature headers (${names}) are not in the expected form.`;
    case "expired":
      return `The signature's timestamp is more than ${REPLAY_WINDOW_SECONDS / 60} minutes from the server's clock: a replayed request, or a sender whose clock is off.`;
    case "mismatch":
      return "The signature does not match the body and this source's secret.";
  }
}
