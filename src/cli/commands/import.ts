/**
 * `connect-hr-sync import ROSTER.csv`: loads an HR export into the service.
 * The roster is read by src/hr/roster; each valid row becomes a full-record
 * event (app/import-events) on the FIFO queue. All or nothing: one invalid
 * row queues nothing, unless --skip-invalid. `--dry-run` says what each row
 * will do (app/import-preview); `--wait` follows the events to their
 * outcome (app/import-follow).
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Command, InvalidArgumentError } from "commander";
import { importEvent } from "../../app/import-events";
import { followImport, statesBefore } from "../../app/import-follow";
import { previewImport } from "../../app/import-preview";
import type { SyncRequest } from "../../domain/sync-request";
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from "../../hr/roster/columns";
import { parseRoster } from "../../hr/roster/parse";
import { EventPublisher } from "../../queue/publisher";
import { queueDepth } from "../../queue/queue-depth";
import { loadWorkerConfig } from "../../runtime/config";
import { syncWorkerDeps } from "../../runtime/sync-worker";
import { AuditLog } from "../../store/audit";
import { RepairGrantRepository } from "../../store/grants";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { EXIT, UNREACHABLE_MEANING, USAGE_MEANING, withExitCodes } from "../exit";
import { type ImportReport, importExitCode, importReport, printImport } from "../import-report";
import { action, CliError, printJson, progressBar } from "../output";

export interface ImportFlags extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
  skipInvalid?: boolean;
  delimiter?: string;
  wait?: boolean;
  /** Seconds --wait waits at most. */
  waitTimeout?: number;
  /** Between two looks at the outcomes, in ms (tests make it short). */
  pollMs?: number;
}

const DEFAULT_WAIT_SECONDS = 600;

export function importCommand(): Command {
  const command = new Command("import")
    .description(
      "Load an HR roster export (CSV) into the service: one full-record event per row on the sync queue",
    )
    .argument(
      "<file>",
      `CSV with a header row: ${REQUIRED_COLUMNS.join(", ")}; optional ${OPTIONAL_COLUMNS.join(", ")} and attributes.<name> columns (any case)`,
    )
    .option(
      "--dry-run",
      "say what each row will do (create, adopt, update, not yet due, out of scope...); queue nothing",
    )
    .option("--skip-invalid", "queue the valid rows even when others are invalid")
    .option(
      "--delimiter <char>",
      "the field delimiter: , ; | or tab (default: detected from the header)",
      parseDelimiter,
    )
    .option("--wait", "follow the queued rows to their outcome, then summarise")
    .option(
      "--wait-timeout <seconds>",
      `how long --wait waits at most (default ${DEFAULT_WAIT_SECONDS})`,
      parseSeconds,
    )
    .option("--json", "print one JSON object instead of text")
    .option("--stage <name>", "deployment stage whose queue and tables to use (default dev)")
    .option("--rules <file>", "sync rules file for --dry-run (default config/sync-rules.yaml)")
    .action(action((file: string, flags: ImportFlags) => runImport(file, flags)));
  return withExitCodes(command, {
    [EXIT.ok]: "every row that should be queued was (and, with --wait, converged)",
    [EXIT.failed]:
      "invalid rows (nothing queued), rows not queued, rows the worker will refuse or refused, or rows still pending after --wait",
    [EXIT.usage]: `${USAGE_MEANING} (no such file, not CSV, unknown or missing columns)`,
    [EXIT.unreachable]: UNREACHABLE_MEANING,
  });
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runImport(
  file: string,
  flags: ImportFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const roster = parseRoster(await readRoster(file), file, { delimiter: flags.delimiter });
  const refused = roster.problems.length > 0 && !flags.skipInvalid;
  const now = new Date();
  // One run per import: the worker adopts an existing user only for an employee this run names.
  const runId = `import-${now.toISOString().replace(/[-:]|\.\d+/g, "")}-${randomBytes(2).toString("hex")}`;
  const events = refused
    ? []
    : roster.valid.map((row) => ({ line: row.line, event: importEvent(row.record, now, runId) }));
  const report = importReport(file, flags, roster, events, refused);

  if (events.length > 0) {
    const env = await withQueueUrls(await targetEnv(flags, base));
    const clients = clientsFor(env);
    try {
      // A dry run and --wait read what the worker reads; a plain import needs only the queue.
      const worker = () => {
        const config = loadWorkerConfig(env);
        return { config, deps: syncWorkerDeps(config, clients) };
      };
      if (flags.dryRun) {
        const { deps } = worker();
        const previews = await previewImport(
          events.map((e) => e.event.record).filter((r) => r !== undefined),
          deps,
        );
        report.setPreviews(previews);
      } else {
        const queueUrl = env.QUEUE_URL ?? "";
        await queueDepth(clients.sqs, queueUrl);
        const follow = flags.wait ? worker() : undefined;
        const before = follow ? await statesBefore(follow.deps.employees) : undefined;
        const all = events.map((e) => e.event);
        // The grants first: a queued event the worker cannot vouch for would be refused.
        await new RepairGrantRepository(clients.documents, env.RECONCILE_RUNS_TABLE ?? "").record(
          all.map((e) => ({ source: e.source, employeeId: e.employeeId, runId, origin: "import" })),
        );
        const bar = flags.json ? progressBar(0, "") : progressBar(all.length, "queueing");
        const published = await new EventPublisher(clients.sqs, queueUrl)
          .publish(all, (n) => bar.tick(n))
          .finally(() => bar.stop());
        report.setPublished(published);
        if (follow && before) {
          const queued = new Set(published.queued);
          const waitFor: SyncRequest[] = all.filter((e) => queued.has(e.eventId));
          const waiting = flags.json
            ? progressBar(0, "")
            : progressBar(waitFor.length, "converging");
          const followed = await followImport(
            waitFor,
            before,
            {
              employees: follow.deps.employees,
              audit: new AuditLog(clients.documents, follow.config.tables.audit, 0),
              pause: () => new Promise((resolve) => setTimeout(resolve, flags.pollMs ?? 1000)),
              now: Date.now,
            },
            {
              timeoutMs: (flags.waitTimeout ?? DEFAULT_WAIT_SECONDS) * 1000,
              onSettled: () => waiting.tick(),
            },
          ).finally(() => waiting.stop());
          report.setFollowed(followed);
        }
      }
    } finally {
      clients.close();
    }
  }

  const done: ImportReport = report.value();
  if (flags.json) printJson(done);
  else printImport(done);
  return importExitCode(done);
}

async function readRoster(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? String(error))}`,
      EXIT.usage,
    );
  }
}

function parseDelimiter(value: string): string {
  const delimiter = value === "tab" || value === "\\t" ? "\t" : value;
  if (![",", ";", "|", "\t"].includes(delimiter))
    throw new InvalidArgumentError("must be one of , ; | tab.");
  return delimiter;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError("must be a number of seconds > 0.");
  return seconds;
}
