import { ConnectClient, UpdateUserRoutingProfileCommand } from "@aws-sdk/client-connect";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { STORED_ROSTER_NOTE } from "../../../src/app/ports/runs";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { employeeRecord } from "../../support/hr-fixtures";
import {
  ROSTER_HEADER,
  type RosterWorld,
  rosterCsv,
  staff,
  startRosterWorld,
} from "../../support/roster-stack";

/**
 * Issue #18 through the real reconcile handler: the canonical feed's roster
 * is the newest export in S3 (fauxqs, in process), as `local --roster` serves it.
 * One stack for the file: each test after the first has an HR source (and so
 * employees, a roster and a roster history) of its own.
 */

let world: RosterWorld;

beforeAll(async () => {
  world = await startRosterWorld(staff("S1", "S2", "S3"));
});

afterAll(async () => {
  await world?.close();
});

afterEach(() => {
  vi.useRealTimers();
});

const routingProfileOf = (w: RosterWorld, name: string) =>
  w.stack.emulator.dumpState().routingProfiles.find((p) => p.name === name)?.id;

describe("an S3 roster", () => {
  it("repairs a lost joiner, mover and leaver webhook, each audited from the roster", async () => {
    await world.hire(...staff("S1", "S2", "S3"));
    // HR moved S1 to Sales, let S2 go and hired S4; none of those webhooks arrived.
    await world.stack.roster?.upload(
      rosterCsv([
        employeeRecord("S1", { department: "Sales" }),
        employeeRecord("S3"),
        employeeRecord("S4"),
      ]),
    );

    const { answer, run, metrics } = await world.reconcile();

    expect(answer?.status).toBe("completed");
    expect(world.user("s1@example.com")?.RoutingProfileId).toBe(
      routingProfileOf(world, "Basic Routing Profile"),
    );
    expect(world.user("s2@example.com")).toBeUndefined();
    expect(world.user("s4@example.com")?.RoutingProfileId).toBe(
      routingProfileOf(world, "UK Support"),
    );
    expect(run?.repairsFrom).toEqual({ hr: 3, connect: 0 });
    expect(run?.rosters).toContainEqual({
      source: "canonical",
      kind: "s3",
      location: "s3://connect-hr-sync-local-rosters/canonical/roster-000002.csv",
      asOf: expect.any(String),
      ageHours: expect.any(Number),
      employees: 3,
      bytes: expect.any(Number),
    });
    const rosterAt = run?.rosters?.find((r) => r.source === "canonical")?.asOf;
    for (const [id, type] of [
      ["S1", "mover"],
      ["S2", "leaver"],
      ["S4", "joiner"],
    ]) {
      const reasons = (await world.audit(id ?? "")).map((e) => e.reason);
      expect(reasons).toContain(`${type}/reconcile from the roster of canonical at ${rosterAt}`);
    }
    expect(metrics).toContain("RepairsFromHr");
    const again = await world.reconcile();
    expect(again.run?.repairsFrom).toEqual({ hr: 0, connect: 0 });
  });

  it("still repairs Connect-side drift, counted apart from HR's", async () => {
    const drift = world.feed("drift");
    await drift.hire(...staff("S5"));
    await drift.upload(rosterCsv(staff("S5")));
    const connect = new ConnectClient({
      endpoint: world.stack.emulator.url,
      region: world.stack.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    await connect.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: world.stack.emulator.instanceId,
        UserId: String(world.user("s5@example.com")?.Id),
        RoutingProfileId: routingProfileOf(world, "Basic Routing Profile"),
      }),
    );
    connect.destroy();

    const { run } = await world.reconcile({ ROSTERS_FILE: await drift.rostersFile() });

    expect(run?.repairsFrom).toEqual({ hr: 0, connect: 1 });
    expect(run?.changes).toEqual([expect.not.objectContaining({ rosterAt: expect.anything() })]);
    expect(world.user("s5@example.com")?.RoutingProfileId).toBe(
      routingProfileOf(world, "UK Support"),
    );
  });
});

