import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordOutcome } from "../../../src/app/process-message";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { scimClient } from "../../support/scim-client";
import { ENTERPRISE, entraUser, patchBody } from "../../support/scim-fixtures";

/**
 * A SCIM user goes through the same queue, rules and worker as a webhook:
 * created in Connect with the rules' profiles, removed when deactivated
 * (today's leaver behaviour is deletion), back when reactivated.
 */

let stack: LocalStack;
let scim: ReturnType<typeof scimClient>;
const outcomes: RecordOutcome[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    quota: { rps: 100, burst: 100 },
    onOutcome: (o) => outcomes.push(o),
  });
  scim = scimClient(stack);
});

afterAll(async () => {
  await stack?.close();
});

const connectUser = (username: string) =>
  stack.emulator.dumpState().users.find((u) => u.Username === username) as
    | Record<string, unknown>
    | undefined;

const idOf = (kind: "routingProfiles" | "securityProfiles" | "hierarchyGroups", name: string) => {
  const found = stack.emulator
    .dumpState()
    [kind].find((r) => ("path" in r ? r.path : r.name) === name);
  if (!found) throw new Error(`the emulator has no ${kind} named ${name}`);
  return found.id;
};

describe("a SCIM user in Amazon Connect", () => {
  it("is created with the rules' profiles, deleted when deactivated, and back when reactivated", async () => {
    const username = "Grace.Hopper@example.com";
    const created = await scim("POST", "/Users", {
      body: entraUser({ externalId: "SCIM-E1", userName: username }),
    });
    await stack.runner.drained();
    const agent = connectUser(username);

    expect(created.status).toBe(201);
    expect(agent).toMatchObject({
      RoutingProfileId: idOf("routingProfiles", "UK Support"),
      SecurityProfileIds: [idOf("securityProfiles", "Agent")],
      HierarchyGroupId: idOf("hierarchyGroups", "EMEA/London/Support"),
      IdentityInfo: expect.objectContaining({ FirstName: "Grace", LastName: "Hopper" }),
    });

    const deactivated = await scim("PATCH", `/Users/${created.json.id}`, {
      body: patchBody({ op: "Replace", path: "active", value: "False" }),
    });
    await stack.runner.drained();

    expect(deactivated.status).toBe(200);
    expect(connectUser(username)).toBeUndefined();

    const reactivated = await scim("PATCH", `/Users/${created.json.id}`, {
      body: patchBody({ op: "replace", value: { active: true } }),
    });
    await stack.runner.drained();

    expect(reactivated.status).toBe(200);
    expect(connectUser(username)).toMatchObject({
      RoutingProfileId: idOf("routingProfiles", "UK Support"),
    });
    expect(
      outcomes.filter((o) => o.employeeId === "SCIM-E1").map((o) => [o.eventId, o.result]),
    ).toEqual([
      [`scim-${created.json.id}-1`, "created"],
      [`scim-${created.json.id}-2`, "deleted"],
      [`scim-${created.json.id}-3`, "created"],
    ]);
  });

  it("moves the agent when the department changes, and removes it when deleted", async () => {
    const username = "ada.lovelace@example.com";
    const created = await scim("POST", "/Users", {
      body: entraUser({ externalId: "SCIM-E2", userName: username }),
    });
    await stack.runner.drained();

    await scim("PATCH", `/Users/${created.json.id}`, {
      body: patchBody({ op: "Replace", path: `${ENTERPRISE}:department`, value: "Sales" }),
    });
    await stack.runner.drained();
    const moved = connectUser(username);
    await scim("DELETE", `/Users/${created.json.id}`);
    await stack.runner.drained();

    expect(moved).toMatchObject({ HierarchyGroupId: idOf("hierarchyGroups", "EMEA/London/Sales") });
    expect(connectUser(username)).toBeUndefined();
  });
});
