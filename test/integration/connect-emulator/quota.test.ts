import { setTimeout as delay } from "node:timers/promises";
import { CreateUserCommand, ListUsersCommand } from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../../src/local/connect-emulator/quota";
import { connectError, samlUser, useEmulator } from "./support";

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

describe("the default quota (2 requests/s, burst 5)", () => {
  const fixture = useEmulator({ quota: true });

  it("answers ThrottlingException (429) to a burst of concurrent calls past the bucket", async () => {
    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        connectError(
          fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId })),
        ).catch(() => "ok"),
      ),
    );

    // Assess
    const throttled = outcomes.filter((outcome) => outcome !== "ok");
    // 5 from the burst, plus at most a refill or two however slow the machine.
    expect(12 - throttled.length).toBeGreaterThanOrEqual(5);
    expect(throttled.length).toBeGreaterThanOrEqual(5);
    for (const error of throttled) {
      expect(
        typeof error === "object" && { name: error.name, status: error.$metadata.httpStatusCode },
      ).toEqual({
        name: "ThrottlingException",
        status: 429,
      });
    }
    expect(fixture.emulator.stats().quotaThrottled).toBe(throttled.length);
  });

  it("changes nothing when it throttles a write", async () => {
    // Prepare
    fixture.emulator.setQuota({ rps: 0.001, burst: 1 });
    await fixture.client.send(new CreateUserCommand(samlUser(fixture, "first.user")));

    // Act
    const error = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "second.user"))),
    );

    // Assess
    expect(error.name).toBe("ThrottlingException");
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toEqual([
      "admin",
      "first.user",
    ]);
  });

  it("does not count admin requests against the quota", async () => {
    // Prepare
    fixture.emulator.setQuota({ rps: 0.001, burst: 1 });

    // Act
    const statuses = await Promise.all(
      Array.from(
        { length: 10 },
        async () => (await fetch(`${fixture.emulator.url}/_emulator/stats`)).status,
      ),
    );
    const call = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId }),
    );

    // Assess
    expect(statuses).toEqual(Array(10).fill(200));
    expect(call.UserSummaryList).toHaveLength(1);
  });

  it("can be turned off at run time", async () => {
    // Prepare
    fixture.emulator.setQuota(false);

    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId })),
      ),
    );

    // Assess
    expect(results).toHaveLength(20);
    expect(fixture.emulator.quota()).toBe(false);
    expect(fixture.emulator.stats().quotaThrottled).toBe(0);
  });
});

describe("a quota of 50 requests/s, burst 5", () => {
  const fixture = useEmulator({ rps: 50, burst: 5, quota: true });

  it("never throttles calls paced well under the rate", async () => {
    // Act
    for (let call = 0; call < 15; call += 1) {
      await fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));
      await delay(40); // 25 calls/s at most: half the rate
    }

    // Assess
    expect(fixture.emulator.stats()).toMatchObject({ calls: 15, quotaThrottled: 0 });
  });
});
