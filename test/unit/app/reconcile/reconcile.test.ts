import { describe, expect, it } from "vitest";
import { approveRun } from "../../../../src/app/reconcile/approve";
import { type ReconcileDeps, reconcile } from "../../../../src/app/reconcile/reconcile";
import { syncEmployee } from "../../../../src/app/sync/sync-employee";
import { connectUser } from "../../../support/connect-fixtures";
import { MemoryGrants, MemoryQueue } from "../../../support/fakes/stores";
import { fakeSyncWorld } from "../../../support/fakes/sync-deps";
import { employeeRecord, hrEvent, RULES_YAML, syncRules } from "../../../support/hr-fixtures";

/** Employees synced through the real use case, then a reconciliation over the same fakes. */
async function world(
  employeeIds: string[],
  guard = "guard: { maxDeletes: 25, maxDeletePercent: 50 }",
) {
  const sync = fakeSyncWorld({ rules: syncRules(`${RULES_YAML}${guard}\n`) });
  for (const id of employeeIds) {
    await syncEmployee(hrEvent({ record: employeeRecord(id) }), sync.deps);
  }
  const queue = new MemoryQueue();
  // The breaker keeps its held runs in the runs table, as the real one does.
  const runs = sync.breaker.runs;
  const grants = new MemoryGrants();
  const deps: ReconcileDeps = {
    employees: sync.employees,
    connect: sync.connect,
    names: sync.deps.names,
    rules: sync.deps.rules,
    runs,
    grants,
    publisher: queue,
    settleSeconds: 600,
    now: () => new Date("2026-12-02T02:00:00Z"),
  };
  return { ...sync, queue, runs, grants, reconcileDeps: deps };
}

