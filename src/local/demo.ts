import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { ConnectClient, UpdateUserRoutingProfileCommand } from "@aws-sdk/client-connect";
import type { RecordOutcome } from "../app/process-message";
import { DISABLED_TAG } from "../domain/managed";
import { signBambooHrWebhook } from "../hr/bamboohr/webhook";
import { signStandardWebhook } from "../hr/signatures";
import { LOCAL_CREDENTIALS } from "./aws-stand-ins";
import { DEMO_LEAVERS, DEMO_ROSTER, type Delivery, demoFeed, rehire } from "./demo-feed";
import {
  type AgentRow,
  type AgentSnapshot,
  agentSnapshot,
  agentTable,
  auditedRosterRepairs,
  type DemoIo,
  describeRun,
  type RosterRepair,
} from "./demo-views";
import { rulesWith } from "./rules-with";
import { type LocalStack, SAMPLE_RULES_FILE, startLocalStack } from "./stack";

export type { AgentRow, AgentSnapshot, DemoIo, RosterRepair };
export { demoFeed };

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
