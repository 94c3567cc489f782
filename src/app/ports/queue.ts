import type { SyncRequest } from "../../domain/sync-request";

export interface PublishResult {
  /** eventIds SQS accepted. */
  queued: string[];
  /** eventIds still refused after the retries: the caller must not report them as accepted. */
  failed: { eventId: string; code: string }[];
}

/** The sync queue: events in order per employee, each delivered once per eventId. */
export interface EventQueue {
  publish(events: readonly SyncRequest[]): Promise<PublishResult>;
}

/** Why a message could never succeed; stored beside it in the DLQ. Never personal data. */
export interface DeadLetterReason {
  errorName: string;
  reason: string;
  employeeId?: string;
  eventId?: string;
}

/** A queue message as the worker received it. */
export interface QueueMessage {
  messageId: string;
  body: string;
  groupId?: string;
  deduplicationId?: string;
}

/** Where a message that can never succeed goes at once, with its reason. */
export interface DeadLetters {
  send(message: QueueMessage, why: DeadLetterReason, now: Date): Promise<void>;
}
