import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../../src/local/aws-stand-ins";
import { apiGatewayEventV2 } from "../../../src/local/http-api";
import { lambdaContext } from "../../../src/local/lambda-shapes";
import { deduplicationId } from "../../../src/queue/publisher";
import { CORE, ENTERPRISE, entraUser, patchBody } from "../../support/scim-fixtures";

/**
 * handlers/scim.ts itself, configured from its environment as on Lambda,
 * against dynalite and fauxqs: hostile requests, and a queue that is not
 * there yet (503, the user kept; the retry queues the same event).
 */

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const TOKEN = "handler-test-token-0123456789abcdefghijklmn";
const QUEUE_NAME = "created-later.fifo";
let aws: AwsStandIns;
let sqs: SQSClient;
let handler: Handler;

beforeAll(async () => {
  aws = await startAwsStandIns();
  sqs = new SQSClient({
    endpoint: aws.sqsEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  Object.assign(process.env, aws.env, {
    LOCAL_MODE: "true",
    SCIM_TOKEN: TOKEN,
    SCIM_USERS_TABLE: aws.tables.ScimUsersTable,
    // A queue that does not exist until a test creates it.
    QUEUE_URL: (aws.queues.SyncQueue?.url ?? "").replace(/[^/]+$/, QUEUE_NAME),
    PUBLISH_ATTEMPTS: "1",
  });
  ({ handler } = (await import("../../../handlers/scim")) as unknown as { handler: Handler });
});

afterAll(async () => {
  sqs?.destroy();
  await aws?.close();
});

interface Call {
  method?: string;
  path?: string;
  query?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

async function call({ method = "GET", path = "/Users", query, body, headers = {} }: Call) {
  const event = apiGatewayEventV2({
    method,
    rawPath: `/scim/v2${path}`,
    rawQueryString: query,
    routeKey: "ANY /scim/v2/{proxy+}",
    pathParameters: { proxy: path.slice(1) },
    headers: {
      host: "scim.example.com",
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/scim+json",
      ...headers,
    },
    body,
  });
  const result = await handler(event, lambdaContext("scim", 10_000));
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    json: result.body ? JSON.parse(result.body) : undefined,
  };
}

const post = (body: unknown, headers?: Record<string, string>) =>
  call({ method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers });

describe("the scim handler, attacked", () => {
  it("refuses prototype keys in a body before reading it as a user", async () => {
    const reply = await post(
      `{"schemas":["${CORE}"],"userName":"x@example.com","__proto__":{"polluted":1}}`,
    );

    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ scimType: "invalidSyntax", status: "400" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a body too large (413), not JSON (400), of another media type or encoding (415)", async () => {
    const large = await post(JSON.stringify(entraUser({ displayName: "x".repeat(70 * 1024) })));
    const notJson = await post("{not json");
    const text = await post(entraUser(), { "content-type": "text/plain" });
    const gzip = await post(entraUser(), { "content-encoding": "gzip" });
    const deep = await post(`${"[".repeat(40)}${"]".repeat(40)}`);

    expect([large.status, notJson.status, text.status, gzip.status, deep.status]).toEqual([
      413, 400, 415, 415, 400,
    ]);
    for (const reply of [large, notJson, text, gzip, deep])
      expect(reply.headers["content-type"]).toBe("application/scim+json");
  });

  it("takes no token from the query string or another scheme", async () => {
    const inQuery = await call({ query: `access_token=${TOKEN}`, headers: { authorization: "" } });
    const basic = await call({ headers: { authorization: `Basic ${TOKEN}` } });

    expect(inQuery.status).toBe(401);
    expect(basic.status).toBe(401);
  });

  it("refuses an employee id that could not be a queue group, and a userName too long for Connect", async () => {
    const badEmployee = await post(
      entraUser({ externalId: "../../etc/passwd", userName: "e1@example.com" }),
    );
    const longName = await post(
      entraUser({ externalId: "E-LONG", userName: `${"a".repeat(70)}@example.com` }),
    );

    expect(badEmployee.json).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(badEmployee.json.detail).toContain("externalId");
    expect(badEmployee.json.detail).not.toContain("passwd");
    expect(longName.json).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(longName.json.detail).toContain("userName");
  });

  it("refuses a filter too long or not the grammar, and never finds a path outside /Users", async () => {
    const long = await call({
      query: `filter=${encodeURIComponent(`userName eq "${"a".repeat(3000)}"`)}`,
    });
    const nested = await call({ query: `filter=${encodeURIComponent("(".repeat(500))}` });
    const traversal = await call({ path: "/Users/..%2F..%2FServiceProviderConfig" });
    const deeper = await call({ path: "/Users/abc/def" });

    expect(long.json).toMatchObject({ status: "400", scimType: "invalidFilter" });
    expect(nested.json).toMatchObject({ status: "400", scimType: "invalidFilter" });
    expect(traversal.status).toBe(404);
    expect(deeper.status).toBe(404);
  });

  it("answers a method an endpoint does not have with 405 and Allow", async () => {
    const reply = await call({ method: "DELETE", path: "/Users" });

    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, POST");
  });

  it("ignores a PATCH aimed at an object's prototype", async () => {
    const created = await post(entraUser({ externalId: "E-PROTO", userName: "proto@example.com" }));

    await call({
      method: "PATCH",
      path: `/Users/${created.json?.id}`,
      body: JSON.stringify(
        patchBody(
          { op: "add", path: "__proto__.polluted", value: "yes" },
          { op: "add", path: "constructor.prototype.polluted", value: "yes" },
        ),
      ),
    });

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("the scim handler, when the queue is not there", () => {
  it("keeps the user (503, Retry-After); the retry queues the same event once the queue is back", async () => {
    const body = entraUser({ externalId: "E-LATER", userName: "later@example.com" });

    const refused = await post(body);
    const meanwhile = await call({
      query: `filter=${encodeURIComponent('externalId eq "E-LATER"')}`,
    });
    await sqs.send(
      new CreateQueueCommand({ QueueName: QUEUE_NAME, Attributes: { FifoQueue: "true" } }),
    );
    const retried = await post(body);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: process.env.QUEUE_URL,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["All"],
      }),
    );

    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("10");
    expect(meanwhile.json.Resources).toHaveLength(1);
    expect(retried.status).toBe(201);
    const id = retried.json.id;
    expect(meanwhile.json.Resources[0].id).toBe(id);
    const events = Messages.map((m) => JSON.parse(m.Body ?? "{}"));
    expect(events.filter((e) => e.employeeId === "E-LATER")).toEqual([
      expect.objectContaining({ eventId: `scim-${id}-1`, type: "joiner", source: "scim" }),
    ]);
    expect(Messages[0]?.Attributes?.MessageDeduplicationId).toBe(
      deduplicationId({ source: "scim", employeeId: "E-LATER", eventId: `scim-${id}-1` }),
    );
    expect(retried.json[ENTERPRISE]).toMatchObject({ department: "Support" });
  });
});
