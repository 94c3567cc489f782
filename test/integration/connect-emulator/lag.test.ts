import {
  CreateQuickConnectCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeQuickConnectCommand,
  DescribeUserCommand,
  ListQuickConnectsCommand,
  ListUsersCommand,
  SearchUsersCommand,
  TagResourceCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserRoutingProfileCommand,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { startConnectEmulator } from "../../../src/local/connect-emulator/index";
import {
  connectError,
  type EmulatorFixture,
  expectConnectError,
  fixtureFor,
  SAML_SEED,
  samlUser,
  useEmulator,
} from "./support";

const LAG_MS = 3000;

/** A clock that moves only when the test says so: no sleeps, and delays are exact. */
function manualClock(start = Date.parse("2026-03-02T09:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    advanceTo: (iso: string) => {
      now = Math.max(now, Date.parse(iso));
    },
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
  };
}

const describeUser = (fixture: EmulatorFixture, userId: string | undefined) =>
  fixture.client.send(new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: userId }));

async function listedUsernames(fixture: EmulatorFixture): Promise<string[]> {
  const { UserSummaryList } = await fixture.client.send(
    new ListUsersCommand({ InstanceId: fixture.instanceId }),
  );
  return (UserSummaryList ?? []).map((user) => user.Username ?? "");
}

async function searchedUsernames(fixture: EmulatorFixture, username: string): Promise<string[]> {
  const { Users } = await fixture.client.send(
    new SearchUsersCommand({
      InstanceId: fixture.instanceId,
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: username, ComparisonType: "EXACT" },
      },
    }),
  );
  return (Users ?? []).map((user) => user.Username ?? "");
}

/** Moves the clock to when the last pending write becomes visible. */
function waitOutLag(fixture: EmulatorFixture, clock: ReturnType<typeof manualClock>): void {
  const { pending } = fixture.emulator.pending();
  const last = pending.at(-1);
  if (last) clock.advanceTo(last.visibleAt);
}

