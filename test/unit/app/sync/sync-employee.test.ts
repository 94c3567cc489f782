import { describe, expect, it } from "vitest";
import { UsernameTakenError } from "../../../../src/app/errors";
import { type SyncStep, syncEmployee } from "../../../../src/app/sync/sync-employee";
import { managedTags } from "../../../../src/domain/managed";
import type { SyncRequest } from "../../../../src/domain/sync-request";
import { connectUser } from "../../../support/connect-fixtures";
import { fakeSyncWorld } from "../../../support/fakes/sync-deps";
import { hrEvent, hrRecord, RULES_YAML, syncRules } from "../../../support/hr-fixtures";

/** Grace's joiner event, then later events about her, each a minute after the last. */
function event(minute: number, overrides: Partial<SyncRequest> = {}): SyncRequest {
  return hrEvent({
    occurredAt: `2026-11-28T09:${String(minute).padStart(2, "0")}:00Z`,
    ...overrides,
  });
}

/** Whom the events are about: the canonical feed's E1001. */
const GRACE = { source: "canonical", employeeId: "E1001" };

const joiner = () => event(0);
const leaver = (minute = 5) =>
  event(minute, { type: "leaver", record: hrRecord({ status: "terminated" }) });

describe("syncing one employee", () => {
  it("creates a joiner's user with one CreateUser carrying the rules' profiles and the managed tags", async () => {
    const world = fakeSyncWorld();

    const outcome = await syncEmployee(joiner(), world.deps);

    const user = world.connect.byUsername("grace.hopper@example.com");
    expect(outcome).toMatchObject({ result: "created", operations: ["CreateUser"] });
    expect(world.connect.operations()).toEqual(["createUser"]);
    expect(user).toMatchObject({
      routingProfileId: "rp:UK Support",
      securityProfileIds: ["sp:Agent"],
      hierarchyGroupId: "hg:EMEA/London/Support",
      tags: managedTags({ source: "canonical", employeeId: "E1001" }),
    });
    expect(world.audit.trail()).toEqual(["CreateUser applied"]);
    expect((await world.employees.get(GRACE))?.connectUser?.userId).toBe(user?.userId);
  });

  it("moves an agent with one Update call for the one facet that differs", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const moved = event(1, { type: "mover", record: hrRecord({ location: "Austin" }) });

    const outcome = await syncEmployee(moved, world.deps);

    expect(outcome).toMatchObject({
      result: "updated",
      operations: ["UpdateUserRoutingProfile", "UpdateUserHierarchy"],
      facets: ["routingProfile", "hierarchy"],
    });
    expect(world.connect.byUsername("grace.hopper@example.com")).toMatchObject({
      routingProfileId: "rp:Basic Routing Profile",
      hierarchyGroupId: null,
    });
  });

  it("makes no call for an event that changes nothing", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const calls = world.connect.calls.length;

    const outcome = await syncEmployee(event(1, { type: "mover" }), world.deps);

    expect(outcome.result).toBe("unchanged");
    expect(world.connect.calls.length).toBe(calls);
  });

  it("ignores an event older than the one applied, without a call or a write", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(event(5, { type: "mover" }), world.deps);
    const before = await world.employees.get(GRACE);

    const outcome = await syncEmployee(leaver(1), world.deps);

    expect(outcome.result).toBe("stale");
    expect(world.connect.operations()).toEqual(["createUser"]);
    expect(await world.employees.get(GRACE)).toEqual(before);
  });

  it("deletes a leaver's user and forgets it", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);

    const outcome = await syncEmployee(leaver(), world.deps);

    expect(outcome).toMatchObject({ result: "deleted", operations: ["DeleteUser"] });
    expect(world.connect.users.size).toBe(0);
    expect(world.audit.trail()).toEqual(["CreateUser applied", "DeleteUser applied"]);
    expect((await world.employees.get(GRACE))?.connectUser).toBeUndefined();
  });

  it("keeps a leaver whom someone made an Admin since, and stores the user as Connect holds it", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const user = world.connect.byUsername("grace.hopper@example.com");
    if (user) user.securityProfileIds = ["sp:Admin"];

    const outcome = await syncEmployee(leaver(), world.deps);

    expect(outcome.result).toBe("protected");
    expect(world.connect.users.size).toBe(1);
    expect((await world.employees.get(GRACE))?.connectUser?.securityProfileIds).toEqual([
      "sp:Admin",
    ]);
  });

  it("keeps a mover whom someone made an Admin since: protection holds before every change", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const user = world.connect.byUsername("grace.hopper@example.com");
    if (user) user.securityProfileIds = ["sp:Admin"];

    const outcome = await syncEmployee(
      event(1, { type: "mover", record: hrRecord({ location: "Austin" }) }),
      world.deps,
    );

    expect(outcome.result).toBe("protected");
    expect(world.connect.byUsername("grace.hopper@example.com")?.routingProfileId).toBe(
      "rp:UK Support",
    );
  });

  it("recovers a CreateUser whose answer was lost by finding its own user, not making a second", async () => {
    const world = fakeSyncWorld();
    world.connect.loseNextAnswer("createUser");
    await expect(syncEmployee(joiner(), world.deps)).rejects.toThrow();

    const outcome = await syncEmployee(joiner(), world.deps);

    expect(outcome.result).toBe("created");
    expect(world.connect.users.size).toBe(1);
    expect(world.audit.trail()).toEqual(["CreateUser adopted"]);
  });

  it("never takes the user it deleted, still listed by Connect's lagging reads, for a rehire's new user", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const deleted = [...world.connect.users.values()][0];
    await syncEmployee(leaver(), world.deps);
    // Connect's reads still show the deleted user, with the rehire's user name and our tags.
    if (deleted) world.connect.seed(deleted);

    const attempt = syncEmployee(event(9), world.deps);

    await expect(attempt).rejects.toMatchObject({ name: "NotYetVisibleError" });
    expect((await world.employees.get(GRACE))?.connectUser).toBeUndefined();
    expect(world.audit.trail()).toEqual(["CreateUser applied", "DeleteUser applied"]);
  });

  it("refuses for good a joiner whose user name a user the service does not manage holds, changing nothing", async () => {
    const world = fakeSyncWorld();
    const stranger = world.connect.seed(
      connectUser("u-console", {
        username: "grace.hopper@example.com",
        securityProfileIds: ["sp:Supervisor"],
      }),
    );

    const attempt = syncEmployee(joiner(), world.deps);

    await expect(attempt).rejects.toBeInstanceOf(UsernameTakenError);
    expect(world.connect.users.get("u-console")).toEqual(stranger);
    expect((await world.employees.get(GRACE))?.lastError?.name).toBe("UsernameTakenError");
  });

  it("retries, rather than recreates, a user it changed moments ago that Connect does not show yet", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    world.connect.users.clear();

    const attempt = syncEmployee(
      event(1, { type: "mover", record: hrRecord({ location: "Austin" }) }),
      world.deps,
    );

    await expect(attempt).rejects.toMatchObject({ name: "NotYetVisibleError" });
    expect(world.connect.operations().filter((op) => op === "createUser")).toHaveLength(1);
  });

  it("creates the user again when an update finds it deleted behind the service's back", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    world.connect.users.clear();
    world.advance(world.deps.settleSeconds);

    const outcome = await syncEmployee(
      event(1, { type: "mover", record: hrRecord({ location: "Austin" }) }),
      world.deps,
    );

    expect(outcome.result).toBe("created");
    expect(world.connect.byUsername("grace.hopper@example.com")?.routingProfileId).toBe(
      "rp:Basic Routing Profile",
    );
  });

  it("stores what a failing sync had already changed, so that its retry makes only the rest", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const moved = event(1, {
      type: "mover",
      record: hrRecord({ location: "Austin", jobCode: "TL1" }),
    });
    // Three facets differ; the second call fails for a passing reason.
    world.connect.failNext("update", Object.assign(new Error("busy"), { name: "Busy" }), 1);
    await expect(syncEmployee(moved, world.deps)).rejects.toThrow("busy");
    world.connect.calls.length = 0;

    const retried = await syncEmployee(moved, world.deps);

    expect(retried).toMatchObject({ result: "updated", facets: ["securityProfiles", "hierarchy"] });
    expect(world.connect.operations()).toEqual(["update", "update"]);
  });

  it("stores why a record that cannot become a user failed, and calls Connect not at all", async () => {
    const world = fakeSyncWorld();
    const deskPhoneWithoutNumber = hrRecord({ phone: { type: "DESK_PHONE" } });

    const attempt = syncEmployee(event(0, { record: deskPhoneWithoutNumber }), world.deps);

    await expect(attempt).rejects.toMatchObject({ name: "InvalidRecordError" });
    expect(world.connect.calls).toEqual([]);
    expect((await world.employees.get(GRACE))?.lastError?.message).toContain(
      "record.phone.deskPhoneNumber",
    );
  });

  it("on a dry run shows the plan and changes and stores nothing", async () => {
    const world = fakeSyncWorld();
    const steps: SyncStep[] = [];

    const outcome = await syncEmployee(joiner(), world.deps, {
      dryRun: true,
      onStep: (step) => steps.push(step),
    });

    expect(outcome).toMatchObject({ result: "dry-run", operations: ["CreateUser"] });
    expect(steps.map((s) => s.step)).toEqual(["record", "scope", "match", "current", "plan"]);
    expect(world.connect.users.size).toBe(0);
    expect(world.employees.states.size).toBe(0);
  });

  it("adopts the unmanaged user a reconciliation found with the employee's user name, then converges it", async () => {
    const world = fakeSyncWorld();
    world.connect.seed(
      connectUser("u-console", {
        username: "grace.hopper@example.com",
        routingProfileId: "rp:Basic Routing Profile",
      }),
    );
    const repair = event(0, { origin: "reconcile", adoptUserId: "u-console" });

    const outcome = await syncEmployee(repair, world.deps);

    expect(outcome).toMatchObject({ result: "adopted", connectUserId: "u-console" });
    expect(world.connect.users.get("u-console")?.routingProfileId).toBe("rp:UK Support");
    expect(world.audit.trail()[0]).toBe("AdoptUser adopted");
  });

  it("waits for a joiner who has not started, saying when", async () => {
    const world = fakeSyncWorld({ today: "2026-12-01" });

    const outcome = await syncEmployee(
      event(0, { record: hrRecord({ startDate: "2026-12-14" }) }),
      world.deps,
    );

    expect(outcome).toMatchObject({ result: "not-yet-due" });
    expect((await world.employees.get(GRACE))?.dueDate).toBe("2026-12-14");
    expect(world.connect.calls).toEqual([]);
  });

  it("reads a thin event's record from the HR system that sent it", async () => {
    const world = fakeSyncWorld({ vendorRecords: [hrRecord({ department: "Sales" })] });

    const outcome = await syncEmployee(
      event(0, { source: "vendor", record: undefined }),
      world.deps,
    );

    expect(outcome.result).toBe("created");
    expect(world.connect.byUsername("grace.hopper@example.com")?.routingProfileId).toBe(
      "rp:Basic Routing Profile",
    );
  });

  describe("with the disable policy", () => {
    const rules = () =>
      syncRules(`${RULES_YAML}leavers:
  action: disable
  disable: { securityProfiles: [No Access], routingProfile: Disabled }
  deleteAfterDays: 30
guard: { maxDeletesPerHour: 1 }
`);

    it("keeps a leaver's user, with only the disable profiles and the day it was disabled", async () => {
      const world = fakeSyncWorld({ rules: rules() });
      await syncEmployee(joiner(), world.deps);

      const outcome = await syncEmployee(leaver(), world.deps);

      expect(outcome.result).toBe("disabled");
      expect(world.connect.byUsername("grace.hopper@example.com")).toMatchObject({
        securityProfileIds: ["sp:No Access"],
        routingProfileId: "rp:Disabled",
        hierarchyGroupId: null,
        tags: { "connect-hr-sync:disabled-at": "2026-12-01" },
      });
      expect(world.audit.trail()).toContain("DisableUser applied");
    });

    it("gives a rehire the same user back and takes the mark off", async () => {
      const world = fakeSyncWorld({ rules: rules() });
      await syncEmployee(joiner(), world.deps);
      const userId = world.connect.byUsername("grace.hopper@example.com")?.userId;
      await syncEmployee(leaver(), world.deps);

      const outcome = await syncEmployee(event(9), world.deps);

      const user = world.connect.byUsername("grace.hopper@example.com");
      expect(outcome).toMatchObject({ result: "re-enabled", connectUserId: userId });
      expect(user?.routingProfileId).toBe("rp:UK Support");
      expect(user?.tags).not.toHaveProperty("connect-hr-sync:disabled-at");
      expect(world.audit.trail()).toContain("ReenableUser applied");
    });

    it("holds a leaver from an event past the hour's limit, changing nothing", async () => {
      const world = fakeSyncWorld({ rules: rules() });
      for (const id of ["E1", "E2"]) {
        await syncEmployee(
          event(0, {
            employeeId: id,
            record: hrRecord({ employeeId: id, email: `${id}@example.com` }),
          }),
          world.deps,
        );
      }
      const leave = (id: string) =>
        event(5, {
          type: "leaver",
          employeeId: id,
          record: hrRecord({ employeeId: id, email: `${id}@example.com`, status: "terminated" }),
        });

      const first = await syncEmployee(leave("E1"), world.deps);
      const second = await syncEmployee(leave("E2"), world.deps);

      expect([first.result, second.result]).toEqual(["disabled", "held"]);
      expect(world.connect.byUsername("E2@example.com")?.routingProfileId).toBe("rp:UK Support");
      expect([...world.breaker.held.values()].flat()).toEqual([
        expect.objectContaining({ employeeId: "E2", repair: "disable" }),
      ]);
      expect(
        (await world.employees.get({ source: "canonical", employeeId: "E2" }))?.heldIn,
      ).toMatch(/^breaker-/);
    });
  });

  it("deletes the quick connects that name a leaver's user with it", async () => {
    const world = fakeSyncWorld();
    await syncEmployee(joiner(), world.deps);
    const userId = world.connect.byUsername("grace.hopper@example.com")?.userId ?? "";
    world.connect.quickConnects.set("qc-1", { quickConnectId: "qc-1", name: "To Grace", userId });
    world.connect.quickConnects.set("qc-2", {
      quickConnectId: "qc-2",
      name: "To Ada",
      userId: "u-other",
    });

    await syncEmployee(leaver(), world.deps);

    expect([...world.connect.quickConnects.keys()]).toEqual(["qc-2"]);
    expect(world.audit.trail()).toEqual([
      "CreateUser applied",
      "DeleteQuickConnect applied",
      "DeleteUser applied",
    ]);
  });
});
