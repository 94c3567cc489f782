import { describe, expect, it } from "vitest";
import { RosterUnreadableError } from "../../../../src/app/ports/roster-source";
import { approveRun } from "../../../../src/app/reconcile/approve";
import { type ReconcileDeps, reconcile } from "../../../../src/app/reconcile/reconcile";
import { syncEmployee } from "../../../../src/app/sync/sync-employee";
import { trustedRequest } from "../../../../src/app/trusted-request";
import { csvRow, MemoryRosterHistory, MemoryRosterSource } from "../../../support/fakes/rosters";
import { MemoryGrants, MemoryQueue, MemoryRuns } from "../../../support/fakes/stores";
import { fakeSyncWorld } from "../../../support/fakes/sync-deps";
import { employeeRecord, hrEvent, RULES_YAML, syncRules } from "../../../support/hr-fixtures";

const NOW = new Date("2026-12-02T02:00:00Z");
const EXPORTED = new Date("2026-12-02T01:30:00Z");

/** E1..En hired by webhook (2026-11-28), then a roster of the canonical feed read at EXPORTED. */
async function world(ids: string[], guard = "guard: { maxDeletes: 25, maxDeletePercent: 100 }") {
  const sync = fakeSyncWorld({ rules: syncRules(`${RULES_YAML}${guard}\n`) });
  for (const id of ids) await syncEmployee(hrEvent({ record: employeeRecord(id) }), sync.deps);
  const roster = new MemoryRosterSource(
    "canonical",
    ids.map((id) => csvRow(employeeRecord(id))),
    EXPORTED,
  );
  const history = new MemoryRosterHistory();
  const queue = new MemoryQueue();
  const grants = new MemoryGrants();
  const deps: ReconcileDeps = {
    employees: sync.employees,
    rosterSources: [roster],
    rosterHistory: history,
    connect: sync.connect,
    names: sync.deps.names,
    rules: sync.deps.rules,
    runs: new MemoryRuns(),
    grants,
    publisher: queue,
    settleSeconds: 600,
    now: () => NOW,
  };
  const rows = () => (roster.snapshot as { rows: ReturnType<typeof csvRow>[] }).rows;
  /** What the worker does with each queued request: the grant's check, then the sync. */
  const work = async () => {
    const refused: string[] = [];
    for (const event of queue.events.splice(0)) {
      const trusted = await trustedRequest(event, grants);
      if ("untrusted" in trusted) refused.push(trusted.untrusted);
      else await syncEmployee(trusted.request, sync.deps);
    }
    return refused;
  };
  return { ...sync, roster, rows, history, queue, grants, reconcileDeps: deps, work };
}

