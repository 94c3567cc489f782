import { readFileSync } from "node:fs";
import { ConnectClient, UpdateUserRoutingProfileCommand } from "@aws-sdk/client-connect";
import type { ReconcileRun } from "../app/ports/runs";
import type { RecordOutcome } from "../app/process-message";
import type { HrEvent } from "../domain/hr";
import { signBambooHrWebhook } from "../hr/bamboohr/webhook";
import { signStandardWebhook } from "../hr/signatures";
import { documentClient, dynamoDbClient } from "../runtime/aws-clients";
import { loadRulesFile } from "../runtime/config";
import { EmployeeRepository } from "../store/employees";
import { LOCAL_CREDENTIALS } from "./aws-stand-ins";
import { type LocalStack, startLocalStack } from "./stack";

const sample = (path: string) =>
  readFileSync(new URL(`../../events/hr/${path}`, import.meta.url), "utf8");

/** One delivery of the sample HR feed, and what the story expects of it. */
interface Delivery {
  label: string;
  source: "canonical" | "bamboohr";
  body: string;
  /** Signed with the wrong secret: the webhook must refuse it. */
  forged?: boolean;
  contentType?: string;
}

/**
 * The sample HR feed, in the order an HR system might send it: joiners,
 * a mover, the same delivery twice, an event that arrives after a newer one,
 * a leaver, a BambooHR hire (a thin event: the record is read from BambooHR),
 * and a request signed with the wrong secret.
 */
export function demoFeed(): Delivery[] {
  const mover = JSON.parse(sample("canonical/mover.json")) as HrEvent;
  // Sent after the 10:30 move, but it happened at 10:00: it must not undo the move.
  const late: HrEvent = {
    ...mover,
    eventId: "hr-20261128-0002-late",
    occurredAt: "2026-11-28T10:00:00Z",
    record: mover.record && { ...mover.record, department: "Support" },
  };
  return [
    { label: "joiner (Ada)", source: "canonical", body: sample("canonical/joiner.json") },
    {
      label: "three joiners in one request",
      source: "canonical",
      body: sample("canonical/batch.json"),
    },
    {
      label: "a joiner in a CloudEvents envelope",
      source: "canonical",
      body: sample("canonical/cloudevent.json"),
      contentType: "application/cloudevents+json",
    },
    {
      label: "the same joiner delivered again",
      source: "canonical",
      body: sample("canonical/joiner.json"),
    },
    {
      label: "mover (Ada moves to Sales)",
      source: "canonical",
      body: sample("canonical/mover.json"),
    },
    { label: "an older change arriving late", source: "canonical", body: JSON.stringify(late) },
    {
      label: "BambooHR: employee.created",
      source: "bamboohr",
      body: sample("bamboohr/employee-created.json"),
    },
    {
      label: "a request signed with the wrong secret",
      source: "canonical",
      body: sample("canonical/batch.json"),
      forged: true,
    },
    { label: "leaver (Ada leaves)", source: "canonical", body: sample("canonical/leaver.json") },
  ];
}

export interface DemoSummary {
  converged: boolean;
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  duplicatesSkipped: number;
  staleIgnored: number;
  refused: number;
  deadLettered: number;
  driftRepaired: number;
  reconcileRunId: string;
  remainingDrift: Record<string, number>;
  durationMs: number;
}

export interface AgentRow {
  username: string;
  routingProfile: string;
  securityProfiles: string;
  hierarchy: string;
  status: string;
}

export interface DemoIo {
  /** One line of the story. */
  say(line: string): void;
  /** A worker outcome, as the queue drains. */
  progress(outcome: RecordOutcome, phase: "feed" | "reconcile"): void;
}

export interface DemoOptions {
  quota?: { rps: number; burst: number };
}

