import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { employeeRecord, hrEvent, RULES_YAML } from "../../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../../support/worker-stack";

/**
 * On an EXISTING_DIRECTORY instance the directory owns names and e-mail:
 * Connect refuses to change them, so the service must never try.
 */
const RULES = RULES_YAML.replace(
  'identity: { mode: SAML, usernameTemplate: "{email}" }',
  'identity: { mode: EXISTING_DIRECTORY, usernameTemplate: "{emailLocalPart}" }',
);

let stack: WorkerStack;

beforeAll(async () => {
  stack = await startWorkerStack({
    rulesYaml: RULES,
    identityManagementType: "EXISTING_DIRECTORY",
  });
});

afterAll(async () => {
  await stack?.close();
});

describe("an EXISTING_DIRECTORY instance", () => {
  it("creates a joiner's agent under the directory user name", async () => {
    const response = await stack.invoke([hrEvent({ record: employeeRecord("XD1") })]);

    expect(response.batchItemFailures).toEqual([]);
    // After the name look-ups a fresh container makes once.
    expect(response.connectCalls.at(-1)).toBe("CreateUser");
    expect(stack.userIdOf("xd1")).toBeDefined();
  });

  it("moves an agent whose name also changed in HR without touching the name", async () => {
    await stack.invoke([hrEvent({ record: employeeRecord("XD2", { location: "Austin" }) })]);
    const userId = stack.userIdOf("xd2") ?? "";
    const before = await stack.describeUser(userId);

    const response = await stack.invoke([
      hrEvent({
        type: "mover",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord("XD2", { location: "London", lastName: "Renamed" }),
      }),
    ]);

    expect(response.batchItemFailures).toEqual([]);
    // The uk-support rule sets a routing profile and a hierarchy; the new last name is not sent.
    // First the container's one look at who holds a protected profile, before its first change.
    expect(response.connectCalls).toEqual([
      "SearchUsers",
      "UpdateUserRoutingProfile",
      "UpdateUserHierarchy",
    ]);
    expect((await stack.describeUser(userId))?.IdentityInfo).toEqual(before?.IdentityInfo);
  });
});
