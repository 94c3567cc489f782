import { parseJsonBody } from "../../hr/json-body";
import type { LowerCaseHeaders } from "../../hr/signatures";
import {
  resourceTypes,
  schemaDocument,
  schemas,
  serviceProviderConfig,
  userResourceType,
} from "../../scim/discovery";
import { notFound, type ScimProblem } from "../../scim/errors";
import { checkMediaType } from "../ingest-webhook";
import { authenticate, type TokenDeps } from "./authenticate";
import { patchUser, replaceUser } from "./change-user";
import { refused, type ScimCall, type ScimDeps, type ScimOutcome } from "./context";
import { createUser } from "./create-user";
import { deleteUser } from "./delete-user";
import { getUser, listUsers } from "./query-users";

/**
 * The SCIM service provider at /scim/v2: authenticate, route, read the body,
 * call one use case. Every refusal is an outcome, answered as SCIM error
 * JSON by src/runtime/scim-http.ts. The token is checked before anything
 * else, so that nothing, not even which paths exist, is told without it.
 */

/** A User is a few KB; this is far more than any IdP sends and far less than Lambda takes. */
export const MAX_SCIM_BODY_BYTES = 64 * 1024;
export const SCIM_MEDIA_TYPES = ["application/scim+json", "application/json"] as const;

export interface ScimRequest {
  method: string;
  /** The path below /scim/v2, decoded: `/Users`, `/Users/2819c223`. */
  path: string;
  query: Readonly<Record<string, string | undefined>>;
  headers: LowerCaseHeaders;
  body: Buffer;
  baseUrl: string;
}

export async function handleScimRequest(
  request: ScimRequest,
  deps: ScimDeps & TokenDeps,
): Promise<ScimOutcome> {
  const denied = await authenticate(request.headers.authorization, deps);
  if (denied) return denied;
  const call: ScimCall = { baseUrl: request.baseUrl, ifMatch: request.headers["if-match"] };
  const method = request.method.toUpperCase();
  const [collection = "", id, ...rest] = request.path.split("/").filter((s) => s !== "");
  const only = (allowed: readonly string[], run: () => Promise<ScimOutcome> | ScimOutcome) =>
    allowed.includes(method) ? run() : notAllowed(allowed);
  const document = (body: unknown): ScimOutcome =>
    body === undefined ? refused(notFound("Schema")) : { kind: "ok", status: 200, body };

  if (rest.length > 0) return refused(notFound("Endpoint"));
  switch (collection.toLowerCase()) {
    case "serviceproviderconfig":
      if (id !== undefined) return refused(notFound("Endpoint"));
      return only(["GET"], () => document(serviceProviderConfig(request.baseUrl)));
    case "resourcetypes":
      if (id !== undefined && id !== "User") return refused(notFound("ResourceType"));
      return only(["GET"], () =>
        document(id ? userResourceType(request.baseUrl) : resourceTypes(request.baseUrl)),
      );
    case "schemas":
      return only(["GET"], () =>
        document(id ? schemaDocument(request.baseUrl, id) : schemas(request.baseUrl)),
      );
    case "users":
      if (id === undefined)
        return only(["GET", "POST"], () =>
          method === "GET"
            ? listUsers(request.query, call, deps)
            : withBody(request, (body) => createUser(body, call, deps)),
        );
      return only(["GET", "PUT", "PATCH", "DELETE"], () => {
        switch (method) {
          case "GET":
            return getUser(id, call, deps);
          case "PUT":
            return withBody(request, (body) => replaceUser(id, body, call, deps));
          case "PATCH":
            return withBody(request, (body) => patchUser(id, body, call, deps));
          default:
            return deleteUser(id, call, deps);
        }
      });
    case "groups":
      return refused({
        status: 404,
        detail: "Groups are not provisioned by this service provider",
      });
    default:
      return refused(notFound("Endpoint"));
  }
}

function notAllowed(allowed: readonly string[]): ScimOutcome {
  const problem: ScimProblem = {
    status: 405,
    detail: `This endpoint answers ${allowed.join(", ")}`,
  };
  return { kind: "refused", problem, allow: allowed };
}

/** The JSON body, or why it cannot be read: too large, not JSON, a prototype key. */
async function withBody(
  request: ScimRequest,
  run: (body: unknown) => Promise<ScimOutcome>,
): Promise<ScimOutcome> {
  if (request.body.length > MAX_SCIM_BODY_BYTES)
    return refused({
      status: 413,
      detail: `The body is ${request.body.length} bytes; at most ${MAX_SCIM_BODY_BYTES} are accepted`,
    });
  const media = checkMediaType(request.headers, SCIM_MEDIA_TYPES);
  if (!media.ok)
    return refused({
      status: 415,
      detail: `Send the body as ${SCIM_MEDIA_TYPES.join(" or ")}, in UTF-8, without a Content-Encoding`,
    });
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok)
    return refused({
      status: 400,
      scimType: "invalidSyntax",
      detail: parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; "),
    });
  return run(parsed.value);
}
