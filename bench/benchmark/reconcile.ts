import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { EmployeeState } from "../../src/app/ports/employees";
import { reconcile } from "../../src/app/reconcile/reconcile";
import { decideAgent } from "../../src/domain/agent";
import { CANONICAL_SOURCE, employeeKey } from "../../src/domain/employee-key";
import type { HrRecord } from "../../src/domain/hr";
import { managedTags } from "../../src/domain/managed";
import {
  LOCAL_CREDENTIALS,
  startAwsStandIns,
  useLocalCredentials,
} from "../../src/local/aws-stand-ins";
import { Random } from "../../src/local/chaos/random";
import { type EmulatorSeedInput, startConnectEmulator } from "../../src/local/connect-emulator";
import { SAMPLE_RULES_FILE, SAMPLE_SEED_FILE, serviceEnv } from "../../src/local/stack";
import { connectClient, documentClient, dynamoDbClient } from "../../src/runtime/aws-clients";
import { loadReconcileConfig } from "../../src/runtime/config";
import { reconcileDeps } from "../../src/runtime/reconcile";
import type { Quota } from "./drain";

export interface ReconcileResult {
  /** Users in the instance (the employees' plus the seed's own). */
  users: number;
  employees: number;
  readCalls: number;
  /** ceil(N/1000) ListUsers pages + ceil(N/500) SearchUsers pages + the name look-ups. */
  readCallBound: number;
  byOperation: Record<string, number>;
  wallMs: number;
  drifted: number;
  repairsQueued: number;
  status: string;
}

const DEPARTMENTS = ["Support", "Sales"];
const LOCATIONS = ["London", "Austin", "Remote US", "Berlin"];

/**
 * One reconciliation of a large instance: `users` agents the service
 * manages, each an employee with a stored record, one in a hundred changed
 * behind the service's back. Counts the Connect reads against the bound.
 */
