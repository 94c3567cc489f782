import { ConnectClient, SearchUsersCommand } from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { demoCommand } from "../../../src/cli/commands/demo";
import { localCommand } from "../../../src/cli/commands/local";
import { signStandardWebhook } from "../../../src/hr/signatures";
import { runCli, runCommand, startCli, stopCli } from "../../support/cli";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

describe("connect-hr-sync demo", () => {
  it("tells the story and ends converged, with every kind of event counted", async () => {
    const run = await runCli(["demo", "--json", "--rps", "50", "--burst", "50"]);

    const { code } = run;
    const { summary, agents } = run.json<{ summary: unknown; agents: { username: string }[] }>();
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      converged: true,
      created: 6,
      updated: 1,
      deleted: 1,
      duplicatesSkipped: 1,
      staleIgnored: 1,
      refused: 1,
      driftRepaired: 2,
      remainingDrift: {},
    });
    expect(agents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: "admin", status: "protected" }),
        expect.objectContaining({ username: "legacy.agent", status: "unmanaged" }),
        expect.objectContaining({
          username: "alan.turing@example.com",
          routingProfile: "Basic Routing Profile",
        }),
      ]),
    );
    expect(agents.map((a) => a.username)).not.toContain("ada.lovelace@example.com");
  });

  it("refuses a quota that is not a positive number", async () => {
    const { code, err } = await runCommand(demoCommand(), ["--rps", "zero"]);

    expect(code).toBe(1);
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
      });
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

  it("explains a bad port instead of starting", async () => {
    const { code, err } = await runCommand(localCommand(), ["--port", "70000"]);

    expect(code).not.toBe(0);
    expect(err).toMatch(/--port.*0 to 65535/);
  });
});