describe("an S3 roster that cannot be true", () => {
  const broken = () => world.feed("broken");

  beforeAll(async () => {
    await broken().hire(...staff("T1", "T2", "T3"));
  });

  it.each([
    [
      "is empty",
      `${ROSTER_HEADER}\n`,
      /at s3:\/\/connect-hr-sync-local-rosters\/broken\/roster-\d+\.csv lists no employees/,
    ],
    [
      "is cut off in a row",
      rosterCsv(staff("T1", "T2", "T3")).slice(0, -30),
      /cannot be read completely: .*line 4: \(row\) has \d field\(s\); the header has 10: the roster looks cut off or broken/,
    ],
    [
      "is not a roster",
      "name,team\nx,y\n",
      /cannot be read completely: .*does not have the roster's columns/,
    ],
  ])("fails the run and changes nothing when it %s", async (_, csv, reason) => {
    const before = world.users();
    await broken().upload(csv);

    const { error, metrics } = await world.reconcile({
      ROSTERS_FILE: await broken().rostersFile(),
    });

    expect(error?.name).toBe("RosterUnusableError");
    expect(error?.message).toMatch(reason);
    expect(error?.message).toMatch(/; nothing was changed$/);
    expect(metrics).toContain("ReconcileFailed");
    expect(world.users()).toEqual(before);
  });

  it("fails the run when the newest export is older than maxAgeHours", async () => {
    await broken().upload(rosterCsv(staff("T1", "T2", "T3")));
    const rosters = await broken().rostersFile();
    const before = world.users();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 27 * 3_600_000 });

    const { error, metrics } = await world.reconcile({ ROSTERS_FILE: rosters });

    expect(error?.message).toMatch(
      /is 27(\.\d+)? hours old \(.*\), older than maxAgeHours 26: HR's export has not run/,
    );
    expect(metrics).toContain("ReconcileFailed");
    expect(world.users()).toEqual(before);
  });

  it("fails the run when it lists far fewer employees than the last good roster, and says which", async () => {
    const shrunk = world.feed("shrunk");
    const outOfScope = ["U4", "U5", "U6", "U7", "U8", "U9", "U10"].map((id) =>
      employeeRecord(id, { department: "Finance" }),
    );
    await shrunk.hire(...staff("U1", "U2", "U3"));
    const rosters = { ROSTERS_FILE: await shrunk.rostersFile() };
    await shrunk.upload(rosterCsv([...staff("U1", "U2", "U3"), ...outOfScope]));
    const good = await world.reconcile(rosters);
    await shrunk.upload(rosterCsv(staff("U1", "U2", "U3")));
    const before = world.users();

    const { error } = await world.reconcile(rosters);

    expect(good.answer?.status).toBe("completed");
    expect(error?.message).toContain(
      `lists 3 employees, fewer than 90% of the 10 of the last good roster (${good.run?.rosters?.find((r) => r.source === "shrunk")?.asOf}, run ${good.answer?.runId})`,
    );
    expect(world.users()).toEqual(before);
  });

  it("fails the run when the bucket holds no export under the prefix", async () => {
    const file = await world.rostersFile(
      "version: 1\nrosters:\n  broken: { kind: s3, bucket: connect-hr-sync-local-rosters, prefix: nothing-here/ }\n",
    );

    const { error } = await world.reconcile({ ROSTERS_FILE: file });

    expect(error?.message).toMatch(
      /s3:\/\/connect-hr-sync-local-rosters\/nothing-here\/ holds no roster object/,
    );
  });
});

describe("no roster configured", () => {
  it("names the canonical source's roster stored, and what that leaves out", async () => {
    const { run } = await world.reconcile({ ROSTERS_FILE: "" });

    expect(run?.rosters).toContainEqual({
      source: "canonical",
      kind: "stored",
      note: STORED_ROSTER_NOTE,
    });
    expect(STORED_ROSTER_NOTE).toBe("no HR roster configured: only Connect-side drift is repaired");
  });
});
