import { setTimeout as delay } from "node:timers/promises";
import {
  CreateQuickConnectCommand,
  CreateUserCommand,
  DescribeUserCommand,
  ListQuickConnectsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { CONNECT_API_QUOTAS } from "../../../src/connect/quotas";
import {
  EmulatorSeedError,
  InvalidQuotaError,
  parseEmulatorSeed,
  parseQuotaSpec,
  startConnectEmulator,
} from "../../../src/local/connect-emulator/index";
import { TokenBucket } from "../../../src/local/connect-emulator/quota";
import {
  connectError,
  type EmulatorFixture,
  fixtureFor,
  SAML_SEED,
  samlUser,
  useEmulator,
} from "./support";

/** A clock that moves only when the test says so, so that no bucket refills behind its back. */
function manualClock(start = Date.parse("2026-03-02T09:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
  };
}

/** Sends the calls one after another: "ok" or the error's name, in order. */
async function outcomes(calls: (() => Promise<unknown>)[]): Promise<string[]> {
  const results: string[] = [];
  for (const call of calls) {
    results.push(
      await call().then(
        () => "ok",
        (error: Error) => error.name,
      ),
    );
  }
  return results;
}

const times = <T>(count: number, make: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, index) => make(index));

const listUsers = (fixture: EmulatorFixture) => () =>
  fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));
const describeAdmin = (fixture: EmulatorFixture) => () =>
  fixture.client.send(
    new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: fixture.userId("admin") }),
  );
const createUser = (fixture: EmulatorFixture, name: string) => () =>
  fixture.client.send(new CreateUserCommand(samlUser(fixture, name)));

describe("TokenBucket", () => {
  it("lets a burst through, then refills at the rate, never above the burst", () => {
    // Prepare
    let now = 0;
    const bucket = new TokenBucket({ rps: 2, burst: 5 }, () => now);

    // Act
    const burst = Array.from({ length: 6 }, () => bucket.tryTake());
    now += 499;
    const tooEarly = bucket.tryTake();
    now += 1;
    const afterHalfSecond = bucket.tryTake();
    now += 60_000;
    const available = bucket.available();

    // Assess
    expect(burst).toEqual([true, true, true, true, true, false]);
    expect(tooEarly).toBe(false);
    expect(afterHalfSecond).toBe(true);
    expect(available).toBe(5);
  });
});

