import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { ConnectClient, UpdateUserRoutingProfileCommand } from "@aws-sdk/client-connect";
import type { ReconcileRun } from "../app/ports/runs";
import type { RecordOutcome } from "../app/process-message";
import type { HrEvent } from "../domain/hr";
import { DISABLED_TAG } from "../domain/managed";
import { signBambooHrWebhook } from "../hr/bamboohr/webhook";
import { parseRoster } from "../hr/roster/parse";
import { signStandardWebhook } from "../hr/signatures";
import { documentClient, dynamoDbClient } from "../runtime/aws-clients";
import { loadRulesFile } from "../runtime/config";
import { AuditLog } from "../store/audit";
import { EmployeeRepository } from "../store/employees";
import { LOCAL_CREDENTIALS } from "./aws-stand-ins";
import { rulesWith } from "./rules-with";
import { type LocalStack, SAMPLE_RULES_FILE, startLocalStack } from "./stack";

const sample = (path: string) =>
  readFileSync(new URL(`../../events/hr/${path}`, import.meta.url), "utf8");

/**
 * HR's nightly export of the canonical feed's employees (import's columns), which the
 * local stack serves from its S3 as `local --roster FILE` does. It lists Joan Clarke,
 * whose joiner webhook was never sent, and leaves out Grace Hopper, hired by webhook,
 * whose leaver webhook was lost.
 *
 * The roster's graceMinutes (60 by default, and what `local --roster` configures) leaves
 * an employee whose newest event is younger than that to the event. Every event of the
 * demo's feed is dated days before the run (the samples on 28 November 2026, Ada's rehire
 * on 1 December), so the nightly run judges all of them by the roster.
 */
const DEMO_ROSTER = new URL("../../events/hr/canonical/demo-roster.csv", import.meta.url).pathname;

/** The sample rules, but a leaver's agent is disabled rather than deleted, so that a rehire gets it back. */
const DEMO_LEAVERS = {
  action: "disable",
  disable: { securityProfiles: ["No Access"], routingProfile: "Disabled" },
  deleteAfterDays: 30,
};

/**
 * The user names HR's data makes for the demo's employees by source and id (the sample
 * rules' template is {email}): the reconciliation names a user it has yet to create by id only.
 */
function hrUsernames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const { record } of parseRoster(readFileSync(DEMO_ROSTER, "utf8"), DEMO_ROSTER).valid)
    if (record.email) names.set(`canonical#${record.employeeId}`, record.email);
  const bambooHr = JSON.parse(sample("bamboohr/employees.json")) as {
    id: string;
    workEmail: string;
  }[];
  for (const e of bambooHr) names.set(`bamboohr#${e.id}`, e.workEmail);
  return names;
}

/** Ada's termination was a mistake: three days after the leaver, HR hires her again. */
function rehire(): HrEvent {
  const leaver = JSON.parse(sample("canonical/leaver.json")) as HrEvent;
  const { endDate: _, ...record } = leaver.record ?? { employeeId: leaver.employeeId };
  return {
    ...leaver,
    eventId: "hr-20261201-0001",
    type: "joiner",
    occurredAt: "2026-12-01T09:00:00Z",
    record: { ...record, status: "active", startDate: "2026-12-01" } as HrEvent["record"],
  };
}

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
 * a BambooHR hire (a thin event: the record is read from BambooHR), a request
 * signed with the wrong secret, and a leaver.
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

/** A Connect user as the story shows it: names, not ids (but its id, to tell one user from another). */
export interface AgentSnapshot {
  username: string;
  userId: string;
  routingProfile: string;
  securityProfiles: string[];
  hierarchy: string;
  /** The connect-hr-sync:disabled-at tag: the day the user was disabled. */
  disabledAt?: string;
}

/** A repair the nightly run made from HR's roster, and why the audit trail says it was made. */
export interface RosterRepair {
  username: string;
  result: string;
  /** The audit entries' reason: `joiner/reconcile from the roster of canonical at …`. */
  audit: string;
  operations: string[];
}

