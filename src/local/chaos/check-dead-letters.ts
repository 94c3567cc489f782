import type { ConvergenceInput, ConvergenceReport } from "./convergence";
import type { ExpectedDeadLetter } from "./history";

export function checkDeadLetters(
  input: ConvergenceInput,
  note: (problem: string) => void,
): ConvergenceReport["deadLetters"] {
  const expectedEvents = new Map<string, ExpectedDeadLetter>();
  for (const history of input.histories)
    for (const letter of history.deadLetters) expectedEvents.set(letter.eventId, letter);
  const expectedBodies = new Set(input.garbage.map((g) => g.body));
  const seenEvents = new Set<string>();
  const seenGarbage = new Set<string>();
  let unexpected = 0;
  for (const message of input.deadLetters) {
    const { errorName, reason, eventId } = message.attributes;
    if (!errorName || !reason || reason === "-") {
      unexpected += 1;
      note(
        `a DLQ message has no reason (moved there by SQS after ${message.receiveCount ?? "?"} receives): ${message.body.slice(0, 120)}`,
      );
      continue;
    }
    const expected = eventId ? expectedEvents.get(eventId) : undefined;
    if (expected) {
      seenEvents.add(expected.eventId);
      if (expected.errorName !== errorName) {
        unexpected += 1;
        note(`${expected.employeeId}: DLQ says ${errorName}, expected ${expected.errorName}`);
      }
      continue;
    }
    if (errorName === "InvalidEventError" && expectedBodies.has(message.body)) {
      seenGarbage.add(message.body);
      continue;
    }
    unexpected += 1;
    note(
      `unexpected DLQ message: ${errorName} for ${eventId ?? "no event"}: ${reason.slice(0, 160)}`,
    );
  }
  const missing =
    [...expectedEvents.keys()].filter((id) => !seenEvents.has(id)).length +
    [...expectedBodies].filter((b) => !seenGarbage.has(b)).length;
  if (missing > 0) note(`${missing} invalid inputs are not in the DLQ`);
  return {
    expected: expectedEvents.size + expectedBodies.size,
    found: input.deadLetters.length,
    unexpected,
    missing,
  };
}
