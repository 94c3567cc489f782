import { Command } from "commander";
import type { ReconcileRun } from "../../app/ports/runs";
import { approveRun } from "../../app/reconcile/approve";
import { reconcile } from "../../app/reconcile/reconcile";
import { DRIFT_CLASSES, type DriftEntry } from "../../domain/drift";
import { loadReconcileConfig } from "../../runtime/config";
import { reconcileDeps } from "../../runtime/reconcile";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { action, CliError, colour, EXIT, printJson, printTable } from "../output";

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

const describeEntry = (e: DriftEntry) =>
  [e.facets?.join(", "), e.dueDate && `due ${e.dueDate}`, e.problem].filter(Boolean).join("; ");

export function printRun(run: ReconcileRun): void {
  const counts = DRIFT_CLASSES.filter((c) => run.counts[c] > 0).map((c) => [c, run.counts[c]]);
  process.stdout.write(`${colour.bold(`Reconciliation ${run.runId}`)}: ${run.status}\n`);
  printTable(["class", "count"], counts.length > 0 ? counts : [["(nothing)", 0]]);
  if (run.changes.length > 0) {
    printTable(
      ["employee", "class", "repair", "Connect user", "detail"],
      run.changes.map((e) => [
        e.employeeId ?? "",
        e.class,
        e.repair ?? "",
        e.userId ?? "",
        describeEntry(e),
      ]),
    );
  }
  if (run.changesTruncated)
    process.stdout.write("(changes truncated; see the metrics and logs for all)\n");
  if (run.dryRun)
    process.stdout.write(`${colour.yellow("dry run")}: nothing was queued or stored\n`);
  else process.stdout.write(`${run.queued} repair(s) queued for the worker\n`);
  if (run.held.length > 0) {
    process.stdout.write(
      `${colour.red(`${run.held.length} deletion(s) held`)}: ${run.guard.reason}. ` +
        `Review them, then: connect-hr-sync approve ${run.runId}\n`,
    );
  }
  if (run.notQueued.length > 0) {
    process.stdout.write(
      `${colour.red("not queued")} (the next run retries): ${run.notQueued.join(", ")}\n`,
    );
  }
}

export function reconcileCommand(): Command {
  return new Command("reconcile")
    .description(
      "Compare the HR roster with every Connect user and queue the repairs (what the nightly run does)",
    )
    .option("--dry-run", "report what would be repaired; change and store nothing")
    .option("--json", "print the run as one JSON object")
    .option("--stage <name>", "deployment stage whose tables and queues to use (default dev)")
    .option("--rules <file>", "sync rules file (default config/sync-rules.yaml)")
    .action(
      action(async (flags: ReconcileFlags) => {
        const run = await withReconcileDeps(flags, (deps) =>
          reconcile(deps, {
            dryRun: flags.dryRun,
            onProgress: (step) => {
              if (!flags.json && process.stderr.isTTY)
                process.stderr.write(colour.dim(`${step}...\n`));
            },
          }),
        );
        if (flags.json) printJson(run);
        else printRun(run);
        // Held deletions and repairs that could not be queued need a person.
        return run.held.length > 0 || run.notQueued.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}

export function approveCommand(): Command {
  return new Command("approve")
    .description("Release the deletions a reconciliation held back because they exceeded the guard")
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
            `${colour.green("approved")}: ${outcome.queued} deletion(s) queued for the worker` +
              (outcome.notQueued.length > 0
                ? `; not queued: ${outcome.notQueued.join(", ")}`
                : "") +
              "\n",
          );
        }
        return outcome.notQueued.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}
