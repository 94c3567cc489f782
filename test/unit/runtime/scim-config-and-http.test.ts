import { describe, expect, it } from "vitest";
import { apiGatewayEventV2 } from "../../../src/local/http-api";
import { ConfigError } from "../../../src/runtime/config";
import { loadScimConfig } from "../../../src/runtime/scim-config";
import { scimAnswer, scimRequestFrom } from "../../../src/runtime/scim-http";

const RULES_FILE = new URL("../../../config/sync-rules.yaml", import.meta.url).pathname;
const TOKEN = "a-token-of-enough-length-0123456789abcdef";

const env = (overrides: Record<string, string> = {}) => ({
  AWS_REGION: "eu-west-2",
  QUEUE_URL: "https://sqs.eu-west-2.amazonaws.com/123456789012/events.fifo",
  SCIM_USERS_TABLE: "scim-users",
  SYNC_RULES_FILE: RULES_FILE,
  SCIM_TOKEN_REF: "secretsmanager:connect-hr-sync-prod-scim-token",
  ...overrides,
});

describe("the scim function's configuration", () => {
  it("reads where the token lives, the table, the queue and the rules' identity mode", () => {
    expect(loadScimConfig(env())).toMatchObject({
      token: { store: "secretsmanager", id: "connect-hr-sync-prod-scim-token" },
      tables: { scimUsers: "scim-users" },
      identityMode: "SAML",
    });
  });

  it("needs a token reference; a token in a variable only in local mode, and long enough", () => {
    expect(() => loadScimConfig(env({ SCIM_TOKEN_REF: "secretsmanager:" }))).toThrow(ConfigError);
    expect(() => loadScimConfig(env({ SCIM_TOKEN_REF: "", SCIM_TOKEN: TOKEN }))).toThrow(
      /only when LOCAL_MODE=true/,
    );
    expect(() =>
      loadScimConfig(env({ SCIM_TOKEN_REF: "", SCIM_TOKEN: "short", LOCAL_MODE: "true" })),
    ).toThrow(/at least 32/);
    expect(
      loadScimConfig(env({ SCIM_TOKEN_REF: "", SCIM_TOKEN: TOKEN, LOCAL_MODE: "true" })).token,
    ).toMatchObject({ store: "env" });
  });

  it("never names the token's value in its errors", () => {
    const error = (() => {
      try {
        loadScimConfig(env({ SCIM_TOKEN_REF: "", SCIM_TOKEN: TOKEN }));
      } catch (e) {
        return e as Error;
      }
    })();

    expect(error?.message).not.toContain(TOKEN);
  });
});

describe("the SCIM HTTP edge", () => {
  const event = (rawPath: string, headers: Record<string, string> = {}) =>
    apiGatewayEventV2({
      method: "GET",
      rawPath,
      routeKey: "ANY /scim/v2/{proxy+}",
      headers: { host: "hr.example.com", "x-forwarded-proto": "https", ...headers },
    });

  it("finds the path below /scim/v2 and the base URL, behind a custom domain's base path too", () => {
    const request = scimRequestFrom(event("/people/scim/v2/Users/a%2Fb"));

    expect(request.path).toBe("/Users/a/b");
    expect(request.baseUrl).toBe("https://hr.example.com/people/scim/v2");
    expect(
      scimRequestFrom(event("/scim/v2/Users"), "https://scim.example.com/scim/v2").baseUrl,
    ).toBe("https://scim.example.com/scim/v2");
  });

  it("answers refusals as SCIM error JSON with status as a string, and 503 with Retry-After", () => {
    const refused = scimAnswer({
      kind: "refused",
      problem: { status: 409, scimType: "uniqueness", detail: "userName is already taken" },
    });
    const unavailable = scimAnswer({
      kind: "unavailable",
      what: "queue",
      errorName: "InternalError",
    });

    expect(refused.headers?.["content-type"]).toBe("application/scim+json");
    expect(JSON.parse(refused.body ?? "")).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
      detail: "userName is already taken",
    });
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.headers?.["retry-after"]).toBe("10");
  });

  it("answers 204 without a body, and a misconfigured token as a bare 500", () => {
    expect(scimAnswer({ kind: "ok", status: 204 })).toEqual({
      statusCode: 204,
      headers: { "cache-control": "no-store" },
    });
    const broken = scimAnswer({ kind: "misconfigured", problem: "the SCIM token must be ..." });
    expect(broken.statusCode).toBe(500);
    expect(broken.body).not.toContain("token");
  });
});
