import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectClient, UpdateUserRoutingProfileCommand } from "@aws-sdk/client-connect";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { approveRun } from "../../../src/app/reconcile/approve";
import { type ReconcileDeps, reconcile } from "../../../src/app/reconcile/reconcile";
import type { HrRecord } from "../../../src/domain/hr";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { type LocalStack, SAMPLE_RULES_FILE, startLocalStack } from "../../../src/local/stack";
import { documentClient, dynamoDbClient } from "../../../src/runtime/aws-clients";
import { loadReconcileConfig } from "../../../src/runtime/config";
import { reconcileDeps } from "../../../src/runtime/reconcile";
import { EmployeeRepository } from "../../../src/store/employees";
import { employeeRecord, hrEvent } from "../../support/hr-fixtures";

interface World {
  stack: LocalStack;
  deps: ReconcileDeps;
  employees: EmployeeRepository;
  connect: ConnectClient;
  hire(id: string, overrides?: Partial<HrRecord>): Promise<string>;
  /** HR changed and the service never heard: the stored roster says so, Connect does not. */
  hrSays(id: string, overrides: Partial<HrRecord>): Promise<void>;
  userOf(username: string): Record<string, unknown> | undefined;
  drain(): Promise<void>;
}

let world: World | undefined;

afterEach(async () => {
  await world?.stack.close();
  world = undefined;
});

