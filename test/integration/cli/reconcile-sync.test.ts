import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedEnv } from "../../../src/cli/commands/local";
import { approveCommand, reconcileCommand } from "../../../src/cli/commands/reconcile";
import { syncCommand } from "../../../src/cli/commands/sync";
import type { DriftEntry } from "../../../src/domain/drift";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { type LocalStack, SAMPLE_RULES_FILE, startLocalStack } from "../../../src/local/stack";
import { EventPublisher } from "../../../src/queue/publisher";
import { runCli, runCommand } from "../../support/cli";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";

let stack: LocalStack;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-"));
  // One deletion is already over this guard, so that a run holds it.
  const rules = (await readFile(SAMPLE_RULES_FILE, "utf8")).replace(
    "maxDeletes: 25",
    "maxDeletes: 0",
  );
  await writeFile(join(dir, "rules.yaml"), rules);
  stack = await startLocalStack({
    rulesFile: join(dir, "rules.yaml"),
    quota: { rps: 100, burst: 100 },
    bambooHrEmployees: [],
    hiBobEmployees: [],
  });
  env = sharedEnv(stack);
  const sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const publisher = new EventPublisher(sqs, stack.env.QUEUE_URL ?? "");
  await publisher.publish([
    hrEvent({ record: employeeRecord("C1") }),
    hrEvent({ record: employeeRecord("C2") }),
    hrEvent({
      type: "leaver",
      occurredAt: "2026-11-28T12:00:00Z",
      record: employeeRecord("C1", { status: "terminated" }),
    }),
  ]);
  await stack.runner.drained();
  sqs.destroy();
});

afterAll(async () => {
  await stack?.close();
});

