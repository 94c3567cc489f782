/**
 * `connect-hr-sync redrive`: moves the messages waiting in the DLQ back to
 * the sync queue, once the reason they failed is fixed. Each message is sent
 * to the queue first (same body, same group) and deleted from the DLQ only
 * after that succeeded: a failure leaves it in the DLQ. `--dry-run` lists
 * what is there and why, and moves nothing.
 *
 * FIFO: SQS hands out one employee's messages in order and holds back the
 * rest of a group while one is in flight; a message that cannot be moved
 * keeps the ones behind it in the DLQ too, so that order is kept.
 *
 * Exit codes: 0 everything found was moved (or listed); 1 a message could
 * not be moved; 2 usage; 3 SQS could not be reached.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { Command, type CommanderError, InvalidArgumentError } from "commander";
import { clientsFor, type TargetOptions, targetEnv, withQueueUrls } from "../context";
import { EXIT } from "../exit";
import { action, CliError, colour, printJson, printTable, progressBar } from "../output";

/** How long received DLQ messages stay hidden from others while the run works on them. */
export const REDRIVE_VISIBILITY_SECONDS = 300;

export interface RedriveFlags extends Pick<TargetOptions, "stage"> {
  dryRun?: boolean;
  json?: boolean;
  max?: number;
}

export type RedriveOutcome =
  /** Dry run: seen and made visible again. */
  | "listed"
  | "moved"
  /** Could not be sent to the queue or deleted from the DLQ; still in the DLQ. */
  | "failed"
  /** Left in the DLQ behind a message of the same group that could not be moved. */
  | "held"
  /** Moved by this run, failed again and came back: left for the next run. */
  | "failed-again";

export interface RedriveMessage {
  messageId: string;
  groupId?: string;
  eventId?: string;
  employeeId?: string;
  errorName: string;
  reason: string;
  failedAt?: string;
  outcome: RedriveOutcome;
  /** The new message id on the sync queue. */
  movedTo?: string;
  /** Why it could not be moved. */
  error?: string;
}

export interface RedriveReport {
  dryRun: boolean;
  dlqUrl: string;
  queueUrl: string;
  found: number;
  moved: number;
  failed: number;
  messages: RedriveMessage[];
  /**
   * Messages still in the DLQ that this run did not see: behind a held group
   * in a dry run, beyond --max, or arrived meanwhile.
   */
  notSeen: number;
}

export function redriveCommand(): Command {
  return new Command("redrive")
    .description("Move the messages in the dead-letter queue back to the sync queue")
    .option("--dry-run", "list what is in the DLQ and why it failed; move nothing")
    .option("--max <n>", "move (or list) at most n messages", parseMax)
    .option("--json", "print one JSON object instead of text")
    .option("--stage <name>", "deployment stage whose queues to use (default dev)")
    .addHelpText(
      "after",
      "\nExit codes: 0 all moved (or listed), 1 some could not be moved, 2 usage, 3 SQS unreachable.",
    )
    .exitOverride(usageExit)
    .action(action((flags: RedriveFlags) => runRedrive(flags)));
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runRedrive(
  flags: RedriveFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const env = await withQueueUrls(await targetEnv({ stage: flags.stage }, base));
  const clients = clientsFor(env);
  try {
    const report = await redrive(clients.sqs, {
      dlqUrl: env.DLQ_URL ?? "",
      queueUrl: env.QUEUE_URL ?? "",
      dryRun: flags.dryRun === true,
      max: flags.max ?? Number.POSITIVE_INFINITY,
      showProgress: !flags.json,
    });
    if (flags.json) printJson(report);
    else printReport(report);
    return report.failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    clients.close();
  }
}

interface RedriveOptions {
  dlqUrl: string;
  queueUrl: string;
  dryRun: boolean;
  max: number;
  showProgress?: boolean;
}

export async function redrive(sqs: SQSClient, options: RedriveOptions): Promise<RedriveReport> {
  const { dlqUrl, queueUrl, dryRun } = options;
  const waiting = await depth(sqs, dlqUrl);
  const bar = options.showProgress
    ? progressBar(Math.min(waiting, options.max), dryRun ? "reading" : "moving")
    : progressBar(0, "");
  const messages: RedriveMessage[] = [];
  /** Received and left in the DLQ: made visible again at the end. */
  const keep: Message[] = [];
  /** Groups with a message that could not be moved: the messages behind it stay. */
  const blocked = new Set<string>();
  /** Ids on the sync queue of the messages this run moved. */
  const sent = new Set<string>();
  try {
    while (messages.length < options.max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: Math.min(10, options.max - messages.length),
          VisibilityTimeout: REDRIVE_VISIBILITY_SECONDS,
          MessageSystemAttributeNames: ["MessageGroupId"],
          MessageAttributeNames: ["All"],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const entry = describe(message);
        messages.push(entry);
        bar.tick();
        const source = message.MessageAttributes?.sourceMessageId?.StringValue;
        if (dryRun || (source !== undefined && sent.has(source))) {
          entry.outcome = dryRun ? "listed" : "failed-again";
          keep.push(message);
        } else if (blocked.has(entry.groupId ?? "")) {
          entry.outcome = "held";
          keep.push(message);
        } else {
          const moved = await move(sqs, message, entry, options);
          if (moved) sent.add(moved);
          else {
            keep.push(message);
            blocked.add(entry.groupId ?? "");
          }
        }
      }
    }
  } finally {
    bar.stop();
    // Best effort: what stays in the DLQ shows again at once, not after the visibility timeout.
    for (const message of keep) {
      await sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: dlqUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        )
        .catch(() => undefined);
    }
  }
  const count = (outcome: RedriveOutcome) => messages.filter((m) => m.outcome === outcome).length;
  const left = await depth(sqs, dlqUrl).catch(() => 0);
  return {
    dryRun,
    dlqUrl,
    queueUrl,
    found: messages.length,
    moved: count("moved"),
    failed: count("failed") + count("held"),
    messages,
    notSeen: Math.max(0, left - keep.length),
  };
}

