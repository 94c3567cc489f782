/**
 * Helpers for the emulator's contract tests: each test gets its own emulator
 * on a free port and a real SDK client pointed at it, as a user would set it up.
 */
import { ConnectClient } from "@aws-sdk/client-connect";
import { afterEach, beforeEach, expect } from "vitest";
import {
  type ConnectEmulator,
  type ConnectEmulatorOptions,
  type EmulatorSeedInput,
  startConnectEmulator,
} from "../../../src/local/connect-emulator/index";

export const SAML_SEED: EmulatorSeedInput = {
  instanceId: "3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10",
  instanceAlias: "acme-test",
  region: "eu-west-2",
  accountId: "111122223333",
  identityManagementType: "SAML",
  routingProfiles: ["Basic Routing Profile", "UK Support", "US Sales"],
  securityProfiles: ["Agent", "Admin", "CallCenterManager"],
  hierarchyLevels: ["Region", "Site", "Team"],
  hierarchyGroups: [
    "EMEA",
    "EMEA/London",
    "EMEA/London/Support",
    "EMEA/London/Sales",
    "AMER",
    "AMER/Austin",
    "AMER/Austin/Support",
  ],
  userLimit: 500,
  users: [
    {
      username: "admin",
      firstName: "Ada",
      lastName: "Min",
      routingProfile: "Basic Routing Profile",
      securityProfiles: ["Admin"],
      hierarchyGroup: "EMEA",
    },
  ],
};

export const CONNECT_MANAGED_SEED: EmulatorSeedInput = {
  ...SAML_SEED,
  instanceId: "9d0e7f61-2b3c-4d5e-8f90-a1b2c3d4e5f6",
  identityManagementType: "CONNECT_MANAGED",
};

export const STRONG_PASSWORD = "Str0ngPassw0rd!";

export function connectClient(url: string, accessKeyId = "test"): ConnectClient {
  return new ConnectClient({
    endpoint: url,
    region: "eu-west-2",
    credentials: { accessKeyId, secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

export interface EmulatorFixture {
  emulator: ConnectEmulator;
  client: ConnectClient;
  instanceId: string;
  routingProfileId(name: string): string;
  securityProfileId(name: string): string;
  hierarchyGroupId(path: string): string;
  userId(username: string): string;
}

/** Starts an emulator before each test of the enclosing suite and closes it after. */
export function useEmulator(options: ConnectEmulatorOptions = {}): EmulatorFixture {
  const fixture = {} as EmulatorFixture;
  beforeEach(async () => {
    const emulator = await startConnectEmulator({ quota: false, seed: SAML_SEED, ...options });
    Object.assign(fixture, fixtureFor(emulator));
  });
  afterEach(async () => {
    fixture.client.destroy();
    await fixture.emulator.close();
  });
  return fixture;
}

export function fixtureFor(emulator: ConnectEmulator): EmulatorFixture {
  const find = <T>(items: T[], matches: (item: T) => boolean, what: string): T => {
    const found = items.find(matches);
    if (!found) throw new Error(`test setup: no ${what}`);
    return found;
  };
  return {
    emulator,
    client: connectClient(emulator.url),
    instanceId: emulator.instanceId,
    routingProfileId: (name) =>
      find(emulator.dumpState().routingProfiles, (p) => p.name === name, name).id,
    securityProfileId: (name) =>
      find(emulator.dumpState().securityProfiles, (p) => p.name === name, name).id,
    hierarchyGroupId: (path) =>
      find(emulator.dumpState().hierarchyGroups, (g) => g.path === path, path).id,
    userId: (username) =>
      find(emulator.dumpState().users, (u) => u.Username === username, username).Id as string,
  };
}

const FAILED = Symbol("failed");

/**
 * Holds a call's failure as a value, so that a test can start several calls
 * before it awaits them without a rejection going unhandled meanwhile.
 */
export function settle(call: Promise<unknown>): Promise<unknown> {
  return call.catch((error: unknown) => ({ [FAILED]: error }));
}

type SdkError = Error & { $metadata: { httpStatusCode?: number }; $fault?: string };

/** Resolves with the SDK's error (from a plain or settled call), failing when the call succeeded. */
export async function connectError(call: Promise<unknown>): Promise<SdkError> {
  let value: unknown;
  try {
    value = await call;
  } catch (error) {
    return error as SdkError;
  }
  if (typeof value === "object" && value !== null && FAILED in value) {
    return (value as Record<typeof FAILED, SdkError>)[FAILED];
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Asserts the SDK raised the named exception with the model's HTTP status. */
export async function expectConnectError(
  call: Promise<unknown>,
  name: string,
  status: number,
): Promise<Error> {
  const error = await connectError(call);
  expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name, status });
  return error;
}

/** A valid SAML CreateUser input for the fixture's instance. */
export function samlUser(
  fixture: EmulatorFixture,
  username: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    InstanceId: fixture.instanceId,
    Username: username,
    IdentityInfo: { FirstName: "Jane", LastName: "Doe" },
    RoutingProfileId: fixture.routingProfileId("UK Support"),
    SecurityProfileIds: [fixture.securityProfileId("Agent")],
    ...overrides,
  };
}