describe("connect-hr-sync reconcile and approve", () => {
  it("reports a dry run as JSON and changes nothing", async () => {
    const before = stack.emulator.dumpState().users;

    const { code, out } = await runCli(["reconcile", "--dry-run", "--json"], env);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      status: "dry-run",
      queued: 0,
      counts: { "in-sync": 2, protected: 1, unmanaged: 1 },
    });
    expect(stack.emulator.dumpState().users).toEqual(before);
  });

  it("holds a deletion over the guard, exits 1 and tells how to approve; approve releases it once", async () => {
    const id = "C9";
    const sqs = new SQSClient({
      endpoint: stack.aws.sqsEndpoint,
      region: stack.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    await new EventPublisher(sqs, stack.env.QUEUE_URL ?? "").publish([
      hrEvent({ record: employeeRecord(id) }),
    ]);
    await stack.runner.drained();
    sqs.destroy();
    const employees = (await import("../../../src/store/employees")).EmployeeRepository;
    const { documentClient, dynamoDbClient } = await import("../../../src/runtime/aws-clients");
    const repo = new employees(
      documentClient(dynamoDbClient(stack.env)),
      stack.env.EMPLOYEES_TABLE ?? "",
    );
    const state = await repo.get({ source: "canonical", employeeId: id });
    await repo.save({
      ...(state as NonNullable<typeof state>),
      record: employeeRecord(id, { status: "terminated" }),
    });

    const held = await runCli(["reconcile"], env);

    expect(held.code).toBe(1);
    const runId = held.out.match(/approve (run-\S+)/)?.[1] ?? "";
    expect(held.out).toMatch(
      /1 deletion\(s\) held: 1 deletions exceed the limit of 0\. Review them/,
    );
    const approved = await runCli(["approve", runId, "--by", "test"], env);
    expect(approved.code).toBe(0);
    expect(approved.out).toMatch(/approved: 1 deletion\(s\) queued/);
    await stack.runner.drained();
    expect(stack.emulator.dumpState().users.map((u) => u.Username)).not.toContain("c9@example.com");
    const again = await runCommand(approveCommand(), [runId], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is approved, not held: there is nothing to approve/);
  });

  it("shows user names and each facet from → to, explains renamed once under the table, and exits 1 for it", async () => {
    const sqs = new SQSClient({
      endpoint: stack.aws.sqsEndpoint,
      region: stack.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    await new EventPublisher(sqs, stack.env.QUEUE_URL ?? "").publish([
      hrEvent({ record: employeeRecord("C6") }),
      hrEvent({ record: employeeRecord("C7") }),
    ]);
    await stack.runner.drained();
    sqs.destroy();
    // Someone moves C6 by hand in the console; HR gives C7 a new e-mail, so a new user name.
    const state = stack.emulator.dumpState();
    const c6 = state.users.find((u) => u.Username === "c6@example.com");
    const ukSales = state.routingProfiles.find((p) => p.name === "UK Sales");
    const { ConnectClient, UpdateUserRoutingProfileCommand } = await import(
      "@aws-sdk/client-connect"
    );
    const connect = new ConnectClient({
      endpoint: stack.emulator.url,
      region: stack.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    await connect.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: stack.emulator.instanceId,
        UserId: String(c6?.Id),
        RoutingProfileId: ukSales?.id,
      }),
    );
    connect.destroy();
    const { EmployeeRepository } = await import("../../../src/store/employees");
    const { documentClient, dynamoDbClient } = await import("../../../src/runtime/aws-clients");
    const repo = new EmployeeRepository(
      documentClient(dynamoDbClient(stack.env)),
      stack.env.EMPLOYEES_TABLE ?? "",
    );
    const c7 = await repo.get({ source: "canonical", employeeId: "C7" });
    await repo.save({
      ...(c7 as NonNullable<typeof c7>),
      record: employeeRecord("C7", { email: "c7.new@example.com" }),
    });

    const { code, out } = await runCommand(reconcileCommand(), ["--dry-run"], {
      ...env,
      COLUMNS: "120",
    });
    const json = await runCommand(reconcileCommand(), ["--dry-run", "--json"], env);

    expect(code).toBe(1);
    expect(out).toMatch(
      /C6\s+│ drifted\s+│ update\s+│ Connect\s+│ c6@example\.com\s+│ routingProfile: UK Sales → UK\s/,
    );
    expect(out).toMatch(
      /C7\s+│ renamed\s+│\s+│\s+│ c7@example\.com\s+│ user name c7@example\.com →/,
    );
    expect(out.match(/Connect cannot rename a user/g)).toHaveLength(1);
    expect(out).toMatch(/^note: renamed: the HR record now makes another user name/m);
    expect(out).toMatch(/finding\(s\) need a person/);
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(120);
    // --json keeps the ids.
    const c6Entry = json
      .json<{ changes: DriftEntry[] }>()
      .changes.find((e) => e.employeeId === "C6");
    expect(c6Entry).toMatchObject({
      username: "c6@example.com",
      changes: [{ facet: "routingProfile", from: ukSales?.id, to: expect.any(String) }],
    });
  });

  it("exits 2 for rules naming a protected profile the instance lacks (configuration)", async () => {
    const rules = (await readFile(join(dir, "rules.yaml"), "utf8")).replace(
      "securityProfiles: [Admin]",
      "securityProfiles: [Admin, Break Glass]",
    );
    await writeFile(join(dir, "missing-protected.yaml"), rules);

    const { code, err } = await runCommand(
      reconcileCommand(),
      ["--dry-run", "--rules", join(dir, "missing-protected.yaml")],
      env,
    );

    expect(code).toBe(2);
    expect(err).toMatch(/security profile "Break Glass" does not exist/);
  });

  it("names the field and line of a bad rules file (exit 2)", async () => {
    await writeFile(
      join(dir, "bad.yaml"),
      "version: 1\nidentity: { mode: SAML }\ndefaults: { routingProfile: 7 }\n",
    );

    const { code, err } = await runCommand(
      reconcileCommand(),
      ["--rules", join(dir, "bad.yaml")],
      env,
    );

    expect(code).toBe(2);
    expect(err).toMatch(/defaults\.routingProfile \(line 3, column \d+\): .*expected string/);
  });

  it("says which endpoint it cannot reach (exit 3)", async () => {
    const { code, err } = await runCommand(reconcileCommand(), ["--dry-run"], {
      ...env,
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
    });

    expect(code).toBe(3);
    expect(err).toMatch(/cannot reach .*ECONNREFUSED/);
  });
});

describe("connect-hr-sync sync", () => {
  it("provisions one employee and shows each step", async () => {
    await stack.runner.drained();
    const { code, out } = await runCommand(syncCommand(), ["C2", "--json"], env);

    expect(code).toBe(0);
    const { steps, outcome } = JSON.parse(out);
    expect(steps.map((s: { step: string }) => s.step)).toEqual([
      "record",
      "scope",
      "match",
      "current",
      "plan",
    ]);
    expect(outcome).toMatchObject({ result: "unchanged", employeeId: "C2" });
  });

  it("stops at the plan on a dry run", async () => {
    const { code, out } = await runCommand(syncCommand(), ["C2", "--dry-run"], env);

    expect(code).toBe(0);
    expect(out).toMatch(/current: Connect user c2@example\.com \([\w-]+\)/);
    expect(out).toMatch(/plan: nothing to change/);
    expect(out).toMatch(/C2: dry-run/);
  });

  it("exits 1 for an id that is nowhere (no stored state, not in HR), storing nothing", async () => {
    const { code, err } = await runCommand(syncCommand(), ["E9999"], env);

    expect(code).toBe(1);
    expect(err).toMatch(/employee E9999 is nowhere: .*Is the id, --source or --stage right\?/);
    const { documentClient, dynamoDbClient } = await import("../../../src/runtime/aws-clients");
    const { EmployeeRepository } = await import("../../../src/store/employees");
    const repo = new EmployeeRepository(
      documentClient(dynamoDbClient(stack.env)),
      stack.env.EMPLOYEES_TABLE ?? "",
    );
    expect(await repo.get({ source: "canonical", employeeId: "E9999" })).toBeUndefined();
  });

  it("plans by name, each facet from → to (C6 was moved by hand in the console above)", async () => {
    const { code, out } = await runCommand(syncCommand(), ["C6", "--dry-run"], env);

    expect(code).toBe(0);
    expect(out).toMatch(/current: Connect user c6@example\.com/);
    expect(out).toContain("plan: UpdateUserRoutingProfile (routingProfile: UK Sales → UK Support)");
  });

  it("explains a record that cannot become a user, and stores nothing on a dry run", async () => {
    const { documentClient, dynamoDbClient } = await import("../../../src/runtime/aws-clients");
    const { EmployeeRepository } = await import("../../../src/store/employees");
    const repo = new EmployeeRepository(
      documentClient(dynamoDbClient(stack.env)),
      stack.env.EMPLOYEES_TABLE ?? "",
    );
    await repo.save({
      source: "canonical",
      employeeId: "BAD1",
      version: "2026-11-28T09:00:00.000Z",
      lastEventId: "import-bad",
      record: employeeRecord("BAD1", { username: "has spaces" }),
      desired: { kind: "absent", reason: "not-in-hr" },
      updatedAt: "2026-11-28T09:00:00.000Z",
    });

    const { code, err } = await runCommand(syncCommand(), ["BAD1", "--dry-run"], env);

    expect(code).toBe(1);
    expect(err).toMatch(
      /InvalidRecordError: .*record\.username: the user name given in the HR record may contain only letters/,
    );
    expect((await repo.get({ source: "canonical", employeeId: "BAD1" }))?.updatedAt).toBe(
      "2026-11-28T09:00:00.000Z",
    );
  });
});

// Last: its run repairs what the tests above leave drifted.
describe("connect-hr-sync reconcile holding an adoption", () => {
  it("says an adoption is held as an adoption, without a guard reason the guard did not give", async () => {
    const { EmployeeRepository } = await import("../../../src/store/employees");
    const { documentClient, dynamoDbClient } = await import("../../../src/runtime/aws-clients");
    const repo = new EmployeeRepository(
      documentClient(dynamoDbClient(stack.env)),
      stack.env.EMPLOYEES_TABLE ?? "",
    );
    // HR now names the seed's legacy.agent, a user the service does not manage: an adoption.
    await repo.save({
      source: "canonical",
      employeeId: "A1",
      version: "2026-11-28T09:00:00.000Z",
      lastEventId: "import-a1",
      record: employeeRecord("A1", { username: "legacy.agent" }),
      desired: { kind: "absent", reason: "not-in-hr" },
      updatedAt: "2026-11-28T09:00:00.000Z",
    });

    const { code, out } = await runCli(["reconcile"], env);

    expect(code).toBe(1);
    expect(out).toMatch(/1 adoption\(s\) held: the service takes over a Connect user/);
    expect(out).toMatch(/Review them, then: connect-hr-sync approve run-\S+/);
    expect(out).not.toMatch(/deletion\(s\) held/);
    expect(out).not.toContain("undefined");
    const runId = out.match(/approve (run-\S+)/)?.[1] ?? "";
    const approved = await runCli(["approve", runId], env);
    expect(approved.out).toMatch(/approved: 1 adoption\(s\) queued for the worker/);
  });
});
