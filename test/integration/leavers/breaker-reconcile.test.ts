import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReconcileRun } from "../../../src/app/ports/runs";
import { sharedEnv } from "../../../src/cli/commands/local";
import { approveCommand, reconcileCommand } from "../../../src/cli/commands/reconcile";
import { statusCommand } from "../../../src/cli/commands/status";
import { DISABLED_TAG } from "../../../src/domain/managed";
import { runCommand } from "../../support/cli";
import { employeeRecord, hrEventBody } from "../../support/hr-fixtures";
import { rulesFile, type SafetyStack, startSafetyStack } from "../../support/safety-stack";

/**
 * #17's hourly breaker against the nightly run, through the real webhook,
 * worker, CLI and emulator: a leaver the breaker held stays held by the
 * reconciliation (listed with the breaker's run, nothing queued, exit 1)
 * until a person approves that run.
 */

let s: SafetyStack;
let env: Record<string, string>;

beforeAll(async () => {
  // Not one leaver from events an hour: the breaker holds every one.
  const rules = await rulesFile(`
leavers:
  action: disable
  disable: { securityProfiles: [No Access], routingProfile: Disabled }
guard: { maxDeletes: 25, maxDeletePercent: 100, minManagedForPercent: 100, maxDeletesPerHour: 0 }
`);
  s = await startSafetyStack({ rulesFile: rules });
  env = sharedEnv(s.stack);
});

afterAll(async () => {
  await s?.close();
});

const disabledAt = () =>
  (s.user("e2001@example.com")?.Tags as Record<string, string> | undefined)?.[DISABLED_TAG];

describe("a leaver the hourly breaker held, at the nightly reconciliation", () => {
  it("is held under the breaker's run, not repaired, until that run is approved", async () => {
    await s.post([
      hrEventBody({ occurredAt: "2026-11-28T09:00:00Z", record: employeeRecord("E2001") }),
    ]);
    await s.drain();
    await s.post([
      hrEventBody({
        type: "leaver",
        occurredAt: "2026-11-28T12:00:00Z",
        record: employeeRecord("E2001", { status: "terminated" }),
      }),
    ]);
    const held = await s.drain();
    const status = await runCommand(statusCommand(), ["E2001", "--json"], env);
    const breakerRun = status.json<{ state: { heldIn?: string } }>().state.heldIn;

    const night = await runCommand(reconcileCommand(), ["--json"], env);
    const run = night.json<ReconcileRun>();
    const repaired = await s.drain();
    const text = await runCommand(reconcileCommand(), ["--dry-run"], env);

    expect(held).toEqual([expect.objectContaining({ employeeId: "E2001", result: "held" })]);
    expect(breakerRun).toMatch(/^breaker-\d{10}$/);
    expect(night.code).toBe(1);
    expect(run).toMatchObject({ status: "completed", queued: 0 });
    expect(run.held).toEqual([
      expect.objectContaining({ employeeId: "E2001", repair: "disable", heldIn: breakerRun }),
    ]);
    expect(repaired).toEqual([]);
    expect(disabledAt()).toBeUndefined();
    expect(text.code).toBe(1);
    expect(text.out).toContain(`connect-hr-sync approve ${breakerRun}`);

    const approved = await runCommand(approveCommand(), [String(breakerRun), "--by", "ops"], env);
    await s.drain();
    const after = await runCommand(reconcileCommand(), ["--json"], env);

    expect(approved.code).toBe(0);
    expect(disabledAt()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(after.code).toBe(0);
    expect(after.json<ReconcileRun>()).toMatchObject({ status: "completed", held: [], queued: 0 });
  });
});
