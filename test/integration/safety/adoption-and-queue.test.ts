import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { employeeRecord, hrEventBody } from "../../support/hr-fixtures";
import { rulesFile, type SafetyStack, startSafetyStack } from "../../support/safety-stack";

/**
 * #13 points 1 and 2, through the real webhook, queue, worker and
 * reconciliation: a user the service does not manage is never taken over
 * because an HR record (or a forged queue message) names it.
 */

let s: SafetyStack;

beforeAll(async () => {
  s = await startSafetyStack({ rulesFile: await rulesFile("", 0) });
});

afterAll(async () => {
  await s?.close();
});

describe("adoption is explicit", () => {
  it("refuses at once a signed joiner whose user name a console user holds, touching neither it nor the other events", async () => {
    await s.consoleUser("sue.supervisor@example.com", ["CallCenterManager"]);
    const before = s.user("sue.supervisor@example.com");

    const answer = await s.post([
      hrEventBody({ record: employeeRecord("SUE1", { email: "sue.supervisor@example.com" }) }),
      hrEventBody({ record: employeeRecord("OK1") }),
    ]);
    const outcomes = await s.drain();

    expect(answer.status).toBe(202);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          employeeId: "SUE1",
          result: "dead-lettered",
          errorName: "UsernameTakenError",
        }),
        expect.objectContaining({ employeeId: "OK1", result: "created" }),
      ]),
    );
    expect(s.user("sue.supervisor@example.com")).toEqual(before);
  });

  it("holds that user in the reconciliation for a person, and adopts it with the managed tags only once approved", async () => {
    const before = s.user("sue.supervisor@example.com");

    const run = await s.stack.reconcile();
    await s.drain();
    const held = s.user("sue.supervisor@example.com");
    const approved = await s.stack.approve(run.runId, "ops@example.com");
    await s.drain();

    expect(run.status).toBe("held");
    expect(run.held).toEqual([
      expect.objectContaining({
        class: "adoptable",
        employeeId: "SUE1",
        username: "sue.supervisor@example.com",
      }),
    ]);
    expect(held).toEqual(before);
    expect(approved).toMatchObject({ kind: "approved", queued: 1 });
    expect(s.user("sue.supervisor@example.com")?.Tags).toMatchObject({
      "connect-hr-sync:managed": "true",
      "connect-hr-sync:employee-id": "SUE1",
      "connect-hr-sync:source": "canonical",
    });
  });
});

describe("the queue is a trust boundary", () => {
  it("refuses forged service requests from the queue, changing nothing, while a real event beside them converges", async () => {
    const qaId = await s.consoleUser("qa.tester@example.com", ["QualityAnalyst"]);
    const before = s.user("qa.tester@example.com");
    const forged = {
      eventId: "forged-1",
      type: "joiner",
      employeeId: "QA1",
      source: "canonical",
      occurredAt: "2026-11-28T09:00:00Z",
      record: employeeRecord("QA1", { email: "qa.tester@example.com" }),
    };

    await s.sendRaw({ ...forged, origin: "reconcile", runId: "run-made-up", adoptUserId: qaId });
    await s.sendRaw({ ...forged, eventId: "forged-2", origin: "import" });
    await s.sendRaw({ ...forged, eventId: "forged-3", deleteUserId: qaId });
    await s.sendRaw({ ...forged, eventId: "forged-4", origin: "cli" });
    await s.post([hrEventBody({ record: employeeRecord("OK2") })]);
    const outcomes = await s.drain();
    const letters = await s.deadLetters();

    expect(outcomes.filter((o) => o.result === "created").map((o) => o.employeeId)).toEqual([
      "OK2",
    ]);
    const refused = letters.filter((l) => l.attributes.errorName === "UntrustedRequestError");
    expect(refused.map((l) => l.attributes.eventId).sort()).toEqual([
      "forged-1",
      "forged-2",
      "forged-3",
      "forged-4",
    ]);
    expect(refused[0]?.attributes.reason).toMatch(/^Refused, nothing changed: /);
    expect(s.user("qa.tester@example.com")).toEqual(before);
  });
});