export async function reconcileBenchmark(options: {
  users: number;
  quota: Quota;
  seed: number;
}): Promise<ReconcileResult> {
  const random = new Random(options.seed);
  const today = new Date().toISOString().slice(0, 10);
  const env0 = { SYNC_RULES_FILE: SAMPLE_RULES_FILE };
  const sample = JSON.parse(readFileSync(SAMPLE_SEED_FILE, "utf8")) as EmulatorSeedInput & {
    users: unknown[];
  };
  const rules = (await import("../../src/runtime/config")).loadRulesFile(env0.SYNC_RULES_FILE);

  const records: HrRecord[] = [];
  const users: NonNullable<EmulatorSeedInput["users"]> = [];
  const states: EmployeeState[] = [];
  let drifted = 0;
  const version = new Date(Date.now() - 86_400_000).toISOString();
  for (let i = 1; i <= options.users; i++) {
    const employeeId = `R${String(i).padStart(6, "0")}`;
    const record: HrRecord = {
      employeeId,
      status: "active",
      firstName: "Agent",
      lastName: `Number ${i}`,
      email: `${employeeId.toLowerCase()}@example.com`,
      username: null,
      department: random.pick(DEPARTMENTS),
      location: random.pick(LOCATIONS),
      jobCode: random.chance(0.2) ? "TL1" : "AGT1",
      managerId: null,
      startDate: "2024-01-01",
      endDate: null,
      phone: null,
      attributes: {},
    };
    const decision = decideAgent(record, rules, today);
    if (decision.kind !== "present") throw new Error(`${employeeId} would have no agent`);
    const agent = decision.agent;
    const drift = random.chance(0.01);
    if (drift) drifted += 1;
    const id = randomUUID();
    users.push({
      id,
      username: agent.username,
      firstName: agent.identity.firstName,
      lastName: agent.identity.lastName,
      routingProfile: drift ? "US Support" : agent.routingProfile,
      securityProfiles: agent.securityProfiles,
      ...(agent.hierarchy ? { hierarchyGroup: agent.hierarchy } : {}),
      phone: {
        type: agent.phone.type,
        autoAccept: agent.phone.autoAccept,
        afterContactWorkTimeLimit: agent.phone.afterContactWorkSeconds,
      },
      tags: managedTags({ source: CANONICAL_SOURCE, employeeId }),
    });
    records.push(record);
    states.push({
      source: CANONICAL_SOURCE,
      employeeId,
      version,
      lastEventId: `import-${employeeId}`,
      record,
      desired: { kind: "present", agent },
      updatedAt: version,
      // The ids are filled in once the emulator has resolved the names.
      connectUser: undefined,
    });
  }

  const aws = await startAwsStandIns();
  useLocalCredentials(aws.region);
  const emulator = await startConnectEmulator({
    seed: {
      ...sample,
      userLimit: options.users + 1_000,
      users: [...sample.users, ...users],
    } as EmulatorSeedInput,
    rps: options.quota.rps,
    burst: options.quota.burst,
  });
  const dynamo = dynamoDbClient(aws.env);
  const documents = documentClient(dynamo);
  const sqs = new SQSClient({
    endpoint: aws.sqsEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const connect = connectClient({ ...aws.env, AWS_ENDPOINT_URL_CONNECT: emulator.url });
  try {
    const dump = emulator.dumpState();
    const byUsername = new Map(dump.users.map((u) => [String(u.Username), u]));
    const table = aws.tables.EmployeesTable ?? "";
    for (let start = 0; start < states.length; start += 25) {
      const items = states.slice(start, start + 25).map((state) => {
        const user = byUsername.get(
          state.desired.kind === "present" ? state.desired.agent.username : "",
        );
        if (!user) throw new Error(`no user for ${state.employeeId}`);
        const described = user as {
          Id: string;
          RoutingProfileId: string;
          SecurityProfileIds: string[];
          HierarchyGroupId?: string;
          IdentityInfo: { FirstName: string; LastName: string };
          PhoneConfig: {
            PhoneType: "SOFT_PHONE";
            AutoAccept: boolean;
            AfterContactWorkTimeLimit: number;
          };
        };
        return {
          PutRequest: {
            Item: {
              ...state,
              employeeKey: employeeKey(state),
              connectUser: {
                userId: described.Id,
                username: String(user.Username),
                identity: {
                  firstName: described.IdentityInfo.FirstName,
                  lastName: described.IdentityInfo.LastName,
                },
                routingProfileId: described.RoutingProfileId,
                securityProfileIds: [...described.SecurityProfileIds].sort(),
                hierarchyGroupId: described.HierarchyGroupId ?? null,
                phone: {
                  type: described.PhoneConfig.PhoneType,
                  autoAccept: described.PhoneConfig.AutoAccept,
                  afterContactWorkSeconds: described.PhoneConfig.AfterContactWorkTimeLimit,
                  deskPhoneNumber: null,
                },
                tags: managedTags(state),
              },
            },
          },
        };
      });
      await documents.send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
    }

    const env = {
      ...serviceEnv(aws, emulator),
      CONNECT_RPS: String(options.quota.rps),
      CONNECT_BURST: String(options.quota.burst),
    };
    const deps = reconcileDeps(loadReconcileConfig(env), { connect, documents, sqs }, env);
    emulator.setQuota(options.quota);
    emulator.resetStats();
    const started = performance.now();
    const run = await reconcile(deps);
    const wallMs = performance.now() - started;

    const stats = emulator.stats();
    const byOperation = Object.fromEntries(
      Object.entries(stats.byOperation).map(([op, s]) => [op, s?.calls ?? 0]),
    );
    const total = dump.users.length;
    return {
      users: total,
      employees: options.users,
      readCalls: stats.calls,
      // Plus the quick connects: one ListQuickConnects page per 1000, one describe each (none here).
      readCallBound:
        Math.ceil(total / 1000) +
        Math.ceil(total / 500) +
        nameLookupBound(dump, rules) +
        quickConnectBound(dump),
      byOperation,
      wallMs,
      drifted,
      repairsQueued: run.queued,
      status: run.status,
    };
  } finally {
    connect.destroy();
    sqs.destroy();
    dynamo.destroy();
    await emulator.close();
    await aws.close();
  }
}

/**
 * The reads that resolve the rules' names, whatever the number of users:
 * every page of routing profiles, security profiles and hierarchy groups,
 * the hierarchy structure, and one DescribeUserHierarchyGroup per group that
 * bears the last name of a hierarchy path the rules use.
 */
export function nameLookupBound(
  dump: ReturnType<Awaited<ReturnType<typeof startConnectEmulator>>["dumpState"]>,
  rules: ReturnType<typeof import("../../src/runtime/config").loadRulesFile>,
): number {
  const pages = (n: number) => Math.max(1, Math.ceil(n / 1000));
  const paths = new Set<string>();
  if (rules.defaults.hierarchy) paths.add(rules.defaults.hierarchy);
  for (const rule of rules.rules) if (rule.set.hierarchy) paths.add(rule.set.hierarchy);
  const leaves = new Set([...paths].map((p) => p.split("/").at(-1)?.trim()));
  const candidates = dump.hierarchyGroups.filter((g) => leaves.has(g.name)).length;
  return (
    pages(dump.routingProfiles.length) +
    pages(dump.securityProfiles.length) +
    pages(dump.hierarchyGroups.length) +
    1 +
    candidates
  );
}

/** One ListQuickConnects page per 1000 quick connects of type USER, and one describe of each. */
function quickConnectBound(dump: { quickConnects?: Record<string, unknown>[] }): number {
  const users = (dump.quickConnects ?? []).filter(
    (q) =>
      (q.QuickConnectConfig as { QuickConnectType?: string } | undefined)?.QuickConnectType ===
      "USER",
  ).length;
  return Math.max(1, Math.ceil(users / 1000)) + users;
}