async function deliver(
  stack: LocalStack,
  delivery: Delivery,
): Promise<{ status: number; accepted: string[] }> {
  let url = stack.webhookUrl;
  let headers: Record<string, string>;
  if (delivery.source === "bamboohr") {
    url = `${stack.webhookUrl}/bamboohr`;
    headers = signBambooHrWebhook(delivery.body, stack.bambooHr.webhookKey).headers;
  } else {
    const secret = delivery.forged
      ? "whsec_Zm9yZ2VkLXNlY3JldC1mb3ItdGhlLWRlbW8="
      : stack.webhookSecret;
    headers = {
      "content-type": delivery.contentType ?? "application/json",
      ...signStandardWebhook(delivery.body, secret),
    };
  }
  const response = await fetch(url, { method: "POST", headers, body: delivery.body });
  const answer = (await response.json().catch(() => ({}))) as { accepted?: string[] };
  return { status: response.status, accepted: answer.accepted ?? [] };
}

/** What Okta or Entra ID sends for a new assignment: a SCIM user with its department. */
async function provisionOverScim(stack: LocalStack): Promise<{ status: number }> {
  const response = await fetch(`${stack.scimUrl}/Users`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${stack.scimToken}`,
      "content-type": "application/scim+json",
    },
    body: JSON.stringify({
      schemas: [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      ],
      externalId: "S1001",
      userName: "margaret.hamilton@example.com",
      name: { givenName: "Margaret", familyName: "Hamilton" },
      emails: [{ type: "work", primary: true, value: "margaret.hamilton@example.com" }],
      addresses: [{ type: "work", locality: "London" }],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Support" },
    }),
  });
  await response.body?.cancel();
  return { status: response.status };
}

/**
 * `npm start`: the whole service on this machine, telling a story an
 * operator can follow, and checking at the end that Connect matches HR.
 */
export async function runDemo(
  io: DemoIo,
  options: DemoOptions = {},
): Promise<{ summary: DemoSummary; agents: AgentRow[] }> {
  const started = Date.now();
  type Phase = "feed" | "reconcile";
  const now: { phase: Phase } = { phase: "feed" };
  const outcomes: { outcome: RecordOutcome; phase: Phase }[] = [];
  const stack = await startLocalStack({
    quota: options.quota,
    // The story feeds no HiBob deliveries: HiBob's roster stays out of its reconciliation.
    hiBobEmployees: [],
    retryAfterSeconds: 1,
    onOutcome: (outcome) => {
      outcomes.push({ outcome, phase: now.phase });
      io.progress(outcome, now.phase);
    },
  });
  try {
    io.say(
      `Local stack up: Connect emulator (instance ${stack.emulator.instanceId}), DynamoDB, SQS FIFO + DLQ, BambooHR fake`,
    );
    io.say(
      options.quota
        ? `Connect quota ${options.quota.rps} requests/s, burst ${options.quota.burst}, shared by every operation: the worker paces itself to it`
        : "Connect quotas per operation as AWS documents them (CreateUser 2/s, DescribeUser 10/s, …): every caller draws from one budget per operation",
    );

    io.say("1. The HR feed arrives at the webhook");
    const accepted: string[] = [];
    let refused = 0;
    for (const delivery of demoFeed()) {
      const answer = await deliver(stack, delivery);
      if (answer.status === 202) accepted.push(...answer.accepted);
      else refused += 1;
      io.say(`   ${String(answer.status).padEnd(4)}${delivery.label}`);
    }

    io.say("2. The worker drains the queue");
    await stack.runner.drained();

    io.say("3. An identity provider (Okta, Entra ID) provisions an agent over SCIM 2.0");
    const scim = await provisionOverScim(stack);
    io.say(`   ${String(scim.status).padEnd(4)}POST /scim/v2/Users margaret.hamilton@example.com`);
    await stack.runner.drained();

    io.say("4. Someone edits an agent in the Connect console, behind the service's back");
    const connect = new ConnectClient({
      endpoint: stack.emulator.url,
      region: stack.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const state = stack.emulator.dumpState();
    const turing = state.users.find((u) => u.Username === "alan.turing@example.com");
    const ukSupport = state.routingProfiles.find((p) => p.name === "UK Support");
    if (turing && ukSupport) {
      await connect.send(
        new UpdateUserRoutingProfileCommand({
          InstanceId: stack.emulator.instanceId,
          UserId: String(turing.Id),
          RoutingProfileId: ukSupport.id,
        }),
      );
      io.say("   alan.turing@example.com moved to routing profile UK Support by hand");
    }
    connect.destroy();

    io.say("5. The nightly reconciliation runs");
    now.phase = "reconcile";
    const run = await stack.reconcile();
    describeRun(run, io);
    await stack.runner.drained();

    io.say("6. Does Connect match HR now?");
    const check = await stack.reconcile({ dryRun: true });
    const remainingDrift = Object.fromEntries(
      (["missing", "drifted", "renamed", "orphaned", "due", "adoptable", "invalid"] as const)
        .filter((c) => check.counts[c] > 0)
        .map((c) => [c, check.counts[c]]),
    );
    const count = (result: string, inPhase = "feed") =>
      outcomes.filter(
        (o) =>
          o.phase === inPhase &&
          o.outcome.result === result &&
          !("duplicate" in o.outcome && o.outcome.duplicate),
      ).length;
    const processedIds = new Set(outcomes.map((o) => o.outcome.eventId));
    const summary: DemoSummary = {
      converged: Object.keys(remainingDrift).length === 0,
      created: count("created"),
      updated: count("updated"),
      deleted: count("deleted"),
      adopted: count("adopted"),
      // Accepted again but applied once: dropped by SQS deduplication or by the worker's idempotency.
      duplicatesSkipped:
        accepted.length -
        new Set(accepted).size +
        outcomes.filter((o) => "duplicate" in o.outcome && o.outcome.duplicate).length,
      staleIgnored: count("stale"),
      refused,
      deadLettered: count("dead-lettered"),
      driftRepaired: outcomes.filter(
        (o) =>
          o.phase === "reconcile" &&
          ["created", "updated", "deleted", "adopted"].includes(o.outcome.result),
      ).length,
      reconcileRunId: run.runId,
      remainingDrift,
      durationMs: Date.now() - started,
    };
    // Every accepted event reached the worker (or was a duplicate of one that did).
    if ([...new Set(accepted)].some((id) => !processedIds.has(id))) summary.converged = false;
    return { summary, agents: await agentTable(stack) };
  } finally {
    await stack.close();
  }
}

function describeRun(run: ReconcileRun, io: DemoIo): void {
  for (const change of run.changes) {
    const what = change.facets?.length ? ` (${change.facets.join(", ")})` : "";
    io.say(
      `   ${change.class}: ${change.employeeId ?? change.userId}${what} -> ${change.repair ?? "reported"}`,
    );
  }
  io.say(
    `   ${run.queued} repair(s) queued; unmanaged ${run.counts.unmanaged}, protected ${run.counts.protected}: left alone`,
  );
}

/** Every Connect user, with names instead of ids, and who manages it. */
async function agentTable(stack: LocalStack): Promise<AgentRow[]> {
  const state = stack.emulator.dumpState();
  const rules = loadRulesFile(stack.env.SYNC_RULES_FILE ?? "");
  const employees = new EmployeeRepository(
    documentClient(dynamoDbClient(stack.env)),
    stack.env.EMPLOYEES_TABLE ?? "",
  );
  const managedBy = new Map<string, string>();
  for await (const employee of employees.scan()) {
    if (employee.connectUser) managedBy.set(employee.connectUser.userId, employee.employeeId);
  }
  const name = (list: { id: string; name: string }[], id: unknown) =>
    list.find((r) => r.id === id)?.name ?? String(id ?? "");
  const path = (id: unknown) => state.hierarchyGroups.find((g) => g.id === id)?.path ?? "";
  return state.users
    .map((u) => {
      const username = String(u.Username);
      const profiles = ((u.SecurityProfileIds ?? []) as string[]).map((id) =>
        name(state.securityProfiles, id),
      );
      const isProtected =
        rules.protected.usernames.includes(username) ||
        profiles.some((p) => rules.protected.securityProfiles.includes(p));
      const employeeId = managedBy.get(String(u.Id));
      return {
        username,
        routingProfile: name(state.routingProfiles, u.RoutingProfileId),
        securityProfiles: profiles.join(", "),
        hierarchy: path(u.HierarchyGroupId),
        status: isProtected ? "protected" : employeeId ? `managed (${employeeId})` : "unmanaged",
      };
    })
    .sort((a, b) => a.username.localeCompare(b.username));
}