async function startWorld(
  guard = "maxDeletes: 25\n  maxDeletePercent: 50",
  protectedProfile = "Admin",
): Promise<World> {
  const rules = (await readFile(SAMPLE_RULES_FILE, "utf8"))
    .replace(/maxDeletes: 25\n\s+maxDeletePercent: 10/, guard)
    .replace("securityProfiles: [Admin]", `securityProfiles: [${protectedProfile}]`);
  const rulesFile = join(await mkdtemp(join(tmpdir(), "rules-")), "rules.yaml");
  await writeFile(rulesFile, rules);
  // No BambooHR or HiBob employees: the roster is what each test stores.
  const stack = await startLocalStack({
    rulesFile,
    quota: { rps: 200, burst: 200 },
    bambooHrEmployees: [],
    hiBobEmployees: [],
  });
  const env = stack.env;
  const documents = documentClient(dynamoDbClient(env));
  const connect = new ConnectClient({
    endpoint: stack.emulator.url,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const config = loadReconcileConfig({
    ...env,
    CONNECT_RPS: "200",
    CONNECT_BURST: "200",
    CONNECT_MAX_ATTEMPTS: "3",
  });
  const deps = reconcileDeps(config, { connect, documents, sqs }, env);
  const employees = new EmployeeRepository(documents, env.EMPLOYEES_TABLE ?? "");
  const userOf = (username: string) =>
    stack.emulator.dumpState().users.find((u) => u.Username === username);
  return {
    stack,
    deps,
    employees,
    connect,
    userOf,
    drain: () => stack.runner.drained(),
    async hire(id, overrides = {}) {
      await deps.publisher.publish([hrEvent({ record: employeeRecord(id, overrides) })]);
      await stack.runner.drained();
      return String(userOf(`${id.toLowerCase()}@example.com`)?.Id);
    },
    async hrSays(id, overrides) {
      const state = await employees.get({ source: "canonical", employeeId: id });
      const base = state ?? {
        source: "canonical",
        employeeId: id,
        version: "2026-11-28T09:00:00.000Z",
        lastEventId: "import-1",
        desired: { kind: "absent" as const, reason: "not-in-hr" as const },
        updatedAt: "2026-11-28T09:00:00.000Z",
      };
      await employees.save({ ...base, record: employeeRecord(id, overrides) });
    },
  };
}

describe("reconciliation", () => {
  it("repairs a user edited behind the service's back", async () => {
    world = await startWorld();
    const userId = await world.hire("R1");
    const basic = world.stack.emulator
      .dumpState()
      .routingProfiles.find((p) => p.name === "Basic Routing Profile")?.id;
    await world.connect.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: world.stack.emulator.instanceId,
        UserId: userId,
        RoutingProfileId: basic,
      }),
    );

    const run = await reconcile(world.deps);
    await world.drain();

    expect(run.counts.drifted).toBe(1);
    expect(run.changes).toEqual([
      expect.objectContaining({
        class: "drifted",
        employeeId: "R1",
        facets: ["routingProfile"],
        repair: "update",
      }),
    ]);
    const ukSupport = world.stack.emulator
      .dumpState()
      .routingProfiles.find((p) => p.name === "UK Support")?.id;
    expect(world.userOf("r1@example.com")?.RoutingProfileId).toBe(ukSupport);
    expect((await reconcile(world.deps)).counts.drifted).toBe(0);
  });

  it("reports a user whose name HR changed as renamed, every night, and leaves the user alone", async () => {
    world = await startWorld();
    const userId = await world.hire("R9");
    await world.hrSays("R9", { email: "r9.new@example.com" });

    const run = await reconcile(world.deps);
    await world.drain();
    const again = await reconcile(world.deps, { dryRun: true });

    expect(run.counts).toMatchObject({ renamed: 1, "in-sync": 0 });
    expect(run.changes).toEqual([
      expect.objectContaining({
        class: "renamed",
        employeeId: "R9",
        userId,
        problem: expect.stringContaining("cannot rename"),
      }),
    ]);
    expect(run.queued).toBe(0);
    expect(world.userOf("r9@example.com")?.Id).toBe(userId);
    expect(again.counts.renamed).toBe(1);
  });

  it("fails naming a protected profile the instance lacks, and repairs nothing", async () => {
    world = await startWorld(undefined, "Admn");
    await world.hire("R11");
    await world.hrSays("R11", { status: "terminated" });

    const run = reconcile(world.deps);

    await expect(run).rejects.toThrow('security profile "Admn" does not exist');
    await world.drain();
    expect(world.userOf("r11@example.com")).toBeDefined();
  });

  it("creates a missed joiner and deletes a missed leaver", async () => {
    world = await startWorld();
    await world.hire("R2");
    await world.hire("R3");
    await world.hrSays("R2", { status: "terminated" });
    await world.hrSays("R4", {});

    const run = await reconcile(world.deps);
    await world.drain();

    expect(run.counts).toMatchObject({ missing: 1, orphaned: 1, "in-sync": 1 });
    expect(world.userOf("r2@example.com")).toBeUndefined();
    expect(world.userOf("r4@example.com")).toBeDefined();
    expect(world.userOf("r3@example.com")).toBeDefined();
  });

  it("reports unmanaged and protected users and never touches them", async () => {
    world = await startWorld();
    const before = world.stack.emulator
      .dumpState()
      .users.filter((u) => ["admin", "legacy.agent"].includes(String(u.Username)));

    const run = await reconcile(world.deps);
    await world.drain();

    expect(run.counts).toMatchObject({ unmanaged: 1, protected: 1 });
    expect(run.queued).toBe(0);
    const after = world.stack.emulator
      .dumpState()
      .users.filter((u) => ["admin", "legacy.agent"].includes(String(u.Username)));
    expect(after).toEqual(before);
  });

  it("holds every deletion of a run over the threshold until it is approved", async () => {
    world = await startWorld("maxDeletes: 1\n  maxDeletePercent: 100");
    for (const id of ["H1", "H2", "H3"]) await world.hire(id);
    await world.hrSays("H1", { status: "terminated" });
    await world.hrSays("H2", { status: "terminated" });

    const run = await reconcile(world.deps);
    await world.drain();

    expect(run.status).toBe("held");
    expect(run.held.map((e) => e.employeeId).sort()).toEqual(["H1", "H2"]);
    expect(world.userOf("h1@example.com")).toBeDefined();
    expect(world.userOf("h2@example.com")).toBeDefined();

    const approval = await approveRun(run.runId, "ops@example.com", world.deps);
    await world.drain();

    expect(approval).toMatchObject({ kind: "approved", queued: 2 });
    expect(world.userOf("h1@example.com")).toBeUndefined();
    expect(world.userOf("h2@example.com")).toBeUndefined();
    expect(world.userOf("h3@example.com")).toBeDefined();
    expect(await approveRun(run.runId, "ops@example.com", world.deps)).toEqual({
      kind: "not-held",
      status: "approved",
    });
  });

  it("changes nothing on a dry run and reports the same", async () => {
    world = await startWorld();
    await world.hire("D1");
    await world.hrSays("D1", { status: "terminated" });
    await world.hrSays("D2", {});
    const before = world.stack.emulator.dumpState().users;

    const dry = await reconcile(world.deps, { dryRun: true });
    await world.drain();

    expect(world.stack.emulator.dumpState().users).toEqual(before);
    expect(dry).toMatchObject({ status: "dry-run", queued: 0 });
    expect(await world.deps.runs.get(dry.runId)).toBeUndefined();
    const real = await reconcile(world.deps);
    expect(real.counts).toEqual(dry.counts);
    expect(real.changes).toEqual(dry.changes);
  });

  it("holds an existing agent whose user name an active employee's record makes, and adopts it only once approved", async () => {
    world = await startWorld();
    const legacy = world.userOf("legacy.agent");
    await world.hrSays("A1", { username: "legacy.agent", email: "lee.gacy@example.com" });

    const run = await reconcile(world.deps);
    await world.drain();
    const untouched = world.userOf("legacy.agent");
    const approved = await approveRun(run.runId, "ops@example.com", world.deps);
    await world.drain();

    expect(run.status).toBe("held");
    expect(run.held).toEqual([
      expect.objectContaining({
        class: "adoptable",
        employeeId: "A1",
        userId: legacy?.Id,
        username: "legacy.agent",
        securityProfileIds: legacy?.SecurityProfileIds,
      }),
    ]);
    expect(untouched).toEqual(legacy);
    expect(approved).toMatchObject({ kind: "approved", queued: 1 });
    const adopted = world.userOf("legacy.agent");
    expect(adopted?.Tags).toMatchObject({
      "connect-hr-sync:managed": "true",
      "connect-hr-sync:employee-id": "A1",
    });
    expect(
      world.stack.emulator.dumpState().users.filter((u) => u.Username === "legacy.agent"),
    ).toHaveLength(1);
    expect(
      (await world.employees.get({ source: "canonical", employeeId: "A1" }))?.connectUser?.userId,
    ).toBe(legacy?.Id);
    const again = await reconcile(world.deps);
    expect(again.counts).toMatchObject({ unmanaged: 0, adoptable: 0, drifted: 0 });
  });
});