export interface DemoSummary {
  converged: boolean;
  created: number;
  updated: number;
  deleted: number;
  /** Leavers whose agent was disabled (leavers.action: disable), and rehires who got it back. */
  disabled: number;
  reEnabled: number;
  adopted: number;
  duplicatesSkipped: number;
  staleIgnored: number;
  refused: number;
  deadLettered: number;
  driftRepaired: number;
  /** Ada's agent after her leaver event, and after her rehire: the same user. */
  leaver?: AgentSnapshot;
  rehired?: AgentSnapshot;
  rosterRepairs: RosterRepair[];
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
  const rulesFile = rulesWith(SAMPLE_RULES_FILE, { leavers: DEMO_LEAVERS });
  const removeRules = () => rmSync(dirname(rulesFile), { recursive: true, force: true });
  const stack = await startLocalStack({
    quota: options.quota,
    rulesFile,
    rosterFile: DEMO_ROSTER,
    // The story feeds no HiBob deliveries: HiBob's roster stays out of its reconciliation.
    hiBobEmployees: [],
    retryAfterSeconds: 1,
    onOutcome: (outcome) => {
      outcomes.push({ outcome, phase: now.phase });
      io.progress(outcome, now.phase);
    },
  }).catch((error: unknown) => {
    removeRules();
    throw error;
  });
  try {
    io.say(
      `Local stack up: Connect emulator (instance ${stack.emulator.instanceId}), DynamoDB, SQS FIFO + DLQ, S3 (HR's roster exports), BambooHR fake`,
    );
    io.say(
      options.quota
        ? `Connect quota ${options.quota.rps} requests/s, burst ${options.quota.burst}, shared by every operation: the worker paces itself to it`
        : "Connect quotas per operation as AWS documents them (CreateUser 2/s, DescribeUser 10/s, …): every caller draws from one budget per operation",
    );

    io.say("1. The HR feed arrives at the webhook");
    const accepted: string[] = [];
    let refused = 0;
    const post = async (delivery: Delivery) => {
      const answer = await deliver(stack, delivery);
      if (answer.status === 202) accepted.push(...answer.accepted);
      else refused += 1;
      io.say(`   ${String(answer.status).padEnd(4)}${delivery.label}`);
    };
    for (const delivery of demoFeed()) await post(delivery);

    io.say("2. The worker drains the queue");
    await stack.runner.drained();
    const ada = "ada.lovelace@example.com";
    const leaver = agentSnapshot(stack, ada);
    if (leaver)
      io.say(
        `   ${ada} disabled, not deleted (leavers.action: disable): ${leaver.securityProfiles.join(", ")}, ` +
          `routing profile ${leaver.routingProfile}, ${DISABLED_TAG} ${leaver.disabledAt ?? "(no tag)"}`,
      );

    io.say("3. Three days later HR hires Ada again: the termination was a mistake");
    await post({
      label: "rehire (Ada comes back)",
      source: "canonical",
      body: JSON.stringify(rehire()),
    });
    await stack.runner.drained();
    const rehired = agentSnapshot(stack, ada);
    if (rehired)
      io.say(
        `   ${ada} gets ${rehired.userId === leaver?.userId ? "the same Connect user back (same id)" : "a NEW Connect user (another id)"}: ` +
          `${rehired.routingProfile}, ${rehired.securityProfiles.join(", ")}, ${rehired.hierarchy}; ` +
          (rehired.disabledAt ? `still tagged ${DISABLED_TAG}` : "the disabled-at tag removed"),
      );

    io.say("4. An identity provider (Okta, Entra ID) provisions an agent over SCIM 2.0");
    const scim = await provisionOverScim(stack);
    io.say(`   ${String(scim.status).padEnd(4)}POST /scim/v2/Users margaret.hamilton@example.com`);
    await stack.runner.drained();

    io.say("5. Someone edits an agent in the Connect console, behind the service's back");
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

    io.say("6. Two webhooks are lost; HR's nightly roster export lands in S3");
    io.say("   Joan Clarke joins in HR, but her joiner webhook is never sent");
    io.say("   Grace Hopper leaves, but her leaver webhook is lost on the way");
    if (stack.roster) {
      const key = await stack.roster.upload(readFileSync(DEMO_ROSTER, "utf8"));
      io.say(`   s3://${stack.roster.bucket}/${key}: lists Joan, leaves out Grace`);
    }

    io.say("7. The nightly reconciliation runs");
    now.phase = "reconcile";
    const run = await stack.reconcile();
    describeRun(run, io);
    await stack.runner.drained();
    const rosterRepairs = await auditedRosterRepairs(stack, run, outcomes);
    for (const repair of rosterRepairs)
      io.say(`   audit: ${repair.username} ${repair.result}: "${repair.audit}"`);

    io.say("8. Does Connect match HR now?");
    const check = await stack.reconcile({ dryRun: true });
    const remainingDrift = Object.fromEntries(
      (["missing", "drifted", "renamed", "orphaned", "due", "adoptable", "invalid"] as const)
        .filter((c) => check.counts[c] > 0)
        .map((c) => [c, check.counts[c]]),
    );
    for (const kept of check.changes.filter((c) => c.class === "disabled" && c.username))
      io.say(
        `   ${kept.username} stays disabled; ${kept.dueDate ? `the nightly run deletes it on ${kept.dueDate} (deleteAfterDays: ${DEMO_LEAVERS.deleteAfterDays}); a rehire before then gets it back` : "never deleted"}`,
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
      disabled: count("disabled"),
      reEnabled: count("re-enabled"),
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
          ["created", "updated", "deleted", "disabled", "re-enabled", "adopted"].includes(
            o.outcome.result,
          ),
      ).length,
      leaver,
      rehired,
      rosterRepairs,
      reconcileRunId: run.runId,
      remainingDrift,
      durationMs: Date.now() - started,
    };
    // Every accepted event reached the worker (or was a duplicate of one that did).
    if ([...new Set(accepted)].some((id) => !processedIds.has(id))) summary.converged = false;
    io.say(
      `   by events: disabled ${summary.disabled}, re-enabled ${summary.reEnabled}, deleted ${summary.deleted}; ` +
        `${rosterRepairs.length} of the nightly run's ${summary.driftRepaired} repairs came from HR's roster export`,
    );
    return { summary, agents: await agentTable(stack) };
  } finally {
    await stack.close();
    removeRules();
  }
}

