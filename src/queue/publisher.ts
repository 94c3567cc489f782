import { createHash } from "node:crypto";
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type EventQueue, type PublishResult, sqsSafeJson } from "../app/ports/queue";
import { employeeKey } from "../domain/employee-key";
import type { SyncRequest } from "../domain/sync-request";

// Where the chaos harness (src/local) has always found it; its home is the queue port.
export { sqsSafeJson } from "../app/ports/queue";

/**
 * Puts HR events on the FIFO queue: group = the employee of one source (one
 * employee's events in order), deduplication id = a digest of source,
 * employee and eventId (a repeated delivery is dropped by SQS within five
 * minutes and by the worker's idempotency after that; eventIds are the
 * senders', and two senders may use the same).
 */
export class EventPublisher implements EventQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly attempts = 3,
  ) {}

  /** `onSent` is told how many events each batch settled, for progress. */
  async publish(
    events: readonly SyncRequest[],
    onSent?: (count: number) => void,
  ): Promise<PublishResult> {
    const queued: string[] = [];
    const failed: PublishResult["failed"] = [];
    for (let start = 0; start < events.length; start += 10) {
      const chunk = events.slice(start, start + 10);
      const result = await this.sendChunk(chunk);
      queued.push(...result.queued);
      failed.push(...result.failed);
      onSent?.(chunk.length);
    }
    return { queued, failed };
  }

  private async sendChunk(chunk: readonly SyncRequest[]): Promise<PublishResult> {
    const byEntryId = new Map(chunk.map((event, index) => [`e${index}`, event]));
    const eventIdOf = (entryId: string | undefined) => byEntryId.get(entryId ?? "")?.eventId ?? "";
    let pending: SendMessageBatchRequestEntry[] = [...byEntryId].map(([Id, event]) => ({
      Id,
      MessageBody: sqsSafeJson(event),
      MessageGroupId: employeeKey(event),
      MessageDeduplicationId: deduplicationId(event),
    }));
    const queued: string[] = [];
    const refusedForGood: PublishResult["failed"] = [];
    let lastFailure = "Unknown";
    for (let attempt = 1; attempt <= this.attempts && pending.length > 0; attempt++) {
      // Entries SQS did not take for a passing reason get another chance, a little later each time.
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      try {
        const answer = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        for (const ok of answer.Successful ?? []) queued.push(eventIdOf(ok.Id));
        const refused = new Map((answer.Failed ?? []).map((f) => [f.Id, f]));
        // A sender fault (a malformed entry) will not pass on a retry; anything else may.
        for (const f of refused.values()) {
          if (f.SenderFault)
            refusedForGood.push({ eventId: eventIdOf(f.Id), code: f.Code ?? "SenderFault" });
          else lastFailure = f.Code ?? "Unknown";
        }
        pending = pending.filter(
          (entry) => refused.has(entry.Id) && !refused.get(entry.Id)?.SenderFault,
        );
      } catch (error) {
        lastFailure = error instanceof Error ? error.name : "Unknown";
      }
    }
    const failed = [
      ...refusedForGood,
      ...pending.map((entry) => ({ eventId: eventIdOf(entry.Id), code: lastFailure })),
    ];
    return { queued, failed };
  }
}

/** One event of one employee of one source, in the 128 characters SQS allows. */
export function deduplicationId(event: Pick<SyncRequest, "source" | "employeeId" | "eventId">) {
  return createHash("sha256")
    .update(`${event.source}\n${event.employeeId}\n${event.eventId}`)
    .digest("hex");
}
