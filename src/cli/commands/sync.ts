import { Command } from "commander";
import { syncOnDemand } from "../../app/on-demand-sync";
import type { ConnectNameLookup } from "../../app/ports/connect";
import type { SyncStep } from "../../app/sync/sync-employee";
import type { ConnectUser } from "../../domain/connect-user";
import type { FacetChange } from "../../domain/facet-change";
import { type Facet, facetValue } from "../../domain/facets";
import { loadWorkerConfig } from "../../runtime/config";
import { syncWorkerDeps } from "../../runtime/sync-worker";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { EXIT, UNREACHABLE_MEANING, USAGE_MEANING, withExitCodes } from "../exit";
import { changeText } from "../facet-text";
import { action, CliError, colour, printJson } from "../output";

interface SyncFlags extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
  source?: string;
}

/**
 * One line per step, for people, with names where the service has ids.
 * Names appear here on purpose: the operator asked for this person.
 */
async function describeStep(
  step: SyncStep,
  current: ConnectUser | null,
  names: ConnectNameLookup,
): Promise<string> {
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
      return (
        `current: Connect user ${step.user.username} (${step.user.userId})` +
        (step.protected ? colour.red(" (protected: never changed)") : "")
      );
    case "plan": {
      if (step.calls.length === 0) return `plan: ${colour.green("nothing to change")}`;
      const calls = await Promise.all(
        step.calls.map(async (c) => {
          if (c.facet === "user") return c.op;
          const facet = c.facet as Facet;
          const change: FacetChange = {
            facet,
            ...(current ? { from: facetValue(facet, current) } : {}),
            ...("to" in c ? { to: c.to } : {}),
          };
          return `${c.op} (${await changeText(change, names)})`;
        }),
      );
      return `plan: ${calls.join(", ")}`;
    }
    case "apply":
      return `apply: ${colour.green(step.op)} done${step.userId ? ` (${step.userId})` : ""}`;
  }
}

export function syncCommand(): Command {
  const command = new Command("sync")
    .description(
      "Provision one employee now and show each step: HR record, scope, match, plan, apply",
    )
    .argument("<employeeId>", "the employee's id in HR")
    .option("--dry-run", "stop after the plan: change nothing in Connect, store nothing")
    .option("--source <name>", "the HR source the employee belongs to (e.g. bamboohr)", "canonical")
    .option("--json", "print the steps and the outcome as one JSON object")
    .option("--stage <name>", "deployment stage (default dev)")
    .option("--rules <file>", "sync rules file (default config/sync-rules.yaml)")
    .action(action((employeeId: string, flags: SyncFlags) => runSync(employeeId, flags)));
  return withExitCodes(command, {
    [EXIT.ok]: "the employee converged (or the dry run planned)",
    [EXIT.failed]:
      "the record cannot become a user, the user name is taken, or the id is nowhere (no stored state, not in HR)",
    [EXIT.usage]: `${USAGE_MEANING} (a rules file naming what the instance lacks too)`,
    [EXIT.unreachable]: UNREACHABLE_MEANING,
  });
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runSync(
  employeeId: string,
  flags: SyncFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const env = await withQueueUrls(await targetEnv(flags, base));
  const clients = clientsFor(env);
  try {
    const deps = syncWorkerDeps(loadWorkerConfig(env), clients);
    const steps: SyncStep[] = [];
    let current: ConnectUser | null = null;
    // Steps are printed in order; the plan's names need a look-up, so lines wait their turn.
    let printed = Promise.resolve();
    const synced = await syncOnDemand(employeeId, deps, {
      dryRun: flags.dryRun,
      source: flags.source,
      onStep: (step) => {
        steps.push(step);
        if (step.step === "current") current = step.user;
        if (flags.json) return;
        const seen = current;
        printed = printed.then(async () => {
          process.stdout.write(`  ${await describeStep(step, seen, deps.names)}\n`);
        });
      },
    });
    await printed;
    if (synced.kind === "unknown-employee") {
      if (flags.json) printJson({ employeeId, steps, outcome: null });
      throw new CliError(
        `employee ${employeeId} is nowhere: the service has no state for them and HR (source ${synced.source}) does not know them. Is the id, --source or --stage right?`,
        EXIT.failed,
      );
    }
    const { outcome } = synced;
    if (flags.json) printJson({ employeeId, steps, outcome });
    else process.stdout.write(`${colour.bold(employeeId)}: ${outcome.result}\n`);
    return EXIT.ok;
  } finally {
    clients.close();
  }
}
