import type { RecordOutcome } from "../app/process-message";
import { colour } from "./output";

/**
 * What the worker did with one message, in a few words: a duplicate made no
 * call and says so (with what the first delivery did), a dead letter its
 * error, anything else its result and the Connect calls it made.
 */
export function outcomeText(outcome: RecordOutcome): string {
  const who = outcome.employeeId ?? "(unreadable message)";
  if ("duplicate" in outcome && outcome.duplicate)
    return `${who} duplicate, skipped (no call; the first delivery: ${outcome.result})`;
  if (outcome.result === "dead-lettered")
    return `${who} ${colour.red("sent to the DLQ")} (${outcome.errorName})`;
  const calls =
    "operations" in outcome && outcome.operations.length > 0
      ? ` (${outcome.operations.join(", ")})`
      : "";
  return `${who} ${outcome.result}${calls}`;
}
