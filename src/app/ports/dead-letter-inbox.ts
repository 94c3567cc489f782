/** A message waiting in the DLQ, with what the worker wrote beside it. */
export interface DeadLetter {
  messageId: string;
  /** Opaque: what removing or releasing this receipt of the message needs. */
  receipt: string;
  body: string;
  groupId?: string;
  /** The worker's reason; all absent when SQS moved the message after maxReceiveCount. */
  errorName?: string;
  reason?: string;
  failedAt?: string;
  /** The message's id on the sync queue when it failed. */
  sourceMessageId?: string;
  eventId?: string;
  employeeId?: string;
}

/** The DLQ as `redrive` works it: read, hand back to the sync queue, remove or release. */
export interface DeadLetterInbox {
  /** Messages in the DLQ, visible or in flight. */
  waiting(): Promise<number>;
  /** Up to `max` (at most 10) messages, hidden from other readers for `hideSeconds`. */
  receive(max: number, hideSeconds: number): Promise<DeadLetter[]>;
  /** Sends the message to the sync queue again (same body, same group); answers its new id. */
  requeue(letter: DeadLetter): Promise<string | undefined>;
  remove(letter: DeadLetter): Promise<void>;
  /** Visible again at once, instead of after the hiding time. */
  release(letter: DeadLetter): Promise<void>;
}
