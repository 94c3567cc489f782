import { describe, expect, it } from "vitest";
import { UsernameTakenError } from "../../../src/app/errors";
import type { QueueMessage } from "../../../src/app/ports/queue";
import {
  type ConvergeOutcome,
  type MessageDeps,
  processMessage,
  type WorkerObserver,
} from "../../../src/app/process-message";
import type { SyncRequest } from "../../../src/domain/sync-request";
import { MemoryDeadLetters } from "../../support/fakes/stores";
import { hrEvent } from "../../support/hr-fixtures";

function message(body: unknown): QueueMessage {
  return {
    messageId: "m-1",
    body: typeof body === "string" ? body : JSON.stringify(body),
    groupId: "E1001",
    deduplicationId: "evt-1",
  };
}

/** The worker's per-message policy around a converge that answers or throws as told. */
function policy(converge: (event: SyncRequest) => Promise<ConvergeOutcome>) {
  const deadLetters = new MemoryDeadLetters();
  const seen: string[] = [];
  const observer: WorkerObserver = {
    processed: (event, outcome) => seen.push(`processed ${event.eventId} ${outcome.result}`),
    willRetry: (event) => seen.push(`retry ${event.eventId}`),
    deadLettered: (_, errorName) => seen.push(`dead-lettered ${errorName}`),
  };
  const grants = { find: async () => undefined };
  const deps: MessageDeps = {
    converge,
    grants,
    deadLetters,
    observer,
    now: () => new Date("2026-12-01T10:00:00Z"),
  };
  return { deps, deadLetters, seen };
}

const created = (event: SyncRequest): ConvergeOutcome => ({
  result: "created",
  employeeId: event.employeeId,
  eventId: event.eventId,
  operations: ["CreateUser"],
  facets: [],
});

describe("the worker's policy for one queue message", () => {
  it("converges a valid event and reports what it did", async () => {
    const { deps, seen } = policy(async (event) => created(event));
    const event = hrEvent();

    const outcome = await processMessage(message(event), deps);

    expect(outcome.result).toBe("created");
    expect(seen).toEqual([`processed ${event.eventId} created`]);
  });

  it("sends a body that is not an HR event to the DLQ at once, naming the fields", async () => {
    const { deps, deadLetters } = policy(async () => {
      throw new Error("must not be called");
    });

    const outcome = await processMessage(message({ eventId: "evt-1", type: "hire" }), deps);

    expect(outcome).toEqual({
      result: "dead-lettered",
      errorName: "InvalidEventError",
      employeeId: undefined,
      eventId: undefined,
    });
    expect(deadLetters.letters[0]?.why.reason).toContain("type");
    expect(deadLetters.letters[0]?.message.messageId).toBe("m-1");
  });

  it("sends a permanent failure to the DLQ with its reason and the event's ids", async () => {
    const { deps, deadLetters } = policy(async () => {
      throw new UsernameTakenError("a user this service does not manage");
    });
    const event = hrEvent();

    const outcome = await processMessage(message(event), deps);

    expect(outcome).toMatchObject({ result: "dead-lettered", errorName: "UsernameTakenError" });
    expect(deadLetters.letters[0]?.why).toMatchObject({
      errorName: "UsernameTakenError",
      employeeId: event.employeeId,
      eventId: event.eventId,
    });
  });

  it("refuses an event dated more than 5 minutes ahead of the clock, from whichever sender, without converging", async () => {
    const { deps, deadLetters } = policy(async () => {
      throw new Error("must not be called");
    });
    const event = hrEvent({ occurredAt: "2026-12-01T10:06:00Z" });

    const outcome = await processMessage(message(event), deps);

    expect(outcome).toMatchObject({ result: "dead-lettered", errorName: "InvalidEventError" });
    expect(deadLetters.letters[0]?.why.reason).toContain("occurredAt is more than 5 minutes ahead");
  });

  it("throws a passing failure so that SQS delivers the message again, and sends nothing to the DLQ", async () => {
    const { deps, deadLetters, seen } = policy(async () => {
      throw Object.assign(new Error("throttled"), { name: "ConnectTransientError" });
    });
    const event = hrEvent();

    await expect(processMessage(message(event), deps)).rejects.toThrow("throttled");
    expect(deadLetters.letters).toEqual([]);
    expect(seen).toEqual([`retry ${event.eventId}`]);
  });
});
