import type { SyncRequest } from "../../domain/sync-request";

export interface PublishResult {
  /** eventIds SQS accepted. */
  queued: string[];
  /** eventIds still refused after the retries: the caller must not report them as accepted. */
  failed: { eventId: string; code: string }[];
}

/**
 * JSON for an SQS message body. SQS refuses U+FFFE and U+FFFF, which
 * JSON.stringify leaves as they are (it escapes control characters and lone
 * surrogates already), so they are written as \u escapes; so are characters
 * beyond U+FFFF (emoji, rare CJK in names), which SQS accepts but local
 * stand-ins may not. JSON.parse reads the same value back.
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]/g, (chars) =>
    [...Array(chars.length).keys()]
      .map((i) => `\\u${chars.charCodeAt(i).toString(16).padStart(4, "0")}`)
      .join(""),
  );
}

/** The sync queue: events in order per employee, each delivered once per eventId; each body is `sqsSafeJson`. */
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
