import { GetFederationTokenCommand } from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { connectClient, expectConnectError, settle, useEmulator } from "./support";

describe("GetFederationToken", () => {
  const fixture = useEmulator();

  it("federates the user whose user name is the caller's access key id", async () => {
    // Prepare
    const asAdmin = connectClient(fixture.emulator.url, "admin");
    const now = Date.now();

    // Act
    const result = await asAdmin.send(
      new GetFederationTokenCommand({ InstanceId: fixture.instanceId }),
    );

    // Assess
    expect(result.UserId).toBe(fixture.userId("admin"));
    expect(result.UserArn).toMatch(new RegExp(`/agent/${result.UserId}$`));
    expect(result.Credentials?.AccessToken).toEqual(expect.any(String));
    expect(result.Credentials?.RefreshToken).toEqual(expect.any(String));
    expect(result.Credentials?.AccessTokenExpiration?.getTime()).toBeGreaterThan(now);
    expect(result.Credentials?.RefreshTokenExpiration?.getTime()).toBeGreaterThan(
      result.Credentials?.AccessTokenExpiration?.getTime() ?? 0,
    );
    expect(result.SignInUrl).toMatch(/^https:\/\/acme-test\.my\.connect\.aws\//);
    asAdmin.destroy();
  });

  it("answers UserNotFoundException when no user has the caller's name", async () => {
    // Act
    const call = settle(
      fixture.client.send(new GetFederationTokenCommand({ InstanceId: fixture.instanceId })),
    );

    // Assess
    await expectConnectError(call, "UserNotFoundException", 404);
  });

  it("answers ResourceNotFoundException for an unknown instance", async () => {
    // Prepare
    const asAdmin = connectClient(fixture.emulator.url, "admin");

    // Act
    const call = settle(
      asAdmin.send(
        new GetFederationTokenCommand({ InstanceId: "00000000-0000-4000-8000-000000000000" }),
      ),
    );

    // Assess
    await expectConnectError(call, "ResourceNotFoundException", 404);
    asAdmin.destroy();
  });
});