describe("the default quota: one bucket per operation, Connect's documented defaults", () => {
  const clock = manualClock();
  const fixture = useEmulator({ quota: true, clock: clock.now });

  it("gives CreateUser and ListUsers buckets of their own: one drained leaves the other full", async () => {
    // Act
    const creates = await outcomes(times(6, (i) => createUser(fixture, `agent.${i}`)));
    const lists = await outcomes(times(5, () => listUsers(fixture)));
    const describes = await outcomes(times(5, () => describeAdmin(fixture)));

    // Assess
    expect(creates).toEqual(["ok", "ok", "ok", "ok", "ok", "ThrottlingException"]);
    expect(lists).toEqual(Array(5).fill("ok"));
    expect(describes).toEqual(Array(5).fill("ok"));
    expect(fixture.emulator.stats().quotaThrottled).toBe(1);
  });

  it("still limits one operation at its rate: CreateUser refills at 2/s, ListUsers at 10/s", async () => {
    // Prepare
    await outcomes(times(5, (i) => createUser(fixture, `first.${i}`)));
    await outcomes(times(5, () => listUsers(fixture)));

    // Act
    clock.advance(100);
    const after100ms = await outcomes([createUser(fixture, "early"), listUsers(fixture)]);
    clock.advance(400);
    const after500ms = await outcomes([
      createUser(fixture, "on.time"),
      createUser(fixture, "next"),
    ]);
    clock.advance(60_000);
    const afterAMinute = await outcomes(times(6, () => listUsers(fixture)));

    // Assess
    expect(after100ms).toEqual(["ThrottlingException", "ok"]);
    expect(after500ms).toEqual(["ok", "ThrottlingException"]);
    expect(afterAMinute).toEqual(["ok", "ok", "ok", "ok", "ok", "ThrottlingException"]);
  });

  it("answers a throttled call as before: ThrottlingException, HTTP 429, nothing changed", async () => {
    // Prepare
    await outcomes(times(5, (i) => createUser(fixture, `agent.${i}`)));

    // Act
    const error = await connectError(createUser(fixture, "one.too.many")());

    // Assess
    expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({
      name: "ThrottlingException",
      status: 429,
    });
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).not.toContain(
      "one.too.many",
    );
  });

  it("shows each operation's bucket with its quota code", () => {
    // Act
    const state = fixture.emulator.quotaState();

    // Assess
    expect(state).toMatchObject({
      mode: "per-operation",
      operations: {
        CreateUser: { rps: 2, burst: 5, quotaCode: "L-CBDEE3E4", available: 5 },
        DescribeUser: { rps: 10, burst: 5, quotaCode: "L-EE6F0D82", available: 5 },
        DeleteQuickConnect: { rps: 2, burst: 5, quotaCode: "L-EC633E57", available: 5 },
      },
    });
    const operations = state && state.mode === "per-operation" ? state.operations : {};
    expect(Object.keys(operations)).toEqual(Object.keys(CONNECT_API_QUOTAS));
  });

  it("gives the quick connect operations their own buckets too", async () => {
    // Prepare
    const quickConnect = (index: number) => () =>
      fixture.client.send(
        new CreateQuickConnectCommand({
          InstanceId: fixture.instanceId,
          Name: `Desk ${index}`,
          QuickConnectConfig: {
            QuickConnectType: "PHONE_NUMBER",
            PhoneConfig: { PhoneNumber: "+442071234567" },
          },
        }),
      );

    // Act
    const creates = await outcomes(times(6, quickConnect));
    const lists = await outcomes([
      () => fixture.client.send(new ListQuickConnectsCommand({ InstanceId: fixture.instanceId })),
    ]);

    // Assess
    expect(creates).toEqual(["ok", "ok", "ok", "ok", "ok", "ThrottlingException"]);
    expect(lists).toEqual(["ok"]);
  });

  it("does not count admin requests against the quota", async () => {
    // Prepare
    fixture.emulator.setQuota("ListUsers=0.001/1");

    // Act
    const statuses = await Promise.all(
      Array.from(
        { length: 10 },
        async () => (await fetch(`${fixture.emulator.url}/_emulator/stats`)).status,
      ),
    );
    const call = await listUsers(fixture)();

    // Assess
    expect(statuses).toEqual(Array(10).fill(200));
    expect(call.UserSummaryList).toHaveLength(1);
  });

  it("can be turned off at run time", async () => {
    // Prepare
    fixture.emulator.setQuota(false);

    // Act
    const results = await Promise.all(times(20, () => listUsers(fixture)()));

    // Assess
    expect(results).toHaveLength(20);
    expect(fixture.emulator.quota()).toBe(false);
    expect(fixture.emulator.stats().quotaThrottled).toBe(0);
  });
});

