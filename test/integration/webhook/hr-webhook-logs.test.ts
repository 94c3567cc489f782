import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signBambooHrWebhook } from "../../../src/hr/bamboohr/webhook";
import { newStandardWebhookSecret, signStandardWebhook } from "../../../src/hr/signatures";
import { BAMBOOHR_KEY, startWebhookStack, type WebhookStack } from "../../support/webhook-stack";

const sampleText = (path: string) =>
  readFileSync(new URL(`../../../events/hr/${path}.json`, import.meta.url), "utf8");

let stack: WebhookStack;

beforeAll(async () => {
  // The logger takes its level when the handler's modules load; each invocation resets it to that.
  stack = await startWebhookStack({ env: { POWERTOOLS_LOG_LEVEL: "DEBUG" } });
});

afterAll(async () => {
  await stack?.close();
});

/** Everything the handler wrote to stdout and stderr (warnings, errors) while `act` ran. */
async function logsOf(act: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(capture),
    vi.spyOn(process.stderr, "write").mockImplementation(capture),
  ];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written.join("");
}

describe("what the hr-webhook handler logs", () => {
  it("logs ids, counts and outcomes, never names, e-mails, bodies, signatures or secrets", async () => {
    const joiner = sampleText("canonical/joiner");
    const signed = signStandardWebhook(joiner, stack.secret);
    const bamboo = signBambooHrWebhook(sampleText("bamboohr/employee-created"), BAMBOOHR_KEY);

    const logs = await logsOf(async () => {
      await stack.post({
        body: joiner,
        headers: { "content-type": "application/json", ...signed },
      });
      await stack.postCanonical(sampleText("canonical/invalid-email"));
      await stack.postCanonical(joiner, { secret: newStandardWebhookSecret() });
      await stack.post({ source: "bamboohr", ...bamboo });
    });

    expect(logs).toContain('"eventIds":["hr-20261128-0001"]');
    expect(logs).toContain('"employeeIds":["E2001"]');
    expect(logs).toContain('"invalidFields":1');
    expect(logs).toContain('"failure":"mismatch"');
    for (const secretOrPersonal of [
      "Lovelace",
      "ada.lovelace",
      "dijkstra",
      "CC-17",
      "changedFields",
      stack.secret,
      BAMBOOHR_KEY,
      signed["webhook-signature"],
      bamboo.headers["x-bamboohr-signature"] ?? "",
      "record.email",
    ]) {
      expect(logs).not.toContain(secretOrPersonal);
    }
  });
});
