import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStatus } from "../../../src/cli/commands/status";
import type { StatusReport } from "../../../src/cli/status-report";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { EventPublisher } from "../../../src/queue/publisher";
import { closedUrl, runCli, runInProcess } from "../../support/cli";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ quota: { rps: 100, burst: 100 } });
  const sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const person = (employeeId: string, overrides: Parameters<typeof hrRecord>[0] = {}) =>
    hrRecord({ employeeId, email: `${employeeId.toLowerCase()}@example.com`, ...overrides });
  const published = await new EventPublisher(sqs, stack.env.QUEUE_URL ?? "").publish([
    hrEvent({ record: person("ST1") }),
    hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T10:00:00Z",
      record: person("ST1", { department: "Sales" }),
    }),
    hrEvent({ record: person("ST2", { startDate: "2099-01-04" }) }),
    // A desk phone without a number: the worker refuses the record and stores why.
    hrEvent({ record: person("ST3", { phone: { type: "DESK_PHONE" } }) }),
  ]);
  sqs.destroy();
  if (published.failed.length > 0) throw new Error("the test events were not queued");
  await stack.runner.drained();
});

afterAll(async () => {
  await stack?.close();
});

const status = (employeeId: string, flags = {}, env = { ...stack.env }) =>
  runInProcess(() => runStatus(employeeId, flags, env));

describe("connect-hr-sync status", () => {
  it("prints the stored state and the audit trail as one JSON object, as a command", async () => {
    const result = await runCli(["status", "ST1", "--json"], stack.env);

    const report = result.json<StatusReport>();
    expect(result.code).toBe(0);
    expect(report.employeeId).toBe("ST1");
    expect(report.state).toMatchObject({
      lastEventId: expect.any(String),
      version: "2026-11-28T10:00:00.000Z",
      desired: {
        kind: "present",
        agent: {
          routingProfile: "Basic Routing Profile",
          hierarchy: "EMEA/London/Sales",
          rules: ["uk-sales"],
        },
      },
    });
    const userId = report.state?.connectUser?.userId;
    expect(userId).toBeTruthy();
    expect(report.audit[0]).toMatchObject({
      operation: "CreateUser",
      reason: "joiner/webhook",
      outcome: "applied",
      connectUserId: userId,
    });
    expect(
      report.audit
        .slice(1)
        .map((a) => a.operation)
        .sort(),
    ).toEqual(["UpdateUserHierarchy", "UpdateUserRoutingProfile"]);
  });

  it("shows people the person, the desired agent beside the managed user by name, and the trail from → to", async () => {
    const result = await status("ST1");

    expect(result.code).toBe(0);
    expect(result.out).toContain("Employee ST1 Grace Hopper");
    expect(result.out).toMatch(/Desired agent and managed Connect user [\w-]+/);
    expect(result.out).toMatch(
      /routing profile\s+│ Basic Routing Profile\s+│ Basic Routing Profile\s+│/,
    );
    expect(result.out).toMatch(/hierarchy\s+│ EMEA\/London\/Sales\s+│ EMEA\/London\/Sales\s+│/);
    expect(result.out).toContain("rules matched uk-sales");
    expect(result.out).toMatch(/Audit trail \(3\)/);
    expect(result.out).toMatch(/│ CreateUser\s+│.*│ joiner\/webhook/);
    expect(result.out).toMatch(/routingProfile: UK Support → Basic Routing Profile/);
    expect(result.out).toMatch(/hierarchy: EMEA\/London\/Support → EMEA\/London\/Sales/);
  });

  it("says why there is no agent yet and when that changes", async () => {
    const result = await status("ST2");

    expect(result.code).toBe(0);
    expect(result.out).toContain("Desired agent: none (not-yet-started; due 2099-01-04)");
    expect(result.out).toContain("Managed Connect user: none");
    expect(result.out).toContain("Audit trail: no changes made in Connect");
  });

  it("shows the last error the worker stored", async () => {
    const result = await status("ST3", { json: true });

    const report = result.json<StatusReport>();
    expect(result.code).toBe(0);
    expect(report.state?.lastError).toMatchObject({
      name: "InvalidRecordError",
      message: expect.stringContaining("record.phone.deskPhoneNumber"),
    });
    expect(report.recordInvalid).toBe(true);
    const text = (await status("ST3")).out;
    expect(text).toMatch(/Last error InvalidRecordError: .*deskPhoneNumber/);
    // Not "not-in-hr": HR has the record, it just cannot become a user.
    expect(text).toContain("Desired agent: none (nothing decided yet: the HR record is invalid)");
  });

  it("exits 1 for an employee the service has no state for, with JSON state null, as a command", async () => {
    const result = await runCli(["status", "NOBODY", "--json"], stack.env);

    expect(result.code).toBe(1);
    expect(result.json()).toEqual({
      employeeId: "NOBODY",
      state: null,
      recordInvalid: false,
      audit: [],
    });
    expect(result.err).toMatch(/no stored state for employee NOBODY/);
  });

  it("exits 2 for an id that cannot be an employee id", async () => {
    const result = await status("not an id");

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/EMPLOYEE_ID must be 1 to 64 letters/);
  });

  it("exits 3 with a readable message when DynamoDB cannot be reached", async () => {
    const url = await closedUrl();

    const result = await status("ST1", {}, { ...stack.env, AWS_ENDPOINT_URL_DYNAMODB: url });

    expect(result.code).toBe(3);
    expect(result.err).toMatch(/cannot reach 127\.0\.0\.1 \(ECONNREFUSED\)/);
  });
});