describe("reads under a lag", () => {
  const clock = manualClock();
  const fixture = useEmulator({ lag: LAG_MS, lagSeed: 7, clock: clock.now });

  it("do not see a user created moments ago: 404 on DescribeUser, absent from ListUsers and SearchUsers", async () => {
    // Act
    const created = await fixture.client.send(new CreateUserCommand(samlUser(fixture, "jane")));
    const describedAtOnce = await connectError(describeUser(fixture, created.UserId));
    const listedAtOnce = await listedUsernames(fixture);
    const searchedAtOnce = await searchedUsernames(fixture, "jane");
    waitOutLag(fixture, clock);
    const describedLater = await describeUser(fixture, created.UserId);

    // Assess
    expect(describedAtOnce.name).toBe("ResourceNotFoundException");
    expect(listedAtOnce).toEqual(["admin"]);
    expect(searchedAtOnce).toEqual([]);
    expect(describedLater.User?.Username).toBe("jane");
    expect(await listedUsernames(fixture)).toEqual(["admin", "jane"]);
    expect(await searchedUsernames(fixture, "jane")).toEqual(["jane"]);
  });

  it("still see a deleted user until the deletion is visible", async () => {
    // Prepare
    const adminId = fixture.userId("admin");

    // Act
    await fixture.client.send(
      new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId: adminId }),
    );
    const describedAtOnce = await describeUser(fixture, adminId);
    const listedAtOnce = await listedUsernames(fixture);
    waitOutLag(fixture, clock);

    // Assess
    expect(describedAtOnce.User?.Username).toBe("admin");
    expect(listedAtOnce).toEqual(["admin"]);
    await expectConnectError(describeUser(fixture, adminId), "ResourceNotFoundException", 404);
    expect(await listedUsernames(fixture)).toEqual([]);
  });

  it("see the old values of an update until it is visible, in DescribeUser and SearchUsers", async () => {
    // Prepare
    const adminId = fixture.userId("admin");
    const usSales = fixture.routingProfileId("US Sales");
    const searchBySales = async () => {
      const { Users } = await fixture.client.send(
        new SearchUsersCommand({
          InstanceId: fixture.instanceId,
          SearchCriteria: {
            StringCondition: {
              FieldName: "RoutingProfileId",
              Value: usSales,
              ComparisonType: "EXACT",
            },
          },
        }),
      );
      return (Users ?? []).map((user) => user.Username);
    };

    // Act
    await fixture.client.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: fixture.instanceId,
        UserId: adminId,
        RoutingProfileId: usSales,
      }),
    );
    const before = await describeUser(fixture, adminId);
    const foundBefore = await searchBySales();
    waitOutLag(fixture, clock);
    const after = await describeUser(fixture, adminId);

    // Assess
    expect(before.User?.RoutingProfileId).toBe(fixture.routingProfileId("Basic Routing Profile"));
    expect(foundBefore).toEqual([]);
    expect(after.User?.RoutingProfileId).toBe(usSales);
    expect(await searchBySales()).toEqual(["admin"]);
  });

  it("never show a later write of a user before an earlier one", async () => {
    // Prepare
    const { UserId } = await fixture.client.send(
      new CreateUserCommand(samlUser(fixture, "versions")),
    );
    waitOutLag(fixture, clock);

    // Act: twenty renames 150 ms apart, reading the user between them and long after.
    const seen: number[] = [];
    for (let version = 1; version <= 20; version += 1) {
      await fixture.client.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: fixture.instanceId,
          UserId,
          IdentityInfo: { FirstName: `v${version}`, LastName: "Doe" },
        }),
      );
      clock.advance(150);
      const { User } = await describeUser(fixture, UserId);
      seen.push(Number(User?.IdentityInfo?.FirstName?.slice(1) ?? 0));
    }
    waitOutLag(fixture, clock);
    const { User: settled } = await describeUser(fixture, UserId);

    // Assess
    expect(seen).toEqual([...seen].sort((left, right) => left - right));
    expect(seen.at(-1)).toBeLessThan(20);
    expect(settled?.IdentityInfo?.FirstName).toBe("v20");
  });

  it("let quick connects lag too: absent from ListQuickConnects and 404 on Describe until visible", async () => {
    // Act
    const created = await fixture.client.send(
      new CreateQuickConnectCommand({
        InstanceId: fixture.instanceId,
        Name: "Head office",
        QuickConnectConfig: {
          QuickConnectType: "PHONE_NUMBER",
          PhoneConfig: { PhoneNumber: "+442071234567" },
        },
      }),
    );
    const listedAtOnce = await fixture.client.send(
      new ListQuickConnectsCommand({ InstanceId: fixture.instanceId }),
    );
    const describe = () =>
      fixture.client.send(
        new DescribeQuickConnectCommand({
          InstanceId: fixture.instanceId,
          QuickConnectId: created.QuickConnectId,
        }),
      );
    const describedAtOnce = await connectError(describe());
    waitOutLag(fixture, clock);

    // Assess
    expect(listedAtOnce.QuickConnectSummaryList).toEqual([]);
    expect(describedAtOnce.name).toBe("ResourceNotFoundException");
    expect((await describe()).QuickConnect?.Name).toBe("Head office");
  });
});

describe("writes under a lag", () => {
  const clock = manualClock();
  const fixture = useEmulator({ lag: LAG_MS, lagSeed: 11, clock: clock.now });

  it("act on the true state at once: a taken name is a duplicate; update, tag and delete of a user just created succeed", async () => {
    // Prepare
    const created = await fixture.client.send(new CreateUserCommand(samlUser(fixture, "jane")));

    // Act
    const duplicate = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "JANE"))),
    );
    await fixture.client.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: fixture.instanceId,
        UserId: created.UserId,
        RoutingProfileId: fixture.routingProfileId("US Sales"),
      }),
    );
    await fixture.client.send(
      new TagResourceCommand({ resourceArn: created.UserArn, tags: { team: "sales" } }),
    );
    const trueStateBeforeDelete = fixture.emulator.dumpState().users.map((user) => user.Username);
    await fixture.client.send(
      new DeleteUserCommand({ InstanceId: fixture.instanceId, UserId: created.UserId }),
    );
    const readAtOnce = await connectError(describeUser(fixture, created.UserId));

    // Assess
    expect(duplicate.name).toBe("DuplicateResourceException");
    expect(trueStateBeforeDelete).toEqual(["admin", "jane"]);
    expect(readAtOnce.name).toBe("ResourceNotFoundException");
    expect(fixture.emulator.pending().pending.map((write) => write.operation)).toEqual([
      "CreateUser",
      "UpdateUserRoutingProfile",
      "TagResource",
      "DeleteUser",
    ]);
  });

  it("leave dumpState and GET /_emulator/state on the true state", async () => {
    // Act
    const { UserId } = await fixture.client.send(new CreateUserCommand(samlUser(fixture, "jane")));
    const described = await connectError(describeUser(fixture, UserId));
    const adminState = (await (await fetch(`${fixture.emulator.url}/_emulator/state`)).json()) as {
      users: { Username: string }[];
    };

    // Assess
    expect(described.name).toBe("ResourceNotFoundException");
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toEqual([
      "admin",
      "jane",
    ]);
    expect(adminState.users.map((user) => user.Username)).toEqual(["admin", "jane"]);
  });

  it("made and then answered 500 (applied-then-failed) lag like any other write", async () => {
    // Prepare
    fixture.emulator.setFaults({ seed: 1, appliedThenFailed: 1 });

    // Act
    const failed = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "lost.answer"))),
    );
    fixture.emulator.setFaults(false);
    const listedAtOnce = await listedUsernames(fixture);
    waitOutLag(fixture, clock);

    // Assess
    expect(failed.name).toBe("InternalServiceException");
    expect(listedAtOnce).toEqual(["admin"]);
    expect(await listedUsernames(fixture)).toEqual(["admin", "lost.answer"]);
  });
});

