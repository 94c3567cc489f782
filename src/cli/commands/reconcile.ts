import { Command } from "commander";
import type { ReconcileRun, RosterReport } from "../../app/ports/runs";
import { approveRun } from "../../app/reconcile/approve";
import { type ReconcileDeps, reconcile } from "../../app/reconcile/reconcile";
import { RosterUnusableError } from "../../app/reconcile/roster";
import { loadReconcileConfig } from "../../runtime/config";
import { reconcileDeps } from "../../runtime/reconcile";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { EXIT, UNREACHABLE_MEANING, USAGE_MEANING, withExitCodes } from "../exit";
import { forgivingLookup } from "../facet-text";
import { action, CliError, colour, printJson } from "../output";
import { HELD_KIND, printRun } from "../run-report";

interface ReconcileFlags extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
}

/** Builds the reconciliation's adapters for a target and hands them to `use`. */
async function withReconcileDeps<T>(
  flags: TargetOptions,
  use: (deps: ReturnType<typeof reconcileDeps>) => Promise<T>,
): Promise<T> {
  const env = await withQueueUrls(await targetEnv(flags));
  const config = loadReconcileConfig(env);
  const clients = clientsFor(env);
  try {
    return await use(reconcileDeps(config, clients, env));
  } finally {
    clients.close();
  }
}

export function reconcileCommand(): Command {
  const command = new Command("reconcile")
    .description(
      "Compare the HR roster with every Connect user and queue the repairs (what the nightly run does)",
    )
    .option("--dry-run", "report what would be repaired; change and store nothing")
    .option("--json", "print the run as one JSON object")
    .option("--stage <name>", "deployment stage whose tables and queues to use (default dev)")
    .option("--rules <file>", "sync rules file (default config/sync-rules.yaml)")
    .action(
      action(async (flags: ReconcileFlags) => {
        const run = await withReconcileDeps(flags, async (deps) => {
          let run: ReconcileRun;
          try {
            run = await reconcile(deps, {
              dryRun: flags.dryRun,
              onProgress: (step) => {
                if (!flags.json && process.stderr.isTTY)
                  process.stderr.write(colour.dim(`${step}...\n`));
              },
            });
          } catch (error) {
            // A refused roster is a failed run: --json still answers one object; stderr says why.
            if (flags.json && error instanceof RosterUnusableError)
              printJson({
                status: "failed",
                dryRun: flags.dryRun === true,
                reason: error.message,
                rosters: configuredRosters(deps),
              });
            throw error;
          }
          // Names are looked up while the clients are open; ids stay in --json.
          if (flags.json) printJson(run);
          else await printRun(run, forgivingLookup(deps.names));
          return run;
        });
        return needsAPerson(run) ? EXIT.failed : EXIT.ok;
      }),
    );
  return withExitCodes(command, {
    [EXIT.ok]: "every finding was in sync or repaired (queued)",
    [EXIT.failed]:
      "something needs a person: deletions or adoptions held, repairs not queued, renamed or invalid findings, a roster refused (nothing changed)",
    [EXIT.usage]: `${USAGE_MEANING} (a rules file naming what the instance lacks too)`,
    [EXIT.unreachable]: UNREACHABLE_MEANING,
  });
}

/**
 * The rosters the run was to read, as configured (kind and source only: a
 * refused run read no location, age or size it could vouch for).
 */
function configuredRosters(
  deps: Pick<ReconcileDeps, "rosterSources" | "vendorRosters">,
): Pick<RosterReport, "source" | "kind">[] {
  return [
    ...(deps.rosterSources ?? []).map((r) => ({ source: r.source, kind: r.kind })),
    ...(deps.vendorRosters ?? []).map((v) => ({
      source: v.source,
      kind: v.source === "hibob" ? ("hibob" as const) : ("bamboohr" as const),
    })),
  ];
}

/** Held deletions, repairs that could not be queued, and findings no repair can fix. */
export function needsAPerson(run: ReconcileRun): boolean {
  return (
    run.held.length > 0 ||
    run.notQueued.length > 0 ||
    run.counts.renamed > 0 ||
    run.counts.invalid > 0
  );
}

/** What an approval released, in words: "deletion(s)" when all were deletions, else "repair(s) (...)". */
function releasedKind(run: ReconcileRun, runId: string): string {
  const kinds = new Map<string, number>();
  for (const e of run.held)
    if (e.heldIn === undefined || e.heldIn === runId) {
      const kind = HELD_KIND[e.repair ?? ""] ?? "repair";
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  const [only] = kinds.keys();
  if (kinds.size === 1 && only) return `${only}(s)`;
  return `repair(s) (${[...kinds].map(([kind, n]) => `${n} ${kind}(s)`).join(", ")})`;
}

export function approveCommand(): Command {
  const command = new Command("approve")
    .description(
      "Release what a run held: deletions and disables over the guard, adoptions of users the service does not manage, leavers from events past the hour's limit (breaker-<hour>)",
    )
    .argument("<runId>", "the run to approve, as `reconcile` printed it")
    .option("--by <name>", "who approves, for the record", process.env.USER ?? "operator")
    .option("--json", "print the result as one JSON object")
    .option("--stage <name>", "deployment stage (default dev)")
    .action(
      action(async (runId: string, flags: TargetOptions & { by: string; json?: boolean }) => {
        const outcome = await withReconcileDeps(flags, (deps) => approveRun(runId, flags.by, deps));
        if (flags.json) printJson(outcome);
        if (outcome.kind === "not-found") throw new CliError(`no reconciliation run ${runId}`);
        if (outcome.kind === "not-held") {
          throw new CliError(
            `run ${runId} is ${outcome.status}, not held: there is nothing to approve`,
          );
        }
        if (!flags.json) {
          process.stdout.write(
            `${colour.green("approved")}: ${outcome.queued} ${releasedKind(outcome.run, runId)} queued for the worker` +
              (outcome.notQueued.length > 0
                ? `; not queued: ${outcome.notQueued.join(", ")}`
                : "") +
              "\n",
          );
        }
        return outcome.notQueued.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
  return withExitCodes(command, {
    [EXIT.ok]: "the held repairs (deletions, disables, adoptions) were queued",
    [EXIT.failed]: "no such run, the run is not held, or repairs could not be queued",
    [EXIT.usage]: USAGE_MEANING,
    [EXIT.unreachable]: UNREACHABLE_MEANING,
  });
}