describe("a reconciliation against an HR roster", () => {
  it("repairs a lost joiner, mover and leaver from it, each audited from the roster", async () => {
    const w = await world(["E1", "E2", "E3"]);
    w.rows().splice(
      0,
      3,
      csvRow(employeeRecord("E1", { department: "Sales" })),
      csvRow(employeeRecord("E3")),
      csvRow(employeeRecord("E4")),
    );

    const run = await reconcile(w.reconcileDeps);
    const refused = await w.work();

    expect(refused).toEqual([]);
    expect(run.repairsFrom).toEqual({ hr: 3, connect: 0 });
    expect(run.changes.map((e) => `${e.class} ${e.employeeId} ${e.repair} ${e.rosterAt}`)).toEqual([
      "drifted E1 update 2026-12-02T01:30:00.000Z",
      "orphaned E2 delete 2026-12-02T01:30:00.000Z",
      "missing E4 create 2026-12-02T01:30:00.000Z",
    ]);
    expect(w.connect.byUsername("e1@example.com")?.routingProfileId).toBe(
      "rp:Basic Routing Profile",
    );
    expect(w.connect.byUsername("e2@example.com")).toBeUndefined();
    expect(w.connect.byUsername("e4@example.com")).toBeDefined();
    const reasons = new Set(w.audit.entries.slice(-3).map((e) => e.reason));
    expect([...reasons].sort()).toEqual([
      "joiner/reconcile from the roster of canonical at 2026-12-02T01:30:00.000Z",
      "leaver/reconcile from the roster of canonical at 2026-12-02T01:30:00.000Z",
      "mover/reconcile from the roster of canonical at 2026-12-02T01:30:00.000Z",
    ]);
    expect(run.rosters?.[0]).toEqual({
      source: "canonical",
      kind: "s3",
      location: "s3://hr/roster.csv",
      asOf: EXPORTED.toISOString(),
      ageHours: 0.5,
      employees: 3,
      bytes: 100,
    });
    const again = await reconcile(w.reconcileDeps);
    expect(again.repairsFrom).toEqual({ hr: 0, connect: 0 });
  });

  it("puts no record on the queue: the worker takes it from the run's grant", async () => {
    const w = await world(["E1"]);
    w.rows().push(csvRow(employeeRecord("E5")));

    const run = await reconcile(w.reconcileDeps);

    expect(w.queue.events).toEqual([
      expect.objectContaining({ employeeId: "E5", rosterAt: EXPORTED.toISOString() }),
    ]);
    expect(w.queue.events[0]).not.toHaveProperty("record");
    expect(await w.grants.find(run.runId, { source: "canonical", employeeId: "E5" })).toMatchObject(
      {
        roster: { at: EXPORTED.toISOString(), record: employeeRecord("E5") },
      },
    );
  });

  it("refuses a queued roster repair whose time its run did not read, and one that carries its own record", async () => {
    const w = await world(["E1"]);
    w.rows().push(csvRow(employeeRecord("E5")));
    await reconcile(w.reconcileDeps);
    const [genuine] = w.queue.events.splice(0);
    if (!genuine) throw new Error("nothing queued");
    const forged = { ...genuine, rosterAt: "2026-12-01T00:00:00.000Z" };
    const injected = { ...genuine, record: employeeRecord("E5", { username: "admin" }) };

    const refusal = await trustedRequest(forged, w.grants);
    const carried = await trustedRequest(injected, w.grants);

    expect(refusal).toEqual({
      untrusted: expect.stringMatching(/did not read the HR roster at that time/),
    });
    expect(carried).toEqual({ request: expect.objectContaining({ record: employeeRecord("E5") }) });
  });

  it("leaves an employee whose webhook is newer than the export (or within its grace) to that webhook", async () => {
    const w = await world(["E1"]);
    await syncEmployee(
      hrEvent({ occurredAt: "2026-12-02T01:00:00Z", record: employeeRecord("E6") }),
      w.deps,
    );

    const run = await reconcile(w.reconcileDeps);

    expect(run.repairsFrom).toEqual({ hr: 0, connect: 0 });
    expect(w.connect.byUsername("e6@example.com")).toBeDefined();
  });

  it("keeps what the export does not carry, and changes nothing for a record that only differs in it", async () => {
    const w = await world([]);
    await syncEmployee(
      hrEvent({
        record: employeeRecord("E7", {
          phone: { deskPhoneNumber: "+442071234567", type: "DESK_PHONE" },
        }),
      }),
      w.deps,
    );
    w.rows().push(csvRow(employeeRecord("E7", { phone: null })));

    const run = await reconcile(w.reconcileDeps);

    expect(run.counts["in-sync"]).toBe(1);
    expect(w.queue.events).toEqual([]);
  });

  it("reports a listed employee whose row cannot be used, and neither creates nor deletes them", async () => {
    const w = await world(["E1", "E2"]);
    w.rows()[1] = {
      ...csvRow(employeeRecord("E2")),
      record: undefined,
      problems: [{ path: "email", message: "Invalid email address" }],
    };

    const run = await reconcile(w.reconcileDeps);

    expect(run.changes).toEqual([
      expect.objectContaining({
        class: "invalid",
        employeeId: "E2",
        problem: "email: Invalid email address",
      }),
    ]);
    expect(w.queue.events).toEqual([]);
  });

  it("holds the roster's leavers over the guard and, once approved, deletes them from the kept record", async () => {
    const w = await world(
      ["E1", "E2", "E3", "E4", "E5"],
      "guard: { maxDeletes: 1, maxDeletePercent: 100 }",
    );
    w.rows().splice(1, 2);

    const run = await reconcile(w.reconcileDeps);
    const early = await trustedRequest(
      {
        eventId: "x",
        type: "leaver",
        source: "canonical",
        employeeId: "E2",
        occurredAt: EXPORTED.toISOString(),
        origin: "reconcile",
        runId: run.runId,
        rosterAt: EXPORTED.toISOString(),
      },
      w.grants,
    );
    const goodWhileHeld = w.history.good.size;
    const approved = await approveRun(run.runId, "ops", w.reconcileDeps);
    await w.work();

    expect(run.status).toBe("held");
    expect(goodWhileHeld).toBe(0);
    expect(early).toEqual({
      untrusted: expect.stringMatching(/holds this request until a person approves it/),
    });
    expect(approved).toMatchObject({ kind: "approved", queued: 2, notQueued: [] });
    expect(w.connect.byUsername("e2@example.com")).toBeUndefined();
    expect(w.connect.byUsername("e3@example.com")).toBeUndefined();
    expect(w.history.good.get("canonical")).toEqual({
      employees: 3,
      asOf: EXPORTED.toISOString(),
      runId: run.runId,
    });
  });
});