describe("the pending writes", () => {
  const clock = manualClock();
  const fixture = useEmulator({ lag: LAG_MS, lagSeed: 5, clock: clock.now });

  it("are listed by GET /_emulator/pending and made visible at once by DELETE", async () => {
    // Prepare
    const created = await fixture.client.send(new CreateUserCommand(samlUser(fixture, "jane")));

    // Act
    const admin = async (path: string, init?: RequestInit) =>
      (await fetch(`${fixture.emulator.url}/_emulator${path}`, init)).json();
    const index = (await admin("")) as { endpoints: string[] };
    const listed = (await admin("/pending")) as ReturnType<typeof fixture.emulator.pending>;
    const flushed = (await admin("/pending", { method: "DELETE" })) as typeof listed;
    const described = await describeUser(fixture, created.UserId);

    // Assess
    expect(index.endpoints).toEqual(
      expect.arrayContaining(["GET /_emulator/pending", "DELETE /_emulator/pending"]),
    );
    expect(listed).toEqual({
      lag: { maxMs: LAG_MS, seed: 5 },
      pending: [
        {
          resource: "user",
          id: created.UserId,
          operation: "CreateUser",
          change: "created",
          writtenAt: new Date(clock.now()).toISOString(),
          visibleAt: expect.any(String),
        },
      ],
    });
    const delay = Date.parse(listed.pending[0]?.visibleAt ?? "") - clock.now();
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(LAG_MS);
    expect(flushed.pending).toEqual([]);
    expect(described.User?.Username).toBe("jane");
  });
});

describe("the lag's delays", () => {
  /** Each write's delay, in milliseconds, for `count` users created at the same instant. */
  async function delays(options: { lagSeed?: number; faults?: string }, count: number) {
    const clock = manualClock();
    const emulator = await startConnectEmulator({
      seed: { ...SAML_SEED, userLimit: count + 1 },
      quota: false,
      lag: 1000,
      clock: clock.now,
      ...options,
    });
    const fixture = fixtureFor(emulator);
    for (let index = 0; index < count; index += 1) {
      await fixture.client.send(new CreateUserCommand(samlUser(fixture, `agent${index}`)));
    }
    const result = emulator
      .pending()
      .pending.map((write) => Date.parse(write.visibleAt) - Date.parse(write.writtenAt));
    fixture.client.destroy();
    await emulator.close();
    return result;
  }

  it("are drawn from 0..lag, the same for the same seed, the faults' seed by default", async () => {
    // Act
    const [first, again, other, fromFaults] = await Promise.all([
      delays({ lagSeed: 9 }, 120),
      delays({ lagSeed: 9 }, 120),
      delays({ lagSeed: 10 }, 120),
      delays({ faults: "seed=9" }, 120),
    ]);

    // Assess
    const sorted = (values: number[]) => [...values].sort((left, right) => left - right);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThanOrEqual(1000);
    expect(Math.min(...first)).toBeLessThan(100);
    expect(Math.max(...first)).toBeGreaterThan(900);
    expect(sorted(again)).toEqual(sorted(first));
    expect(sorted(fromFaults)).toEqual(sorted(first));
    expect(sorted(other)).not.toEqual(sorted(first));
  });
});

describe("without a lag (the default)", () => {
  const fixture = useEmulator();

  it("shows every write at once and has nothing pending", async () => {
    // Act
    const { UserId } = await fixture.client.send(new CreateUserCommand(samlUser(fixture, "jane")));
    const { User } = await describeUser(fixture, UserId);

    // Assess
    expect(User?.Username).toBe("jane");
    expect(fixture.emulator.pending()).toEqual({ lag: false, pending: [] });
  });
});
