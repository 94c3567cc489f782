import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpApi, startHttpApi } from "../../../src/local/http-api";

let api: HttpApi;
const seen: APIGatewayProxyEventV2[] = [];

beforeAll(async () => {
  api = await startHttpApi({
    routes: [
      {
        method: "POST",
        path: "/hr/events/{source}",
        handler: async (event) => {
          seen.push(event);
          return {
            statusCode: 202,
            headers: { "content-type": "application/json", "x-echo": event.routeKey },
            body: JSON.stringify({ source: event.pathParameters?.source }),
          };
        },
      },
      {
        method: "POST",
        path: "/fail",
        handler: async () => {
          throw new Error("boom");
        },
      },
    ],
  });
});

afterAll(async () => {
  await api?.close();
});

const last = () => seen.at(-1) as APIGatewayProxyEventV2;

describe("local HTTP API", () => {
  it("hands the handler an API Gateway v2 event and writes its answer back", async () => {
    const response = await fetch(`${api.url}/hr/events/bamboo%2Dhr?x=1&x=2`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Custom": "A" },
      body: '{"a":"é"}',
    });

    expect(response.status).toBe(202);
    expect(response.headers.get("x-echo")).toBe("POST /hr/events/{source}");
    expect(await response.json()).toEqual({ source: "bamboo-hr" });
    expect(last()).toMatchObject({
      version: "2.0",
      routeKey: "POST /hr/events/{source}",
      rawPath: "/hr/events/bamboo%2Dhr",
      rawQueryString: "x=1&x=2",
      queryStringParameters: { x: "1,2" },
      pathParameters: { source: "bamboo-hr" },
      headers: { "content-type": "application/json", "x-custom": "A" },
      body: '{"a":"é"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: "POST", path: "/hr/events/bamboo%2Dhr", sourceIp: "127.0.0.1" },
        routeKey: "POST /hr/events/{source}",
        stage: "$default",
        requestId: expect.any(String),
        timeEpoch: expect.any(Number),
      },
    });
  });

  it.each([
    ["a binary media type", "application/octet-stream", Buffer.from("plain")],
    ["JSON that is not UTF-8", "application/json", Buffer.from([0x7b, 0xff, 0x7d])],
  ])("base64-encodes the body for %s, as API Gateway does", async (_, contentType, bytes) => {
    await fetch(`${api.url}/hr/events/x`, {
      method: "POST",
      headers: { "content-type": contentType },
      body: bytes,
    });

    expect(last().isBase64Encoded).toBe(true);
    expect(Buffer.from(last().body ?? "", "base64")).toEqual(bytes);
  });

  it("answers 404 for a route it does not have, as API Gateway does", async () => {
    const wrongPath = await fetch(`${api.url}/hr/other`, { method: "POST" });
    const wrongMethod = await fetch(`${api.url}/hr/events/x`);

    expect([wrongPath.status, wrongMethod.status]).toEqual([404, 404]);
    expect(await wrongPath.json()).toEqual({ message: "Not Found" });
  });

  it("answers 500 without detail when the handler throws", async () => {
    const response = await fetch(`${api.url}/fail`, { method: "POST" });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
  });
});
