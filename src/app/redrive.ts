import type { DeadLetter, DeadLetterInbox } from "./ports/dead-letter-inbox";

/** How long received DLQ messages stay hidden from others while a run works on them. */
export const REDRIVE_VISIBILITY_SECONDS = 300;

export type RedriveOutcome =
  /** Dry run: seen and made visible again. */
  | "listed"
  | "moved"
  /** Could not be sent to the queue or deleted from the DLQ; still in the DLQ. */
  | "failed"
  /** Left in the DLQ behind a message of the same group that could not be moved. */
  | "held"
  /** Moved by this run, failed again and came back: left for the next run. */
  | "failed-again"
  /** Its failure is in the message itself: left in the DLQ (moved only with includePermanent). */
  | "skipped";

export interface RedriveMessage {
  messageId: string;
  groupId?: string;
  eventId?: string;
  employeeId?: string;
  errorName: string;
  reason: string;
  failedAt?: string;
  /** Sent again as it is, it fails again the same way (an invalid event, or the record it carries). */
  failsAgain: boolean;
  outcome: RedriveOutcome;
  /** The new message id on the sync queue. */
  movedTo?: string;
  /** Why it could not be moved. */
  error?: string;
}

export interface RedriveReport {
  dryRun: boolean;
  found: number;
  moved: number;
  /** Left in the DLQ because they could not be moved (failed, held). */
  failed: number;
  /** Left in the DLQ because they would fail again. */
  skipped: number;
  messages: RedriveMessage[];
  /**
   * Messages still in the DLQ that this run did not see: behind a held or
   * skipped group, beyond `max`, or arrived meanwhile.
   */
  notSeen: number;
}

export interface RedriveOptions {
  dryRun: boolean;
  max: number;
  /** Move messages that will fail again too. */
  includePermanent?: boolean;
  /** Told about each message as it is seen, for progress. */
  onMessage?: (message: RedriveMessage, waiting: number) => void;
}

/**
 * A failure that lies in the message itself: an event the worker could not
 * read, a request claiming to be the service's own that no grant backs (a
 * forged or expired repair: the worker refuses it every time), or a record it
 * carries that cannot become a user. A thin event's record is read from HR
 * again, so fixing it in HR is enough.
 */
export function failsAgain(letter: Pick<DeadLetter, "errorName" | "body">): boolean {
  if (letter.errorName === "InvalidEventError" || letter.errorName === "UntrustedRequestError")
    return true;
  if (letter.errorName !== "InvalidRecordError") return false;
  try {
    const record = (JSON.parse(letter.body) as { record?: unknown }).record;
    return record !== null && typeof record === "object";
  } catch {
    return true;
  }
}

/**
 * Moves the DLQ's messages back to the sync queue, once the reason they
 * failed is fixed. Each is sent first and deleted from the DLQ only after
 * that succeeded: a failure leaves it in the DLQ. FIFO hands out one
 * employee's messages in order and holds back the rest of a group while one
 * is in flight; a message that cannot be moved keeps the ones behind it in
 * the DLQ too, so that order is kept.
 */
export async function redrive(
  inbox: DeadLetterInbox,
  options: RedriveOptions,
): Promise<RedriveReport> {
  const waiting = await inbox.waiting();
  const messages: RedriveMessage[] = [];
  /** Received and left in the DLQ: made visible again at the end. */
  const keep: DeadLetter[] = [];
  /** Groups with a message that could not be moved: the messages behind it stay. */
  const blocked = new Set<string>();
  /** Ids on the sync queue of the messages this run moved. */
  const sent = new Set<string>();
  try {
    while (messages.length < options.max) {
      const letters = await inbox.receive(
        options.max - messages.length,
        REDRIVE_VISIBILITY_SECONDS,
      );
      if (letters.length === 0) break;
      for (const letter of letters) {
        const entry = describe(letter);
        messages.push(entry);
        const movedBefore =
          letter.sourceMessageId !== undefined && sent.has(letter.sourceMessageId);
        if (options.dryRun || movedBefore) {
          entry.outcome = options.dryRun ? "listed" : "failed-again";
          keep.push(letter);
        } else if (blocked.has(entry.groupId ?? "")) {
          entry.outcome = "held";
          keep.push(letter);
        } else if (entry.failsAgain && !options.includePermanent) {
          entry.outcome = "skipped";
          keep.push(letter);
        } else {
          const movedTo = await move(inbox, letter, entry);
          if (movedTo) sent.add(movedTo);
          else {
            keep.push(letter);
            blocked.add(entry.groupId ?? "");
          }
        }
        options.onMessage?.(entry, waiting);
      }
    }
  } finally {
    // Best effort: what stays in the DLQ shows again at once, not after the visibility timeout.
    for (const letter of keep) await inbox.release(letter).catch(() => undefined);
  }
  const count = (outcome: RedriveOutcome) => messages.filter((m) => m.outcome === outcome).length;
  const left = await inbox.waiting().catch(() => 0);
  return {
    dryRun: options.dryRun,
    found: messages.length,
    moved: count("moved"),
    failed: count("failed") + count("held"),
    skipped: count("skipped"),
    messages,
    notSeen: Math.max(0, left - keep.length),
  };
}

/** Sends one message to the sync queue, then deletes it from the DLQ. Answers the new id, or undefined. */
async function move(
  inbox: DeadLetterInbox,
  letter: DeadLetter,
  entry: RedriveMessage,
): Promise<string | undefined> {
  let movedTo: string | undefined;
  try {
    movedTo = await inbox.requeue(letter);
  } catch (error) {
    entry.outcome = "failed";
    entry.error = `not sent to the queue: ${errorText(error)}`;
    return undefined;
  }
  try {
    await inbox.remove(letter);
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
function describe(letter: DeadLetter): RedriveMessage {
  const entry: RedriveMessage = {
    messageId: letter.messageId,
    errorName: letter.errorName ?? "retries exhausted",
    reason: letter.reason ?? "SQS moved it here after maxReceiveCount failed deliveries",
    failsAgain: failsAgain(letter),
    outcome: "listed",
  };
  if (letter.groupId) entry.groupId = letter.groupId;
  if (letter.eventId) entry.eventId = letter.eventId;
  if (letter.employeeId) entry.employeeId = letter.employeeId;
  if (letter.failedAt) entry.failedAt = letter.failedAt;
  return entry;
}

function errorText(error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: string }).code;
  return code && code !== err.name ? `${err.name} (${code})` : `${err.name}: ${err.message}`;
}