describe("reconciliation read calls", () => {
  it("reads a few thousand users in ceil(N/1000) + ceil(N/500) pages plus the name look-ups", async () => {
    const seed = JSON.parse(
      await readFile(new URL("../../../events/connect-seed.json", import.meta.url), "utf8"),
    );
    const users = Array.from({ length: 2600 }, (_, i) => ({
      username: `agent${String(i).padStart(4, "0")}`,
      firstName: "Agent",
      lastName: String(i),
      routingProfile: "Basic Routing Profile",
      securityProfiles: ["Agent"],
    }));
    const seedFile = join(await mkdtemp(join(tmpdir(), "seed-")), "seed.json");
    await writeFile(
      seedFile,
      JSON.stringify({ ...seed, userLimit: 5000, users: [...seed.users, ...users] }),
    );
    world = await startWorld();
    await world.stack.emulator.reset(seedFile);
    const total = world.stack.emulator.dumpState().users.length;
    for (const id of ["B1", "B2", "B3"]) await world.hrSays(id, {});
    world.stack.emulator.resetStats();

    await reconcile(world.deps, { dryRun: true });

    const byOperation = world.stack.emulator.stats().byOperation;
    const reads = (op: keyof typeof byOperation) => byOperation[op]?.calls ?? 0;
    expect(total).toBe(2602);
    expect(reads("ListUsers")).toBe(Math.ceil(total / 1000));
    expect(reads("SearchUsers")).toBe(Math.ceil(total / 500));
    expect(reads("DescribeUser")).toBe(0);
    // The quick connects of type USER (none in this instance): one page.
    expect(reads("ListQuickConnects")).toBe(1);
    expect(reads("DescribeQuickConnect")).toBe(0);
    const lookups = [
      "ListRoutingProfiles",
      "ListSecurityProfiles",
      "ListUserHierarchyGroups",
      "DescribeUserHierarchyStructure",
    ] as const;
    expect(lookups.map(reads)).toEqual([1, 1, 1, 1]);
    // One hierarchy path in play (EMEA/London/Support): at most one describe per candidate group of that name.
    expect(reads("DescribeUserHierarchyGroup")).toBeLessThanOrEqual(2);
  });
});
