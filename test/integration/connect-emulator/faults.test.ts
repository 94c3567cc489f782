import { CreateUserCommand, ListUsersCommand } from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import {
  FaultSpecError,
  parseFaultSpec,
  startConnectEmulator,
} from "../../../src/local/connect-emulator/index";
import {
  connectClient,
  connectError,
  fixtureFor,
  SAML_SEED,
  samlUser,
  useEmulator,
} from "./support";

describe("parseFaultSpec", () => {
  it("reads every fault of the CLI spec", () => {
    // Act
    const settings = parseFaultSpec(
      "seed=42,throttle=0.05,internal=0.02,latency=5-40,applied-then-failed=0.05,drop=0.5",
    );

    // Assess
    expect(settings).toEqual({
      seed: 42,
      throttle: 0.05,
      internal: 0.02,
      latency: { min: 5, max: 40 },
      appliedThenFailed: 0.05,
      drop: 0.5,
    });
  });

  it("names the problem in an unknown key, a bad number, a rate above 1 or a reversed latency", () => {
    // Act
    const problems = ["slow=1", "throttle=lots", "internal=1.5", "latency=40-5", "drop"].map(
      (spec) => {
        try {
          parseFaultSpec(spec);
          return "accepted";
        } catch (error) {
          return error instanceof FaultSpecError ? error.message : "other error";
        }
      },
    );

    // Assess
    expect(problems[0]).toMatch(/unknown fault "slow"/);
    expect(problems[1]).toMatch(/throttle.*number/);
    expect(problems[2]).toMatch(/internal/);
    expect(problems[3]).toMatch(/latency min must not exceed max/);
    expect(problems[4]).toMatch(/needs a value/);
  });
});

describe("faults before the change", () => {
  const fixture = useEmulator();

  it("answers ThrottlingException without creating the user", async () => {
    // Prepare
    fixture.emulator.setFaults({ seed: 1, throttle: 1 });

    // Act
    const error = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "not.created"))),
    );

    // Assess
    expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({
      name: "ThrottlingException",
      status: 429,
    });
    expect(fixture.emulator.dumpState().users).toHaveLength(1);
    expect(fixture.emulator.stats().faults.throttle).toBe(1);
    expect(fixture.emulator.stats().quotaThrottled).toBe(0);
  });

  it("answers InternalServiceException (500, a server fault) without creating the user", async () => {
    // Prepare
    fixture.emulator.setFaults({ seed: 1, internal: 1 });

    // Act
    const error = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "not.created"))),
    );

    // Assess
    expect({
      name: error.name,
      status: error.$metadata.httpStatusCode,
      fault: error.$fault,
    }).toEqual({
      name: "InternalServiceException",
      status: 500,
      fault: "server",
    });
    expect(fixture.emulator.dumpState().users).toHaveLength(1);
  });

  it("adds the configured latency to each answer and counts it", async () => {
    // Prepare
    fixture.emulator.setFaults({ latency: 30 });
    const started = performance.now();

    // Act
    await fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));
    await fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId }));

    // Assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(fixture.emulator.stats().faults.addedLatencyMs).toBe(60);
  });
});

describe("applied then failed", () => {
  const fixture = useEmulator();

  it("creates the user although the caller gets InternalServiceException", async () => {
    // Prepare
    fixture.emulator.setFaults({ appliedThenFailed: 1 });

    // Act
    const error = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "lost.answer"))),
    );

    // Assess
    expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({
      name: "InternalServiceException",
      status: 500,
    });
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toContain(
      "lost.answer",
    );
    expect(fixture.emulator.calls().at(-1)).toMatchObject({
      operation: "CreateUser",
      status: 500,
      fault: "applied-then-failed",
    });
  });

  it("creates the user although the connection is dropped before any answer", async () => {
    // Prepare
    fixture.emulator.setFaults({ appliedThenFailed: 1, drop: 1 });

    // Act
    const error = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "dropped.answer"))),
    );

    // Assess
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toContain(
      "dropped.answer",
    );
    expect(fixture.emulator.stats().faults.dropped).toBe(1);
    fixture.emulator.setFaults(false);
    const after = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId }),
    );
    expect(after.UserSummaryList).toHaveLength(2);
  });

  it("leaves reads alone", async () => {
    // Prepare
    fixture.emulator.setFaults({ appliedThenFailed: 1, drop: 1 });

    // Act
    const result = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId }),
    );

    // Assess
    expect(result.UserSummaryList).toHaveLength(1);
  });

  it("is turned on through the admin endpoint too", async () => {
    // Prepare
    const response = await fetch(`${fixture.emulator.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ spec: "seed=3,applied-then-failed=1" }),
    });

    // Act
    const error = await connectError(
      fixture.client.send(new CreateUserCommand(samlUser(fixture, "admin.fault"))),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ seed: 3, appliedThenFailed: 1 });
    expect(error.name).toBe("InternalServiceException");
    expect(fixture.emulator.dumpState().users.map((user) => user.Username)).toContain(
      "admin.fault",
    );
  });
});

describe("determinism", () => {
  /** The outcome of 30 calls to a fresh emulator with these faults. */
  async function outcomes(faults: string): Promise<string[]> {
    const emulator = await startConnectEmulator({ seed: SAML_SEED, quota: false, faults });
    const fixture = fixtureFor(emulator);
    const results: string[] = [];
    for (let call = 0; call < 30; call += 1) {
      const result = await fixture.client
        .send(new CreateUserCommand(samlUser(fixture, `user${call}`)))
        .then(
          (created) => `created ${created.UserId}`,
          (error: Error) => error.name,
        );
      results.push(result);
    }
    fixture.client.destroy();
    await emulator.close();
    return results;
  }

  it("replays the same faults and the same ids for the same seeds", async () => {
    // Act
    const first = await outcomes("seed=42,throttle=0.2,internal=0.2");
    const second = await outcomes("seed=42,throttle=0.2,internal=0.2");
    const otherSeed = await outcomes("seed=43,throttle=0.2,internal=0.2");

    // Assess
    expect(first).toEqual(second);
    expect(first).toContain("ThrottlingException");
    expect(first).toContain("InternalServiceException");
    expect(first.filter((outcome) => outcome.startsWith("created")).length).toBeGreaterThan(5);
    expect(otherSeed).not.toEqual(first);
  });

  it("restarts the sequence when the same faults are set again", async () => {
    // Prepare
    const emulator = await startConnectEmulator({ seed: SAML_SEED, quota: false });
    const client = connectClient(emulator.url);
    const run = async () => {
      emulator.setFaults("seed=9,throttle=0.5");
      const names: string[] = [];
      for (let call = 0; call < 12; call += 1) {
        names.push(
          await client.send(new ListUsersCommand({ InstanceId: emulator.instanceId })).then(
            () => "ok",
            (error: Error) => error.name,
          ),
        );
      }
      return names;
    };

    // Act
    const first = await run();
    const second = await run();

    // Assess
    expect(second).toEqual(first);
    expect(first).toContain("ThrottlingException");
    expect(first).toContain("ok");
    client.destroy();
    await emulator.close();
  });
});
