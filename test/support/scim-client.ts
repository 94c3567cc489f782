import type { LocalStack } from "../../src/local/stack";

export interface ScimReply {
  status: number;
  headers: Headers;
  /** The body as JSON (undefined when empty). */
  json: Record<string, unknown> & {
    id: string;
    Resources: (Record<string, unknown> & { id: string })[];
    totalResults: number;
    detail?: string;
  };
}

export interface ScimCallOptions {
  body?: unknown;
  /** Sent as is; `null` sends no Authorization header. */
  authorization?: string | null;
  headers?: Record<string, string>;
}

/** An IdP's HTTP calls to the local stack's SCIM endpoint, with its token unless told otherwise. */
export function scimClient(stack: Pick<LocalStack, "scimUrl" | "scimToken">) {
  return async (
    method: string,
    path: string,
    options: ScimCallOptions = {},
  ): Promise<ScimReply> => {
    const headers: Record<string, string> = {
      "content-type": "application/scim+json",
      ...options.headers,
    };
    const authorization =
      options.authorization === undefined ? `Bearer ${stack.scimToken}` : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    const body =
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body);
    const response = await fetch(`${stack.scimUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text === "" ? undefined : JSON.parse(text),
    };
  };
}

export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`;