/** Sends one message to the sync queue, then deletes it from the DLQ. Answers the new id, or undefined. */
async function move(
  sqs: SQSClient,
  message: Message,
  entry: RedriveMessage,
  options: RedriveOptions,
): Promise<string | undefined> {
  const messageId = message.MessageId ?? "";
  let movedTo: string | undefined;
  try {
    const answer = await sqs.send(
      new SendMessageCommand({
        QueueUrl: options.queueUrl,
        MessageBody: message.Body,
        MessageGroupId: entry.groupId ?? entry.employeeId ?? "unknown",
        MessageDeduplicationId: `redrive-${messageId}`.slice(0, 128),
      }),
    );
    movedTo = answer.MessageId;
  } catch (error) {
    entry.outcome = "failed";
    entry.error = `not sent to the queue: ${errorText(error)}`;
    return undefined;
  }
  try {
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: options.dlqUrl, ReceiptHandle: message.ReceiptHandle }),
    );
  } catch (error) {
    // It is on the queue and still in the DLQ: a later redrive sends it again, the worker's idempotency skips it.
    entry.outcome = "failed";
    entry.error = `sent to the queue but not deleted from the DLQ: ${errorText(error)}`;
    entry.movedTo = movedTo;
    return undefined;
  }
  entry.outcome = "moved";
  entry.movedTo = movedTo;
  return movedTo;
}

/** What the worker wrote beside the message; messages SQS moved after maxReceiveCount carry nothing. */
function describe(message: Message): RedriveMessage {
  const attributes = message.MessageAttributes ?? {};
  const attribute = (name: string) => attributes[name]?.StringValue;
  const ids = idsInBody(message.Body);
  const errorName = attribute("errorName");
  const entry: RedriveMessage = {
    messageId: message.MessageId ?? "",
    errorName: errorName ?? "retries exhausted",
    reason: attribute("reason") ?? "SQS moved it here after maxReceiveCount failed deliveries",
    outcome: "listed",
  };
  const groupId = message.Attributes?.MessageGroupId;
  const eventId = attribute("eventId") ?? ids.eventId;
  const employeeId = attribute("employeeId") ?? ids.employeeId;
  const failedAt = attribute("failedAt");
  if (groupId) entry.groupId = groupId;
  if (eventId) entry.eventId = eventId;
  if (employeeId) entry.employeeId = employeeId;
  if (failedAt) entry.failedAt = failedAt;
  return entry;
}

/** The event's ids from a message body, when it is an event at all. Nothing else is read. */
function idsInBody(body: string | undefined): { eventId?: string; employeeId?: string } {
  try {
    const parsed = JSON.parse(body ?? "") as { eventId?: unknown; employeeId?: unknown };
    return {
      ...(typeof parsed.eventId === "string" ? { eventId: parsed.eventId.slice(0, 128) } : {}),
      ...(typeof parsed.employeeId === "string"
        ? { employeeId: parsed.employeeId.slice(0, 64) }
        : {}),
    };
  } catch {
    return {};
  }
}

async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  try {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue")
      throw new CliError(`the queue ${queueUrl} does not exist: is --stage right?`, EXIT.usage);
    throw error;
  }
}

function errorText(error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: string }).code;
  return code && code !== err.name ? `${err.name} (${code})` : `${err.name}: ${err.message}`;
}

function printReport(report: RedriveReport): void {
  const write = (text: string) => process.stdout.write(`${text}\n`);
  if (report.found === 0) {
    write(`${colour.green("the DLQ is empty")}: nothing to redrive`);
    return;
  }
  printTable(
    report.dryRun
      ? ["message", "employee", "event", "error", "reason", "failed at"]
      : ["message", "employee", "event", "error", "outcome"],
    report.messages.map((m) => {
      const ids = [m.messageId, m.employeeId ?? "", m.eventId ?? "", m.errorName];
      if (report.dryRun) return [...ids, m.reason, m.failedAt ?? ""];
      return [...ids, m.error ? `${m.outcome}: ${m.error}` : m.outcome];
    }),
  );
  if (report.dryRun) {
    write(`${report.found} message(s) in the DLQ; ${colour.yellow("dry run")}: nothing was moved`);
  } else {
    const failed = report.failed > 0 ? colour.red(`${report.failed} left in the DLQ`) : "0 left";
    write(`${colour.green(`${report.moved} moved`)} to the sync queue, ${failed}`);
    const again = report.messages.filter((m) => m.outcome === "failed-again").length;
    if (again > 0)
      write(`${again} moved message(s) failed again during this run and are back in the DLQ`);
  }
  if (report.notSeen > 0) {
    write(
      `${report.notSeen} more message(s) in the DLQ were not ${report.dryRun ? "listed" : "moved"}` +
        (report.dryRun
          ? ": FIFO shows one employee's later messages only once the earlier ones are moved"
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

/** Commander's own usage errors (unknown option, bad value) exit 2; help exits 0. */
function usageExit(error: CommanderError): never {
  const informational = ["commander.helpDisplayed", "commander.help", "commander.version"];
  process.exit(informational.includes(error.code) ? EXIT.ok : EXIT.usage);
}