describe("a roster's leaver under the disable policy", () => {
  it("is disabled like any other leaver: the user kept with the disable profiles, not deleted", async () => {
    const w = await world(
      ["E1", "E2"],
      `guard: { maxDeletes: 25, maxDeletePercent: 100 }
leavers:
  action: disable
  disable: { securityProfiles: [No Access], routingProfile: Disabled }
  deleteAfterDays: 30`,
    );
    w.rows().splice(1, 1);

    const run = await reconcile(w.reconcileDeps);
    await w.work();
    const again = await reconcile(w.reconcileDeps);

    expect(run.repairsFrom).toEqual({ hr: 1, connect: 0 });
    expect(w.connect.byUsername("e2@example.com")).toMatchObject({
      securityProfileIds: ["sp:No Access"],
      routingProfileId: "rp:Disabled",
      tags: { "connect-hr-sync:disabled-at": expect.any(String) },
    });
    expect(w.audit.trail()).toContain("DisableUser applied");
    expect(again.repairsFrom).toEqual({ hr: 0, connect: 0 });
    expect(again.changes.map((e) => `${e.employeeId} ${e.class} ${e.repair}`)).toEqual([
      "E2 disabled undefined",
    ]);
  });
});

describe("a roster that cannot be true", () => {
  it.each([
    [
      "stale",
      (w: Awaited<ReturnType<typeof world>>) => {
        w.roster.snapshot = {
          ...(w.roster.snapshot as object),
          asOf: new Date("2026-11-30T02:00:00Z"),
        } as never;
      },
      /is 48 hours old \(2026-11-30T02:00:00.000Z\), older than maxAgeHours 26: HR's export has not run/,
    ],
    [
      "empty",
      (w: Awaited<ReturnType<typeof world>>) => {
        w.rows().splice(0);
      },
      /lists no employees/,
    ],
    [
      "cut off",
      (w: Awaited<ReturnType<typeof world>>) => {
        w.roster.snapshot = new RosterUnreadableError(
          "s3://hr/roster.csv ended after 10 of 900 bytes: cut off",
        );
      },
      /cannot be read completely: s3:\/\/hr\/roster\.csv ended after 10 of 900 bytes: cut off/,
    ],
  ])("fails the run when %s, and changes nothing", async (_, spoil, reason) => {
    const w = await world(["E1", "E2"]);
    spoil(w);
    w.rows?.();

    const run = reconcile(w.reconcileDeps);

    await expect(run).rejects.toThrow(reason);
    await expect(run).rejects.toMatchObject({ name: "RosterUnusableError" });
    expect(w.queue.events).toEqual([]);
    expect(w.connect.byUsername("e1@example.com")).toBeDefined();
  });

  it("fails the run when it lists far fewer employees than the last good one", async () => {
    const w = await world(["E1", "E2", "E3"]);
    await reconcile(w.reconcileDeps);
    w.rows().splice(1, 2);

    const run = reconcile(w.reconcileDeps);

    await expect(run).rejects.toThrow(
      /lists 1 employees, fewer than 90% of the 3 of the last good roster/,
    );
    expect(w.queue.events).toEqual([]);
  });
});
