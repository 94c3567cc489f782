import { Command } from "commander";
import { type SyncStep, syncEmployee } from "../../app/sync/sync-employee";
import { CANONICAL_SOURCE } from "../../domain/employee-key";
import type { SyncRequest } from "../../domain/sync-request";
import { loadWorkerConfig } from "../../runtime/config";
import { syncWorkerDeps } from "../../runtime/sync-worker";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { action, colour, EXIT, printJson } from "../output";

interface SyncFlags extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
  source?: string;
}

/** One line per step, for people. Names appear here on purpose: the operator asked for this person. */
function describeStep(step: SyncStep): string {
  switch (step.step) {
    case "record":
      return step.found
        ? `read HR record: found (${step.from})`
        : `read HR record: ${colour.yellow("not in HR")} (${step.from})`;
    case "scope":
      if (step.inScope)
        return `scope: in scope${step.dueDate ? ` (leaves; access ends ${step.dueDate})` : ""}`;
      return `scope: ${colour.yellow(`no agent (${step.reason})`)}${step.dueDate ? `, due ${step.dueDate}` : ""}`;
    case "match": {
      const a = step.agent;
      const rules = step.rules.length > 0 ? step.rules.join(", ") : "defaults only";
      return (
        `match: ${rules} -> ${a.username}: routing "${a.routingProfile}", security [${a.securityProfiles.join(", ")}], ` +
        `hierarchy ${a.hierarchy ?? "(none)"}, ${a.phone.type} acw ${a.phone.afterContactWorkSeconds}s`
      );
    }
    case "current":
      if (!step.user) return "current: no managed Connect user";
      return `current: Connect user ${step.user.userId}${step.protected ? colour.red(" (protected: never changed)") : ""}`;
    case "plan":
      return step.calls.length === 0
        ? `plan: ${colour.green("nothing to change")}`
        : `plan: ${step.calls.map((c) => (c.facet === "user" ? c.op : `${c.op} (${c.facet})`)).join(", ")}`;
    case "apply":
      return `apply: ${colour.green(step.op)} done${step.userId ? ` (${step.userId})` : ""}`;
  }
}

export function syncCommand(): Command {
  return new Command("sync")
    .description(
      "Provision one employee now and show each step: HR record, scope, match, plan, apply",
    )
    .argument("<employeeId>", "the employee's id in HR")
    .option("--dry-run", "stop after the plan: change nothing in Connect, store nothing")
    .option("--source <name>", "the HR source the employee belongs to (e.g. bamboohr)", "canonical")
    .option("--json", "print the steps and the outcome as one JSON object")
    .option("--stage <name>", "deployment stage (default dev)")
    .option("--rules <file>", "sync rules file (default config/sync-rules.yaml)")
    .action(
      action(async (employeeId: string, flags: SyncFlags) => {
        const env = await withQueueUrls(await targetEnv(flags));
        const clients = clientsFor(env);
        try {
          const deps = syncWorkerDeps(loadWorkerConfig(env), clients);
          const source = flags.source ?? CANONICAL_SOURCE;
          const stored = await deps.employees.get({ source, employeeId });
          const now = new Date().toISOString();
          const request: SyncRequest = {
            eventId: `cli-${Date.now()}-${employeeId}`.slice(0, 128),
            type: "mover",
            employeeId,
            source,
            // The stored version: a sync on demand is never newer than the HR event it converges to.
            occurredAt: stored?.version ?? now,
            origin: "cli",
          };
          const steps: SyncStep[] = [];
          const outcome = await syncEmployee(request, deps, {
            dryRun: flags.dryRun,
            onStep: (step) => {
              steps.push(step);
              if (!flags.json) process.stdout.write(`  ${describeStep(step)}\n`);
            },
          });
          if (flags.json) printJson({ employeeId, steps, outcome });
          else process.stdout.write(`${colour.bold(employeeId)}: ${outcome.result}\n`);
          return EXIT.ok;
        } finally {
          clients.close();
        }
      }),
    );
}
