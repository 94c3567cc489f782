import { aheadOfClockProblem } from "../domain/clock";
import { jsonString } from "../domain/json-string";
import { type SyncRequest, syncRequestSchema } from "../domain/sync-request";
import { describeProblems, fieldProblems } from "../domain/validation";
import { permanentFailure } from "./errors";
import type { RepairGrants } from "./ports/grants";
import type { DeadLetters, QueueMessage } from "./ports/queue";
import type { SyncOutcome } from "./sync/sync-employee";
import { trustedRequest } from "./trusted-request";

/** The queue message body: one canonical HR event as JSON. */
export const queueMessageSchema = jsonString(syncRequestSchema);

export type ConvergeOutcome = SyncOutcome & { duplicate?: boolean };

export type RecordOutcome =
  | ConvergeOutcome
  | { result: "dead-lettered"; errorName: string; employeeId?: string; eventId?: string };

/** Told what the worker did with each message, for logs and metrics (ids and outcomes only). */
export interface WorkerObserver {
  processed(event: SyncRequest, outcome: ConvergeOutcome): void;
  willRetry(event: SyncRequest, error: unknown): void;
  deadLettered(message: QueueMessage, errorName: string, event?: SyncRequest): void;
}

export interface MessageDeps {
  /** Converges one event, idempotently: a repeat answers the first outcome, marked duplicate. */
  converge(event: SyncRequest): Promise<ConvergeOutcome>;
  /** What the service recorded it asked for: the queue's senders are not trusted. */
  grants: Pick<RepairGrants, "find">;
  deadLetters: DeadLetters;
  observer: WorkerObserver;
  now: () => Date;
}

/**
 * What the sync-worker does with one queue message: parse the body, converge
 * the employee, and send a permanent failure to the DLQ at once with its
 * reason. A transient failure is thrown so that SQS delivers the message again.
 */
export async function processMessage(
  message: QueueMessage,
  deps: MessageDeps,
): Promise<RecordOutcome> {
  const parsed = queueMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    return deadLetter(message, deps, {
      errorName: "InvalidEventError",
      reason: `The message is not a valid HR event: ${describeProblems(fieldProblems(parsed.error))}`,
    });
  }
  const event = parsed.data;
  const ahead = aheadOfClockProblem("occurredAt", event.occurredAt, deps.now());
  if (ahead) {
    // Whoever sent it, an event dated ahead of our clock would freeze the employee: refused.
    return deadLetter(
      message,
      deps,
      { errorName: "InvalidEventError", reason: `The event's ${ahead.path} ${ahead.message}` },
      event,
    );
  }
  try {
    const trusted = await trustedRequest(event, deps.grants);
    if ("untrusted" in trusted) {
      return deadLetter(
        message,
        deps,
        {
          errorName: "UntrustedRequestError",
          reason: `Refused, nothing changed: ${trusted.untrusted}`,
        },
        event,
      );
    }
    const outcome = await deps.converge(trusted.request);
    deps.observer.processed(event, outcome);
    return outcome;
  } catch (error) {
    const failure = permanentFailure(error);
    if (!failure) {
      deps.observer.willRetry(event, error);
      throw error;
    }
    return deadLetter(message, deps, failure, event);
  }
}

async function deadLetter(
  message: QueueMessage,
  deps: MessageDeps,
  failure: { errorName: string; reason: string },
  event?: SyncRequest,
): Promise<RecordOutcome> {
  const ids = { employeeId: event?.employeeId, eventId: event?.eventId };
  await deps.deadLetters.send(message, { ...failure, ...ids }, deps.now());
  deps.observer.deadLettered(message, failure.errorName, event);
  return { result: "dead-lettered", errorName: failure.errorName, ...ids };
}
