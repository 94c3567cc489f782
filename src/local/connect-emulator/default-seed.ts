/**
 * The seed used when none is given: a small SAML instance with one admin, so
 * that `startConnectEmulator()` works out of the box. The richer sample in
 * events/connect-seed.json is for operators and is not read at run time.
 */
import type { EmulatorSeedInput } from "./seed";

export const DEFAULT_EMULATOR_SEED: EmulatorSeedInput = {
  instanceId: "7c1a1f6e-5b1d-4c59-9a55-3f0c3f5b8e01",
  instanceAlias: "connect-emulator",
  region: "us-east-1",
  accountId: "123456789012",
  identityManagementType: "SAML",
  routingProfiles: ["Basic Routing Profile"],
  securityProfiles: ["Agent", "Admin"],
  hierarchyLevels: ["Region", "Site", "Team"],
  hierarchyGroups: ["EMEA", "EMEA/London", "EMEA/London/Support"],
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
