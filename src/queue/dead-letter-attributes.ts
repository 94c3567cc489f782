/**
 * The message attributes written beside a dead letter (by the worker's
 * DeadLetterQueue) and read back (by DeadLetterReader, for `redrive`): one
 * table, so that the two cannot drift apart.
 */
export const DLQ_ATTRIBUTES = {
  errorName: "errorName",
  reason: "reason",
  failedAt: "failedAt",
  /** The message id on the sync queue: a redriven message that fails again is known by it. */
  sourceMessageId: "sourceMessageId",
  eventId: "eventId",
  employeeId: "employeeId",
} as const;
