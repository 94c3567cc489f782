import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ConnectClient, SearchUsersCommand } from "@aws-sdk/client-connect";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it, vi } from "vitest";
import { demoCommand, printDemoResult } from "../../../src/cli/commands/demo";
import { localCommand } from "../../../src/cli/commands/local";
import { sendCommand } from "../../../src/cli/commands/send";
import { signStandardWebhook } from "../../../src/hr/signatures";
import type { AgentRow, DemoSummary } from "../../../src/local/demo";
import { runCli, runCommand, startCli, stopCli } from "../../support/cli";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

/** One run of the demo, shared by the tests that read its story. */
let demo: ReturnType<typeof runCli> | undefined;
const demoRun = () => {
  demo ??= runCli(["demo", "--json", "--rps", "50", "--burst", "50"]);
  return demo;
};

describe("connect-hr-sync demo", () => {
  it("tells the story and ends converged, with every kind of event counted", async () => {
    const run = await demoRun();

    const { code } = run;
    const { summary, agents } = run.json<{
      summary: DemoSummary;
      agents: { username: string; status: string }[];
    }>();
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      converged: true,
      created: 7,
      updated: 1,
      // leavers.action: disable: Ada's leaver disables her agent, her rehire gets it back.
      deleted: 0,
      disabled: 1,
      reEnabled: 1,
      duplicatesSkipped: 1,
      staleIgnored: 1,
      refused: 1,
      // Alan's console edit, Dorothy from BambooHR's directory, Joan and Grace from the roster.
      driftRepaired: 4,
      remainingDrift: {},
    });
    expect(agents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: "admin", status: "protected" }),
        expect.objectContaining({ username: "legacy.agent", status: "unmanaged" }),
        // Provisioned over SCIM by an identity provider.
        expect.objectContaining({
          username: "margaret.hamilton@example.com",
          status: "managed (S1001)",
        }),
        expect.objectContaining({
          username: "alan.turing@example.com",
          routingProfile: "Basic Routing Profile",
        }),
        expect.objectContaining({
          username: "ada.lovelace@example.com",
          status: "managed (E2001)",
        }),
      ]),
    );
  });

  it("ends with a summary line that counts the disabled leaver and the re-enabled rehire too", async () => {
    const { summary, agents } = (await demoRun()).json<{
      summary: DemoSummary;
      agents: AgentRow[];
    }>();
    let out = "";
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      printDemoResult(summary, agents);
    } finally {
      stdout.mockRestore();
    }

    expect(out).toMatch(
      /^created 7, updated 1, deleted 0, disabled 1, re-enabled 1, duplicates skipped 1, stale ignored 1, refused 1, drift repaired 4 \(\d+\.\d s\)$/m,
    );
    expect(out).toMatch(/^Connect matches HR\.$/m);
  });

  it("disables the leaver's agent under leavers.action: disable, and gives the rehire the same user", async () => {
    const { summary } = (await demoRun()).json<{ summary: DemoSummary }>();

    expect(summary.leaver).toMatchObject({
      username: "ada.lovelace@example.com",
      securityProfiles: ["No Access"],
      routingProfile: "Disabled",
      hierarchy: "",
      disabledAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(summary.rehired).toMatchObject({
      userId: summary.leaver?.userId,
      routingProfile: "Basic Routing Profile",
      securityProfiles: ["Agent"],
      hierarchy: "EMEA/London/Sales",
    });
    expect(summary.rehired).not.toHaveProperty("disabledAt");
  });

  it("repairs the two lost webhooks from HR's roster in S3, audited as the roster's", async () => {
    const { summary, agents } = (await demoRun()).json<{
      summary: DemoSummary;
      agents: { username: string; status: string; securityProfiles: string }[];
    }>();

    const fromRoster = (type: string) =>
      new RegExp(`^${type}/reconcile from the roster of canonical at \\d{4}-\\d{2}-\\d{2}T`);
    expect(summary.rosterRepairs).toHaveLength(2);
    expect(summary.rosterRepairs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          username: "joan.clarke@example.com",
          result: "created",
          audit: expect.stringMatching(fromRoster("joiner")),
          operations: ["CreateUser"],
        }),
        expect.objectContaining({
          username: "grace.hopper@example.com",
          result: "disabled",
          audit: expect.stringMatching(fromRoster("leaver")),
          operations: expect.arrayContaining(["UpdateUserSecurityProfiles", "DisableUser"]),
        }),
      ]),
    );
    expect(agents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: "joan.clarke@example.com", status: "managed (E2006)" }),
        expect.objectContaining({
          username: "grace.hopper@example.com",
          securityProfiles: "No Access",
          status: expect.stringMatching(/^disabled \d{4}-\d{2}-\d{2} \(E2005\)$/),
        }),
      ]),
    );
  });

  it("refuses a quota that is not a positive number", async () => {
    const { code, err } = await runCommand(demoCommand(), ["--rps", "zero"]);

    expect(code).toBe(2);
    expect(err).toMatch(/--rps.*must be a number above 0/);
  });
});

