/**
 * `connect-hr-sync redrive`: moves the messages waiting in the DLQ back to
 * the sync queue, once the reason they failed is fixed (the use case in
 * app/redrive.ts, on the DLQ reader). A message whose failure is in the
 * message itself is left where it is unless --include-permanent: sent
 * again, it would fail again. `--dry-run` lists what is there and why.
 */
import { Command, InvalidArgumentError } from "commander";
import { type RedriveReport, redrive } from "../../app/redrive";
import { DeadLetterReader } from "../../queue/dead-letter-reader";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { EXIT, USAGE_MEANING, withExitCodes } from "../exit";
import { action, colour, printJson, printTable, progressBar } from "../output";

export interface RedriveFlags extends Pick<TargetOptions, "stage"> {
  dryRun?: boolean;
  json?: boolean;
  max?: number;
  includePermanent?: boolean;
}

export type RedriveCommandReport = RedriveReport & { dlqUrl: string; queueUrl: string };

export function redriveCommand(): Command {
  const command = new Command("redrive")
    .description("Move the messages in the dead-letter queue back to the sync queue")
    .option("--dry-run", "list what is in the DLQ and why it failed; move nothing")
    .option("--max <n>", "move (or list) at most n messages", parseMax)
    .option(
      "--include-permanent",
      "move messages that will fail again too (an invalid event, or the invalid record it carries)",
    )
    .option("--json", "print one JSON object instead of text")
    .option("--stage <name>", "deployment stage whose queues to use (default dev)")
    .action(action((flags: RedriveFlags) => runRedrive(flags)));
  return withExitCodes(command, {
    [EXIT.ok]: "every message found was moved (or listed)",
    [EXIT.failed]: "messages are left in the DLQ: they could not be moved, or would fail again",
    [EXIT.usage]: `${USAGE_MEANING} (a queue that does not exist)`,
    [EXIT.unreachable]: "SQS could not be reached",
  });
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runRedrive(
  flags: RedriveFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const env = await withQueueUrls(await targetEnv({ stage: flags.stage }, base));
  const dlqUrl = env.DLQ_URL ?? "";
  const queueUrl = env.QUEUE_URL ?? "";
  const clients = clientsFor(env);
  let bar: ReturnType<typeof progressBar> | undefined;
  try {
    const report = await redrive(new DeadLetterReader(clients.sqs, dlqUrl, queueUrl), {
      dryRun: flags.dryRun === true,
      max: flags.max ?? Number.POSITIVE_INFINITY,
      includePermanent: flags.includePermanent,
      onMessage: (_, waiting) => {
        if (flags.json) return;
        bar ??= progressBar(
          Math.min(waiting, flags.max ?? waiting),
          flags.dryRun ? "reading" : "moving",
        );
        bar.tick();
      },
    });
    bar?.stop();
    const full: RedriveCommandReport = { ...report, dlqUrl, queueUrl };
    if (flags.json) printJson(full);
    else printRedrive(full);
    return report.failed > 0 || report.skipped > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    bar?.stop();
    clients.close();
  }
}

/** The report for people: a table of the messages, then what was moved and what was not. */
export function printRedrive(report: RedriveCommandReport): void {
  const write = (text: string) => process.stdout.write(`${text}\n`);
  if (report.found === 0) {
    write(`${colour.green("the DLQ is empty")}: nothing to redrive`);
    return;
  }
  const again = (failsAgain: boolean) => (failsAgain ? "yes" : "");
  printTable(
    report.dryRun
      ? ["message", "employee", "event", "error", "reason", "failed at", "fails again"]
      : ["message", "employee", "event", "error", "outcome"],
    report.messages.map((m) => {
      const ids = [m.messageId, m.employeeId ?? "", m.eventId ?? "", m.errorName];
      if (report.dryRun) return [...ids, m.reason, m.failedAt ?? "", again(m.failsAgain)];
      return [...ids, m.error ? `${m.outcome}: ${m.error}` : m.outcome];
    }),
  );
  if (report.dryRun) {
    write(`${report.found} message(s) in the DLQ; ${colour.yellow("dry run")}: nothing was moved`);
    const permanent = report.messages.filter((m) => m.failsAgain).length;
    if (permanent > 0)
      write(
        `${permanent} would fail again as they are and are not moved without --include-permanent`,
      );
  } else {
    const failed = report.failed > 0 ? colour.red(`${report.failed} left in the DLQ`) : "0 left";
    write(`${colour.green(`${report.moved} moved`)} to the sync queue, ${failed}`);
    const again = report.messages.filter((m) => m.outcome === "failed-again").length;
    if (again > 0)
      write(`${again} moved message(s) failed again during this run and are back in the DLQ`);
  }
  if (report.skipped > 0) {
    write(
      `${colour.red(`${report.skipped} not moved`)}: their failure is in the message itself ` +
        "(an invalid event, or the invalid record it carries), so they would fail again. " +
        "Fix the record in HR (its next event converges the employee), or move them anyway with --include-permanent.",
    );
  }
  if (report.notSeen > 0) {
    write(
      `${report.notSeen} more message(s) in the DLQ were not ${report.dryRun ? "listed" : "moved"}` +
        (report.dryRun || report.skipped > 0
          ? ": FIFO shows one employee's later messages only once the earlier ones are gone"
          : ""),
    );
  }
}

function parseMax(value: string): number {
  const max = Number(value);
  if (!Number.isInteger(max) || max < 1)
    throw new InvalidArgumentError("must be a whole number >= 1.");
  return max;
}
