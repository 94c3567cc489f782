import { CreateQuickConnectCommand, TagResourceCommand } from "@aws-sdk/client-connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedEnv } from "../../../src/cli/commands/local";
import { statusCommand } from "../../../src/cli/commands/status";
import { DISABLED_TAG } from "../../../src/domain/managed";
import { runCommand } from "../../support/cli";
import { employeeRecord, hrEventBody } from "../../support/hr-fixtures";
import { rulesFile, type SafetyStack, startSafetyStack } from "../../support/safety-stack";

/**
 * #17 through the real webhook, worker, reconciliation and emulator: leavers
 * disabled rather than deleted, rehires getting their user back, the grace
 * period, quick connects, and the breaker for leavers from events.
 */

let s: SafetyStack;

beforeAll(async () => {
  // Three leavers an hour from events, then the breaker holds the rest.
  const rules = await rulesFile(`
leavers:
  action: disable
  disable: { securityProfiles: [No Access], routingProfile: Disabled }
  deleteAfterDays: 30
guard: { maxDeletes: 25, maxDeletePercent: 10, minManagedForPercent: 100, maxDeletesPerHour: 3 }
`);
  s = await startSafetyStack({ rulesFile: rules });
});

afterAll(async () => {
  await s?.close();
});

const idOf = (kind: "routingProfiles" | "securityProfiles", name: string) =>
  s.stack.emulator.dumpState()[kind].find((p) => p.name === name)?.id;

const disabledAt = (user: Record<string, unknown> | undefined) =>
  (user?.Tags as Record<string, string> | undefined)?.[DISABLED_TAG];

async function hire(id: string, minute = 0): Promise<string> {
  await s.post([
    hrEventBody({
      occurredAt: `2026-11-28T09:${String(minute).padStart(2, "0")}:00Z`,
      record: employeeRecord(id),
    }),
  ]);
  await s.drain();
  return String(s.user(`${id.toLowerCase()}@example.com`)?.Id);
}

function leaver(id: string) {
  return hrEventBody({
    type: "leaver",
    occurredAt: "2026-11-28T12:00:00Z",
    record: employeeRecord(id, { status: "terminated" }),
  });
}

describe("disable first, delete later", () => {
  it("disables a leaver's user: the same id and name, only the disable profiles, the day in a tag", async () => {
    const userId = await hire("DIS1");

    await s.post([leaver("DIS1")]);
    const outcomes = await s.drain();

    const user = s.user("dis1@example.com");
    expect(outcomes).toEqual([expect.objectContaining({ employeeId: "DIS1", result: "disabled" })]);
    expect(user?.Id).toBe(userId);
    expect(user?.SecurityProfileIds).toEqual([idOf("securityProfiles", "No Access")]);
    expect(user?.RoutingProfileId).toBe(idOf("routingProfiles", "Disabled"));
    expect(user?.HierarchyGroupId).toBeUndefined();
    expect(disabledAt(user)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("gives a rehire the same user back with the rules' profiles, the disabled mark gone", async () => {
    const userId = String(s.user("dis1@example.com")?.Id);

    await s.post([
      hrEventBody({
        type: "joiner",
        occurredAt: "2026-11-29T09:00:00Z",
        record: employeeRecord("DIS1"),
      }),
    ]);
    const outcomes = await s.drain();

    const user = s.user("dis1@example.com");
    expect(outcomes).toEqual([
      expect.objectContaining({ employeeId: "DIS1", result: "re-enabled" }),
    ]);
    expect(user?.Id).toBe(userId);
    expect(user?.RoutingProfileId).toBe(idOf("routingProfiles", "UK Support"));
    expect(user?.SecurityProfileIds).toEqual([idOf("securityProfiles", "Agent")]);
    expect(user?.Tags).not.toHaveProperty(DISABLED_TAG);
  });

  it("deletes a disabled user whose grace has passed in the nightly run, with its quick connects", async () => {
    const userId = await hire("DIS2");
    await s.post([leaver("DIS2")]);
    await s.drain();
    const instance = s.stack.emulator.instanceId;
    // Disabled 40 days ago, as far as its tag says; and a transfer target naming the agent.
    await s.connect.send(
      new TagResourceCommand({
        resourceArn: String(s.user("dis2@example.com")?.Arn),
        tags: { [DISABLED_TAG]: "2026-10-20" },
      }),
    );
    const quickConnect = await s.connect.send(
      new CreateQuickConnectCommand({
        InstanceId: instance,
        Name: "Transfer to DIS2",
        QuickConnectConfig: {
          QuickConnectType: "USER",
          UserConfig: { UserId: userId, ContactFlowId: "transfer-to-agent" },
        },
      }),
    );

    const run = await s.stack.reconcile();
    await s.drain();

    expect(run.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          class: "disabled",
          employeeId: "DIS2",
          repair: "delete",
          dueDate: "2026-11-19",
        }),
      ]),
    );
    expect(s.user("dis2@example.com")).toBeUndefined();
    expect(s.stack.emulator.dumpState().quickConnects.map((q) => q.QuickConnectId)).not.toContain(
      quickConnect.QuickConnectId,
    );
  });

  it("reports a disabled user not yet due with the day its grace ends", async () => {
    await hire("DIS3");
    await s.post([leaver("DIS3")]);
    await s.drain();

    const run = await s.stack.reconcile({ dryRun: true });

    const entry = run.changes.find((e) => e.employeeId === "DIS3");
    const disabledOn = disabledAt(s.user("dis3@example.com"));
    const due = new Date(`${disabledOn}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 30);
    expect(entry).toMatchObject({ class: "disabled", dueDate: due.toISOString().slice(0, 10) });
    expect(entry?.repair).toBeUndefined();
    expect(run.counts.disabled).toBe(1);
    const status = await runCommand(statusCommand(), ["DIS3", "--json"], sharedEnv(s.stack));
    expect(JSON.parse(status.out).disabled).toEqual({
      since: disabledOn,
      deletesOn: due.toISOString().slice(0, 10),
    });
  });
});

describe("a circuit breaker for leavers from events", () => {
  it("holds the leavers past the hour's limit, and disables them once approved", async () => {
    const ids = ["BRK1", "BRK2", "BRK3", "BRK4", "BRK5"];
    for (const [i, id] of ids.entries()) await hire(id, i);

    await s.post(ids.map(leaver));
    const outcomes = await s.drain();
    const held = outcomes.filter((o) => o.result === "held");
    const untouched = ids.map((id) => s.user(`${id.toLowerCase()}@example.com`));

    // DIS1 to DIS3 left by event this hour already: the limit of 3 is reached.
    expect(held.map((o) => o.employeeId).sort()).toEqual(ids);
    for (const user of untouched) expect(user?.Tags).not.toHaveProperty(DISABLED_TAG);
    const runId = `breaker-${new Date().toISOString().slice(0, 13).replace(/[-T]/g, "")}`;
    const approved = await s.stack.approve(runId, "ops@example.com");
    await s.drain();
    expect(approved).toMatchObject({ kind: "approved", queued: 5 });
    for (const id of ids) {
      expect(disabledAt(s.user(`${id.toLowerCase()}@example.com`))).toBeDefined();
    }
  });
});
