/** The rest-json wire protocol as the SDK and raw HTTP clients see it. */
import { ConnectClient, ListUsersCommand } from "@aws-sdk/client-connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "./support";

describe("the rest-json protocol", () => {
  const fixture = useEmulator();

  it("answers every request with an x-amzn-RequestId, the one the SDK reports", async () => {
    // Act
    const result = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId }),
    );
    const raw = await fetch(`${fixture.emulator.url}/users-summary/${fixture.instanceId}`);

    // Assess
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(raw.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(fixture.emulator.calls().map((call) => call.requestId)).toContain(
      result.$metadata.requestId,
    );
  });

  it("sends timestamps as epoch seconds", async () => {
    // Act
    const response = await fetch(`${fixture.emulator.url}/users-summary/${fixture.instanceId}`);
    const body = (await response.json()) as { UserSummaryList: { LastModifiedTime: unknown }[] };

    // Assess
    const stamp = body.UserSummaryList[0]?.LastModifiedTime;
    expect(typeof stamp).toBe("number");
    expect(Math.abs((stamp as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it("answers malformed JSON with a 400 SerializationException carrying Message and message", async () => {
    // Act
    const response = await fetch(`${fixture.emulator.url}/search-users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"InstanceId": ',
    });
    const body = await response.json();

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("SerializationException");
    expect(response.headers.get("x-amzn-requestid")).toEqual(expect.any(String));
    expect(body).toEqual({ Message: expect.any(String), message: expect.any(String) });
  });

  it("answers an unknown path or method with a 404 UnknownOperationException", async () => {
    // Act
    const unknownPath = await fetch(`${fixture.emulator.url}/contact-flows/${fixture.instanceId}`);
    const wrongMethod = await fetch(`${fixture.emulator.url}/users/${fixture.instanceId}`, {
      method: "PATCH",
    });

    // Assess
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(wrongMethod.status).toBe(404);
    expect(fixture.emulator.stats().unknownRoutes).toBe(2);
  });

  it("refuses a body over the size limit with 413", async () => {
    // Act
    const response = await fetch(`${fixture.emulator.url}/search-users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        InstanceId: fixture.instanceId,
        padding: "x".repeat(2 * 1024 * 1024),
      }),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(response.headers.get("x-amzn-errortype")).toBe("RequestEntityTooLargeException");
  });

  it("ignores members the model does not know and refuses a non-numeric maxResults", async () => {
    // Act
    const extra = await fetch(`${fixture.emulator.url}/search-users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ InstanceId: fixture.instanceId, FutureMember: true }),
    });
    const badNumber = await fetch(
      `${fixture.emulator.url}/users-summary/${fixture.instanceId}?maxResults=ten`,
    );

    // Assess
    expect(extra.status).toBe(200);
    expect(badNumber.status).toBe(400);
    expect(badNumber.headers.get("x-amzn-errortype")).toBe("InvalidParameterException");
  });
});

describe("AWS_ENDPOINT_URL_CONNECT", () => {
  const fixture = useEmulator();
  let saved: string | undefined;

  beforeEach(() => {
    saved = process.env.AWS_ENDPOINT_URL_CONNECT;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CONNECT;
    else process.env.AWS_ENDPOINT_URL_CONNECT = saved;
  });

  it("points an SDK client built without an endpoint at the emulator", async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL_CONNECT = fixture.emulator.url;
    const client = new ConnectClient({
      region: "eu-west-2",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });

    // Act
    const result = await client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));

    // Assess
    expect(result.UserSummaryList?.map((user) => user.Username)).toEqual(["admin"]);
    client.destroy();
  });
});