describe("per-operation overrides", () => {
  it("take a spec over Connect's defaults, and the spec over the seed's quota section", async () => {
    // Prepare
    const emulator = await startConnectEmulator({
      seed: { ...SAML_SEED, quota: { ListUsers: { burst: 2 }, DescribeUser: { burst: 1 } } },
      quota: "DescribeUser=10/3",
      clock: manualClock().now,
    });
    const fixture = fixtureFor(emulator);

    // Act
    const lists = await outcomes(times(3, () => listUsers(fixture)));
    const describes = await outcomes(times(4, () => describeAdmin(fixture)));
    const creates = await outcomes(times(6, (i) => createUser(fixture, `agent.${i}`)));

    // Assess
    expect(lists).toEqual(["ok", "ok", "ThrottlingException"]);
    expect(describes).toEqual(["ok", "ok", "ok", "ThrottlingException"]);
    expect(creates.filter((outcome) => outcome === "ok")).toHaveLength(5);
    fixture.client.destroy();
    await emulator.close();
  });

  it("parse `Operation=rate/burst` and `Operation=rate`, naming the operation in every refusal", () => {
    // Act
    const parsed = parseQuotaSpec("CreateUser=1/2, describeuser=20");
    const refusals = [
      "Nope=1/2",
      "CreateUser=fast",
      "CreateUser=1/0",
      "CreateUser=0",
      "CreateUser",
    ].map((spec) => {
      try {
        parseQuotaSpec(spec);
        return "accepted";
      } catch (error) {
        return error instanceof InvalidQuotaError ? error.message : "other error";
      }
    });

    // Assess
    expect(parsed).toEqual({ CreateUser: { rps: 1, burst: 2 }, DescribeUser: { rps: 20 } });
    expect(refusals[0]).toMatch(/unknown operation "Nope"/);
    expect(refusals[1]).toMatch(/CreateUser: rate must be a number > 0/);
    expect(refusals[2]).toMatch(/CreateUser: burst must be a whole number >= 1/);
    expect(refusals[3]).toMatch(/CreateUser: rate must be a number > 0/);
    expect(refusals[4]).toMatch(/must look like CreateUser=2\/5/);
  });

  it("in a seed name the field of an unknown operation or a bad burst", () => {
    // Act
    let problems: readonly string[] = [];
    try {
      parseEmulatorSeed({
        ...SAML_SEED,
        quota: { CreateGroup: { rps: 1 }, CreateUser: { burst: 0 } },
      });
    } catch (error) {
      if (error instanceof EmulatorSeedError) problems = error.problems;
    }

    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/^quota\.CreateUser\.burst: /),
      'quota: Unrecognized key: "CreateGroup"',
    ]);
  });

  it("are refused together with rps/burst, which mean one shared bucket", async () => {
    // Act
    const error = await startConnectEmulator({ quota: "CreateUser=1/2", rps: 2 }).catch(
      (failure: unknown) => failure,
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidQuotaError);
    expect((error as Error).message).toMatch(/cannot be combined/);
  });
});

describe("rps/burst: one bucket shared by every operation, as before", () => {
  const clock = manualClock();
  const fixture = useEmulator({ quota: true, rps: 2, burst: 5, clock: clock.now });

  it("shares one bucket between every operation", async () => {
    // Act
    const mixed = await outcomes([
      createUser(fixture, "a"),
      createUser(fixture, "b"),
      listUsers(fixture),
      describeAdmin(fixture),
      listUsers(fixture),
      describeAdmin(fixture),
    ]);
    clock.advance(500);
    const afterHalfSecond = await outcomes([listUsers(fixture), createUser(fixture, "c")]);

    // Assess
    expect(mixed).toEqual(["ok", "ok", "ok", "ok", "ok", "ThrottlingException"]);
    expect(afterHalfSecond).toEqual(["ok", "ThrottlingException"]);
    expect(fixture.emulator.quota()).toEqual({ mode: "shared", rps: 2, burst: 5 });
  });

  it("changes nothing when it throttles a write", async () => {
    // Prepare
    fixture.emulator.setQuota({ rps: 0.001, burst: 1 });
    await createUser(fixture, "first.user")();

    // Act
    const error = await connectError(createUser(fixture, "second.user")());

    // Assess
    expect(error.name).toBe("ThrottlingException");
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toEqual([
      "admin",
      "first.user",
    ]);
  });
});

describe("a shared quota of 50 requests/s, burst 5", () => {
  const fixture = useEmulator({ rps: 50, burst: 5, quota: true });

  it("never throttles calls paced well under the rate", async () => {
    // Act
    for (let call = 0; call < 15; call += 1) {
      await listUsers(fixture)();
      await delay(40); // 25 calls/s at most: half the rate
    }

    // Assess
    expect(fixture.emulator.stats()).toMatchObject({ calls: 15, quotaThrottled: 0 });
  });
});