describe("the reconciliation", () => {
  it("finds nothing to repair when Connect matches HR, and queues nothing", async () => {
    const w = await world(["E1", "E2"]);

    const run = await reconcile(w.reconcileDeps);

    expect(run.counts["in-sync"]).toBe(2);
    expect(w.queue.events).toEqual([]);
    expect(w.runs.runs.get(run.runId)?.status).toBe("completed");
  });

  it("queues a mover repair naming the facets an edit in the console changed", async () => {
    const w = await world(["E1"]);
    const user = w.connect.byUsername("e1@example.com");
    if (user) user.routingProfileId = "rp:Basic Routing Profile";

    const run = await reconcile(w.reconcileDeps);

    expect(run.counts.drifted).toBe(1);
    expect(w.queue.events).toEqual([
      expect.objectContaining({
        type: "mover",
        employeeId: "E1",
        origin: "reconcile",
        facets: ["routingProfile"],
      }),
    ]);
  });

  it("queues a joiner repair for a managed user deleted in the console", async () => {
    const w = await world(["E1"]);
    w.connect.users.clear();

    const run = await reconcile(w.reconcileDeps);

    expect(run.counts.missing).toBe(1);
    expect(w.queue.events.map((e) => `${e.type} ${e.employeeId}`)).toEqual(["joiner E1"]);
  });

  it("leaves a user the service does not manage alone, and counts it", async () => {
    const w = await world(["E1"]);
    w.connect.seed(connectUser("u-console", { username: "supervisor@example.com" }));

    const run = await reconcile(w.reconcileDeps);

    expect(run.counts.unmanaged).toBe(1);
    expect(w.queue.events).toEqual([]);
  });

  it("holds every deletion of a run over the guard, and queues them once approved", async () => {
    const w = await world(["E1", "E2", "E3"], "guard: { maxDeletes: 1, maxDeletePercent: 100 }");
    for (const id of ["E1", "E2"]) {
      const state = w.employees.states.get(`canonical#${id}`);
      if (state?.record) state.record.status = "terminated";
    }

    const run = await reconcile(w.reconcileDeps);
    const approved = await approveRun(run.runId, "ops@example.com", w.reconcileDeps);

    expect(run.status).toBe("held");
    expect(run.held.map((e) => e.employeeId)).toEqual(["E1", "E2"]);
    expect(approved).toMatchObject({ kind: "approved", queued: 2 });
    expect(w.queue.events.map((e) => `${e.type} ${e.employeeId}`)).toEqual([
      "leaver E1",
      "leaver E2",
    ]);
  });

  it("keeps a leaver the hourly breaker held held, naming its run, until that run is approved", async () => {
    const w = await world(
      ["E1", "E2"],
      "guard: { maxDeletes: 25, maxDeletePercent: 100, maxDeletesPerHour: 0 }",
    );
    const leaver = await syncEmployee(
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T10:00:00Z",
        record: employeeRecord("E1", { status: "terminated" }),
      }),
      w.deps,
    );
    const breakerRun = String(
      (await w.employees.get({ source: "canonical", employeeId: "E1" }))?.heldIn,
    );

    const run = await reconcile(w.reconcileDeps);
    const ownApproval = await approveRun(run.runId, "ops@example.com", w.reconcileDeps);
    const queuedBefore = [...w.queue.events];
    const approved = await approveRun(breakerRun, "ops@example.com", w.reconcileDeps);
    const after = await reconcile(w.reconcileDeps);

    expect(leaver.result).toBe("held");
    expect(breakerRun).toMatch(/^breaker-/);
    expect(run).toMatchObject({ status: "completed", queued: 0, guard: { held: false } });
    expect(run.held).toEqual([
      expect.objectContaining({ employeeId: "E1", repair: "delete", heldIn: breakerRun }),
    ]);
    expect(run.changes).toEqual([
      expect.objectContaining({ employeeId: "E1", heldIn: breakerRun }),
    ]);
    expect(ownApproval).toMatchObject({ kind: "not-held" });
    expect(queuedBefore).toEqual([]);
    expect(approved).toMatchObject({ kind: "approved", queued: 1 });
    // Approved, and not yet applied by the worker: the reconciliation repairs it as before.
    expect(after.held).toEqual([]);
    expect(after.changes).toEqual([
      expect.objectContaining({ employeeId: "E1", repair: "delete" }),
    ]);
    expect(after.changes[0]).not.toHaveProperty("heldIn");
    expect(w.queue.events.map((e) => `${e.type} ${e.employeeId} ${e.runId}`)).toEqual([
      `leaver E1 ${breakerRun}`,
      `leaver E1 ${after.runId}`,
    ]);
  });

  it("holds a breaker's leaver in its own run once the breaker's run is gone", async () => {
    const w = await world(
      ["E1"],
      "guard: { maxDeletes: 25, maxDeletePercent: 100, maxDeletesPerHour: 0 }",
    );
    await syncEmployee(
      hrEvent({
        type: "leaver",
        occurredAt: "2026-11-28T10:00:00Z",
        record: employeeRecord("E1", { status: "terminated" }),
      }),
      w.deps,
    );
    w.runs.runs.clear();

    const run = await reconcile(w.reconcileDeps);
    const approved = await approveRun(run.runId, "ops@example.com", w.reconcileDeps);

    expect(run.status).toBe("held");
    expect(run.held).toEqual([
      expect.objectContaining({ employeeId: "E1", repair: "delete", heldIn: run.runId }),
    ]);
    expect(approved).toMatchObject({ kind: "approved", queued: 1 });
    expect(w.queue.events.map((e) => `${e.type} ${e.employeeId}`)).toEqual(["leaver E1"]);
  });

  it("holds a console user an employee's record names, unless the rules adopt such users on their own", async () => {
    const held = await world(["E1"]);
    const auto = await world(
      ["E1"],
      "guard: { maxDeletes: 25, maxDeletePercent: 50 }\nadoption: { automatic: { securityProfiles: [Agent] } }",
    );
    for (const w of [held, auto]) {
      w.connect.users.clear();
      w.connect.seed(
        connectUser("u-console", { username: "e1@example.com", securityProfileIds: ["sp:Agent"] }),
      );
    }

    const heldRun = await reconcile(held.reconcileDeps);
    const autoRun = await reconcile(auto.reconcileDeps);

    expect(heldRun.status).toBe("held");
    expect(held.queue.events).toEqual([]);
    expect(autoRun.status).toBe("completed");
    expect(auto.queue.events).toEqual([
      expect.objectContaining({ type: "joiner", employeeId: "E1", adoptUserId: "u-console" }),
    ]);
    expect(
      await auto.grants.find(autoRun.runId, { source: "canonical", employeeId: "E1" }),
    ).toMatchObject({
      adoptUserId: "u-console",
    });
  });

  it("on a dry run reports the drift but queues and stores nothing", async () => {
    const w = await world(["E1"]);
    w.connect.users.clear();

    const run = await reconcile(w.reconcileDeps, { dryRun: true });

    expect(run).toMatchObject({ status: "dry-run", queued: 0 });
    expect(run.counts.missing).toBe(1);
    expect(w.queue.events).toEqual([]);
    expect(w.runs.runs.size).toBe(0);
  });

  it("reads each vendor's roster for its own employees only: someone a vendor misses on two runs has left", async () => {
    const w = await world([]);
    const people = [
      ["bamboohr", "B1"],
      ["hibob", "H1"],
      ["hibob", "H2"],
    ] as const;
    for (const [source, id] of people)
      await syncEmployee(hrEvent({ source, record: employeeRecord(id) }), w.deps);
    const rosterOf = (...records: ReturnType<typeof employeeRecord>[]) => ({
      confirmsAbsence: false,
      getEmployee: async () => undefined,
      async *listEmployees() {
        yield* records;
      },
    });
    const deps = {
      ...w.reconcileDeps,
      vendorRosters: [
        { source: "bamboohr", directory: rosterOf(employeeRecord("B1")) },
        // HiBob still lists H1 and a joiner the service never heard of; H2 is gone.
        { source: "hibob", directory: rosterOf(employeeRecord("H1"), employeeRecord("H3")) },
      ],
    };
    const queued = () => w.queue.events.map((e) => `${e.type} ${e.source}#${e.employeeId}`);

    const first = await reconcile(deps);
    const afterFirst = queued();
    const second = await reconcile(deps);

    expect(afterFirst).toEqual(["joiner hibob#H3"]);
    expect(first.missingFromSource).toEqual([{ source: "hibob", employeeId: "H2" }]);
    expect(queued().slice(afterFirst.length)).toContain("leaver hibob#H2");
    expect(second.counts["in-sync"]).toBe(2);
    // A joiner HiBob lists (again: nothing ran the queue), a leaver it missed twice: all from HR.
    expect(first.repairsFrom).toEqual({ hr: 1, connect: 0 });
    expect(queued().slice(afterFirst.length).sort()).toEqual([
      "joiner hibob#H3",
      "leaver hibob#H2",
    ]);
    expect(second.repairsFrom).toEqual({ hr: 2, connect: 0 });
  });

  it("counts a repair BambooHR's directory asks for as from HR, and one of a console edit as from Connect", async () => {
    const w = await world([]);
    for (const id of ["B1", "B2"])
      await syncEmployee(hrEvent({ source: "bamboohr", record: employeeRecord(id) }), w.deps);
    // B1 moved to Paris in BambooHR (its webhook never came); B2 was edited in the console.
    const directory = [employeeRecord("B1", { location: "Paris" }), employeeRecord("B2")];
    const edited = w.connect.byUsername("b2@example.com");
    if (edited) edited.routingProfileId = "rp:Basic Routing Profile";
    const deps: ReconcileDeps = {
      ...w.reconcileDeps,
      vendorRosters: [
        {
          source: "bamboohr",
          directory: {
            confirmsAbsence: false,
            getEmployee: async () => undefined,
            async *listEmployees() {
              yield* directory;
            },
          },
        },
      ],
    };

    const run = await reconcile(deps);

    expect(w.queue.events.map((e) => `${e.type} ${e.source}#${e.employeeId}`).sort()).toEqual([
      "mover bamboohr#B1",
      "mover bamboohr#B2",
    ]);
    expect(run.repairsFrom).toEqual({ hr: 1, connect: 1 });
  });
});
