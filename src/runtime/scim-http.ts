import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ScimOutcome } from "../app/scim/context";
import type { ScimRequest } from "../app/scim/handle-request";
import { type ScimProblem, scimErrorBody } from "../scim/errors";
import { RETRY_AFTER_SECONDS, webhookRequestFrom } from "./webhook-http";

/**
 * The HTTP edge of the SCIM endpoint, in one place: an API Gateway (HTTP
 * API, payload 2.0) event below /scim/v2 becomes a ScimRequest, and every
 * ScimOutcome its status, headers and `application/scim+json` body. Refusals
 * are SCIM error JSON; never a stack trace, never a value from the request.
 */

export const SCIM_CONTENT_TYPE = "application/scim+json";
export const SCIM_PREFIX = "/scim/v2";

export function scimRequestFrom(event: APIGatewayProxyEventV2, baseUrl?: string): ScimRequest {
  const { headers, body } = webhookRequestFrom(event);
  const rawPath = event.rawPath ?? "/";
  const at = rawPath.toLowerCase().indexOf(SCIM_PREFIX);
  const prefixEnd = at === -1 ? 0 : at + SCIM_PREFIX.length;
  const path = rawPath.slice(prefixEnd).split("/").map(safeDecode).join("/");
  const scheme = (headers["x-forwarded-proto"] ?? "https").split(",")[0]?.trim() || "https";
  const host = headers.host ?? event.requestContext?.domainName ?? "localhost";
  return {
    method: event.requestContext?.http?.method ?? "GET",
    path,
    query: event.queryStringParameters ?? {},
    headers,
    body,
    baseUrl: baseUrl ?? `${scheme}://${host}${rawPath.slice(0, prefixEnd)}`,
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function scimAnswer(outcome: ScimOutcome): APIGatewayProxyStructuredResultV2 {
  switch (outcome.kind) {
    case "ok": {
      const headers: Record<string, string> = { ...baseHeaders() };
      if (outcome.status === 201 && outcome.location) headers.location = outcome.location;
      if (outcome.etag) headers.etag = outcome.etag;
      return outcome.body === undefined
        ? { statusCode: outcome.status, headers: { "cache-control": "no-store" } }
        : { statusCode: outcome.status, headers, body: JSON.stringify(outcome.body) };
    }
    case "refused":
      return error(outcome.problem, outcome.allow ? { allow: outcome.allow.join(", ") } : {});
    case "unauthorized":
      return error(outcome.problem, { "www-authenticate": 'Bearer realm="scim"' });
    case "unavailable":
      return error(
        {
          status: 503,
          detail:
            outcome.what === "queue"
              ? "The change is stored but could not be queued for Amazon Connect: send the same request again"
              : "The token cannot be checked right now: send the request again later",
        },
        { "retry-after": String(RETRY_AFTER_SECONDS) },
      );
    case "misconfigured":
      return scimInternalError();
  }
}

/** For anything unexpected: no detail leaves the service; the logs have the error's name. */
export function scimInternalError(): APIGatewayProxyStructuredResultV2 {
  return error({ status: 500, detail: "The request could not be handled. Send it again later." });
}

function baseHeaders(): Record<string, string> {
  return { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store" };
}

function error(
  problem: ScimProblem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { ...baseHeaders(), ...headers },
    body: JSON.stringify(scimErrorBody(problem)),
  };
}