function describeRun(run: ReconcileRun, io: DemoIo): void {
  for (const roster of run.rosters ?? []) {
    const size = roster.employees === undefined ? "" : `, ${roster.employees} employees`;
    const vendor = { bamboohr: "BambooHR", hibob: "HiBob" }[roster.kind as string] ?? roster.kind;
    const where = roster.location ?? roster.note ?? `${vendor}'s directory`;
    io.say(`   roster of ${roster.source}: ${where}${size}`);
  }
  const names = hrUsernames();
  for (const change of run.changes) {
    const who =
      change.username ??
      names.get(`${change.source}#${change.employeeId}`) ??
      change.employeeId ??
      change.userId;
    const what = change.facets?.length ? ` (${change.facets.join(", ")})` : "";
    const from = change.rosterAt ? " (from HR's roster export)" : "";
    io.say(`   ${change.class}: ${who}${what} -> ${change.repair ?? "reported"}${from}`);
  }
  io.say(
    `   ${run.queued} repair(s) queued; unmanaged ${run.counts.unmanaged}, protected ${run.counts.protected}: left alone`,
  );
}

/** The nightly run's repairs from HR's roster, each with the reason its audit entries give. */
async function auditedRosterRepairs(
  stack: LocalStack,
  run: ReconcileRun,
  outcomes: { outcome: RecordOutcome; phase: string }[],
): Promise<RosterRepair[]> {
  const audit = new AuditLog(
    documentClient(dynamoDbClient(stack.env)),
    stack.env.AUDIT_TABLE ?? "",
    1,
  );
  const repairs: RosterRepair[] = [];
  for (const change of run.changes) {
    if (!change.rosterAt || !change.repair || !change.source || !change.employeeId) continue;
    const employeeId = change.employeeId;
    const entries = (await audit.forEmployee({ source: change.source, employeeId })).filter((e) =>
      e.reason.includes(`from the roster of ${change.source} at ${change.rosterAt}`),
    );
    const outcome = outcomes.find(
      (o) => o.phase === "reconcile" && o.outcome.employeeId === employeeId,
    )?.outcome;
    const username =
      change.username ??
      stack.emulator.dumpState().users.find((u) => entries.some((e) => e.connectUserId === u.Id))
        ?.Username;
    repairs.push({
      username: String(username ?? employeeId),
      result: outcome?.result ?? "not applied",
      audit: entries[0]?.reason ?? "(no audit entry)",
      operations: entries.map((e) => e.operation),
    });
  }
  return repairs;
}

/** One Connect user by user name, with the names of its profiles and hierarchy group. */
function agentSnapshot(stack: LocalStack, username: string): AgentSnapshot | undefined {
  const state = stack.emulator.dumpState();
  const user = state.users.find((u) => u.Username === username);
  if (!user) return undefined;
  const name = (list: { id: string; name: string }[], id: unknown) =>
    list.find((r) => r.id === id)?.name ?? String(id ?? "");
  const tags = (user.Tags ?? {}) as Record<string, string>;
  return {
    username,
    userId: String(user.Id),
    routingProfile: name(state.routingProfiles, user.RoutingProfileId),
    securityProfiles: ((user.SecurityProfileIds ?? []) as string[]).map((id) =>
      name(state.securityProfiles, id),
    ),
    hierarchy: state.hierarchyGroups.find((g) => g.id === user.HierarchyGroupId)?.path ?? "",
    ...(tags[DISABLED_TAG] ? { disabledAt: tags[DISABLED_TAG] } : {}),
  };
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
      const disabledAt = ((u.Tags ?? {}) as Record<string, string>)[DISABLED_TAG];
      return {
        username,
        routingProfile: name(state.routingProfiles, u.RoutingProfileId),
        securityProfiles: profiles.join(", "),
        hierarchy: path(u.HierarchyGroupId),
        status: isProtected
          ? "protected"
          : employeeId
            ? `${disabledAt ? `disabled ${disabledAt}` : "managed"} (${employeeId})`
            : "unmanaged",
      };
    })
    .sort((a, b) => a.username.localeCompare(b.username));
}