describe("connect-hr-sync local", () => {
  it("prints where it runs, and a signed event posted there becomes a Connect user", async () => {
    const { child, firstLine, lines } = await startCli(["local", "--json", "--port", "0"]);
    try {
      const info = JSON.parse(firstLine);
      const event = hrEvent({
        record: hrRecord({ employeeId: "LOC1", email: "loc1@example.com" }),
      });
      const body = JSON.stringify(event);

      const answer = await fetch(info.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...signStandardWebhook(body, info.webhookSecret),
        },
        body,
      });

      expect(answer.status).toBe(202);
      expect(info.env).toMatchObject({
        AWS_ENDPOINT_URL_CONNECT: info.connectEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        AWS_ENDPOINT_URL_SQS: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        EMPLOYEES_TABLE: expect.any(String),
        QUEUE_URL: expect.stringContaining(".fifo"),
        HIBOB_WEBHOOK_SECRET: info.hiBob.webhookSecret,
        SCIM_URL: info.scimUrl,
        SCIM_TOKEN: info.scimToken,
      });
      const scim = await fetch(`${info.scimUrl}/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${info.scimToken}` },
      });
      expect(scim.status).toBe(200);
      const connect = new ConnectClient({
        endpoint: info.connectEndpoint,
        region: info.env.AWS_REGION,
        credentials: { accessKeyId: "any", secretAccessKey: "any" },
      });
      const search = () =>
        connect.send(
          new SearchUsersCommand({
            InstanceId: info.instanceId,
            SearchCriteria: {
              StringCondition: {
                FieldName: "Username",
                Value: "loc1@example.com",
                ComparisonType: "EXACT",
              },
            },
          }),
        );
      // The worker runs in the other process and reports each event it handled on a line.
      const processed = JSON.parse(await lines.next());
      expect(processed).toMatchObject({ processed: { employeeId: "LOC1", result: "created" } });
      const found = (await search()).Users ?? [];
      expect(found[0]?.Tags).toMatchObject({ "connect-hr-sync:employee-id": "LOC1" });
      connect.destroy();
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
  });

  it("explains a bad port instead of starting (exit 2)", async () => {
    const { code, err } = await runCommand(localCommand(), ["--port", "70000"]);

    expect(code).toBe(2);
    expect(err).toMatch(/--port.*0 to 65535/);
  });

  it("says so when its port is in use, as the emulator does (exit 2)", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    try {
      const { code, err } = await runCommand(localCommand(), ["--port", String(port)]);

      expect(code).toBe(2);
      expect(err).toContain(`cannot listen on port ${port} (EADDRINUSE); try another --port`);
    } finally {
      busy.close();
    }
  });

  it("exports what every client and `send` need: eval the --env lines, then send with no flags", async () => {
    const dir = await mkdtemp(join(tmpdir(), "local-env-"));
    const stateFile = { CONNECT_HR_SYNC_LOCAL_FILE: join(dir, "local.json") };
    const { child, firstLine } = await startCli(["local", "--json", "--port", "0"], stateFile);
    try {
      const info = JSON.parse(firstLine);
      const event = join(dir, "event.json");
      await writeFile(
        event,
        JSON.stringify(
          hrEvent({ record: hrRecord({ employeeId: "LOC2", email: "loc2@example.com" }) }),
        ),
      );

      const printed = await runCommand(localCommand(), ["--env"], stateFile);
      const exported = Object.fromEntries(
        [...printed.out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
      );
      const sent = await runCommand(sendCommand(), [event], exported);
      // As the comment it prints says: a plain SDK client, told not to send to the queue URL's host.
      const sqs = new SQSClient({
        region: exported.AWS_REGION,
        endpoint: exported.AWS_ENDPOINT_URL_SQS,
        credentials: {
          accessKeyId: exported.AWS_ACCESS_KEY_ID ?? "",
          secretAccessKey: exported.AWS_SECRET_ACCESS_KEY ?? "",
        },
        useQueueUrlAsEndpoint: false,
      });
      const queue = await sqs
        .send(
          new GetQueueAttributesCommand({
            QueueUrl: exported.DLQ_URL,
            AttributeNames: ["FifoQueue"],
          }),
        )
        .finally(() => sqs.destroy());

      expect(printed.code).toBe(0);
      expect(exported).toMatchObject({
        AWS_REGION: info.env.AWS_REGION,
        AWS_DEFAULT_REGION: info.env.AWS_REGION,
        HR_WEBHOOK_URL: info.webhookUrl,
        HR_WEBHOOK_SECRET: info.webhookSecret,
        BAMBOOHR_WEBHOOK_KEY: info.bambooHr.webhookKey,
        CONNECT_INSTANCE_ID: info.instanceId,
      });
      expect(sent.code).toBe(0);
      expect(sent.out).toContain("202 accepted 1 event");
      expect(printed.out).toMatch(/^# SQS: .*useQueueUrlAsEndpoint: false/m);
      expect(queue.Attributes?.FifoQueue).toBe("true");
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
    const after = await runCommand(localCommand(), ["--env"], stateFile);
    expect(after.code).toBe(3);
    expect(after.err).toMatch(/no local stack is running/);
  });

  it("ends with its parent: a wrapper killed (as `kill $!` kills npx) leaves no server behind", async () => {
    const cli = new URL("../../../bin/connect-hr-sync.mjs", import.meta.url).pathname;
    // A parent that starts `local`, reports its pid, and is then killed without passing it on.
    const wrapper = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("node:child_process").spawn(process.execPath, [${JSON.stringify(cli)}, "local", "--json", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
         c.stdout.once("data", () => console.log(c.pid));`,
      ],
      { env: { ...process.env, NODE_NO_WARNINGS: "1" } },
    );
    const [line] = (await once(createInterface({ input: wrapper.stdout }), "line")) as [string];
    const pid = Number(line);
    const running = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(running()).toBe(true);

    wrapper.kill("SIGKILL");

    await vi.waitFor(() => expect(running()).toBe(false), { timeout: 10_000, interval: 100 });
  });
});
