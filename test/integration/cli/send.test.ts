import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runSend, runSendCommand } from "../../../src/cli/commands/send";
import { newStandardWebhookSecret } from "../../../src/hr/signatures";
import { type HttpApi, startHttpApi } from "../../../src/local/http-api";
import { runCli } from "../../support/cli";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import {
  BAMBOOHR_KEY,
  HIBOB_SECRET,
  startWebhookStack,
  type WebhookStack,
} from "../../support/webhook-stack";

const run = promisify(execFile);
const sample = (name: string) =>
  new URL(`../../../events/hr/canonical/${name}.json`, import.meta.url).pathname;
const CLI = new URL("../../../bin/connect-hr-sync.mjs", import.meta.url).pathname;

let stack: WebhookStack;
let api: HttpApi;
let dir: string;

beforeAll(async () => {
  stack = await startWebhookStack();
  api = await startHttpApi({
    routes: [
      { method: "POST", path: "/hr/events", handler: stack.handler },
      { method: "POST", path: "/hr/events/{source}", handler: stack.handler },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), "send-"));
});

beforeEach(async () => {
  await stack.takeQueued();
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

/** Runs the command in process; answers its exit code and what it printed. */
async function send(file: string, options: { url?: string; secret?: string; json?: boolean } = {}) {
  let out = "";
  let err = "";
  const code = await runSend(
    file,
    {
      url: options.url ?? `${api.url}/hr/events`,
      secret: options.secret ?? stack.secret,
      json: options.json,
      timeoutSeconds: 5,
    },
    { out: (t) => (out += t), err: (t) => (err += t) },
  );
  return { code, out, err };
}

describe("connect-hr-sync send", () => {
  it("signs and posts a batch file, prints the accepted ids and exits 0", async () => {
    const result = await send(sample("batch"));

    expect(result.code).toBe(0);
    expect(result.out).toContain("202 accepted 3 events");
    expect(result.out).toContain("hr-20261128-0103");
    expect(await stack.takeQueued()).toHaveLength(3);
  });

  it("posts a CloudEvents file as application/cloudevents+json", async () => {
    const result = await send(sample("cloudevent"), { json: true });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ accepted: ["hr-20261128-0201"], notSent: 0 });
  });

  it("prints each invalid field of a refused file and exits 1", async () => {
    const result = await send(sample("invalid-batch"));

    expect(result.code).toBe(1);
    expect(result.out).toContain("400 Invalid HR events: 3 fields are invalid.");
    expect(result.out).toMatch(/\[1\]\.record\.phone\.deskPhoneNumber: must be an E\.164 number/);
    expect(await stack.queueDepth()).toBe(0);
  });

  it("splits 150 events into requests of 100 and 50", async () => {
    const events = Array.from({ length: 150 }, (_, i) =>
      hrEvent({ eventId: `bulk-${i}`, record: hrRecord({ employeeId: `B${i}` }) }),
    );
    const file = join(dir, "bulk.json");
    await writeFile(file, JSON.stringify(events));

    const result = await send(file, { json: true });

    const report = JSON.parse(result.out);
    expect(result.code).toBe(0);
    expect(report.requests.map((r: { events: number }) => r.events)).toEqual([100, 50]);
    expect(report.accepted).toHaveLength(150);
    expect(await stack.takeQueued()).toHaveLength(150);
  });

  it("exits 1 with the server's explanation when the secret is not the deployment's", async () => {
    const result = await send(sample("joiner"), { secret: newStandardWebhookSecret() });

    expect(result.code).toBe(1);
    expect(result.out).toContain("401 Signature missing, wrong or expired");
  });

  it.each([
    ["a missing file", join("/nonexistent", "events.json"), {}, /cannot read .*: no such file/],
    [
      "a secret without whsec_",
      sample("joiner"),
      { secret: "hunter2" },
      /--secret must be a Standard Webhooks secret/,
    ],
    ["a URL that is not one", sample("joiner"), { url: "not a url" }, /--url is not a URL/],
  ])("exits 2 for %s", async (_, file, options, message) => {
    const result = await send(file, options);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it("exits 3 with a readable message when nothing listens at the URL", async () => {
    const closed = await startHttpApi({ routes: [] });
    const url = `${closed.url}/hr/events`;
    await closed.close();

    const result = await send(sample("joiner"), { url });

    expect(result.code).toBe(3);
    expect(result.err).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it("runs as a command: the secret from HR_WEBHOOK_SECRET, the base URL completed with /hr/events", async () => {
    const { stdout } = await run(
      process.execPath,
      [CLI, "send", sample("joiner"), "--url", api.url],
      {
        env: { ...process.env, HR_WEBHOOK_SECRET: stack.secret, NO_COLOR: "1" },
      },
    );

    expect(stdout).toContain("202 accepted 1 event");
    expect(await stack.takeQueued()).toHaveLength(1);
  });

  it("exits 2 as a command when --secret is missing", async () => {
    const env = { ...process.env };
    delete env.HR_WEBHOOK_SECRET;

    const failure = await run(process.execPath, [CLI, "send", sample("joiner"), "--url", api.url], {
      env,
    }).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining("--secret") });
  });

  it("sends with no flags from what `local` exports, and signs a BambooHR payload as BambooHR does", async () => {
    let out = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
    const env = {
      HR_WEBHOOK_URL: `${api.url}/hr/events`,
      HR_WEBHOOK_SECRET: stack.secret,
      BAMBOOHR_WEBHOOK_KEY: BAMBOOHR_KEY,
    };
    const bamboo = new URL("../../../events/hr/bamboohr/employee-created.json", import.meta.url)
      .pathname;

    const file = join(dir, "fresh.json");
    await writeFile(file, JSON.stringify(hrEvent({ record: hrRecord({ employeeId: "SE1" }) })));

    const canonical = await runSendCommand(file, { timeout: 5 }, env, io);
    const vendor = await runSendCommand(bamboo, { timeout: 5 }, env, io);

    expect(canonical).toBe(0);
    expect(vendor).toBe(0);
    expect((await stack.takeQueued()).map((m) => m.groupId)).toEqual([
      "canonical#SE1",
      "bamboohr#40401",
    ]);
  });

  it("--help names every source it signs for and the variable each one's secret comes from", async () => {
    const { code, out } = await runCli(["send", "--help"]);

    expect(code).toBe(0);
    // As one line, wherever the terminal's width wraps it.
    const help = out.replace(/\s+/g, " ");
    expect(help).toContain("(Standard Webhooks, BambooHR or HiBob)");
    expect(help).toContain('(choices: "canonical", "bamboohr", "hibob")');
    expect(help).toContain("canonical whsec_... (default $HR_WEBHOOK_SECRET)");
    expect(help).toContain("BambooHR's webhook key (default $BAMBOOHR_WEBHOOK_KEY)");
    expect(help).toContain("HiBob's webhook secret (default $HIBOB_WEBHOOK_SECRET)");
  });

  it("signs a HiBob event as HiBob does, restamped now so that a sample is not refused as old", async () => {
    let out = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
    const env = { HR_WEBHOOK_URL: api.url, HIBOB_WEBHOOK_SECRET: HIBOB_SECRET };
    const hibob = new URL("../../../events/hr/hibob/employee-joined.json", import.meta.url)
      .pathname;

    const code = await runSendCommand(hibob, { timeout: 5 }, env, io);

    expect(code).toBe(0);
    const queued = await stack.takeQueued();
    expect(queued).toHaveLength(1);
    expect(queued[0]?.groupId).toMatch(/^hibob#/);
  });

  it("refuses a HiBob event signed with another secret (exit 1), and nothing is queued", async () => {
    let out = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
    const env = { HR_WEBHOOK_URL: api.url, HIBOB_WEBHOOK_SECRET: "not-the-deployment-secret" };
    const hibob = new URL("../../../events/hr/hibob/employee-joined.json", import.meta.url)
      .pathname;

    const code = await runSendCommand(hibob, { timeout: 5 }, env, io);

    expect(code).toBe(1);
    expect(out).toMatch(/401/);
    expect(await stack.takeQueued()).toEqual([]);
  });
});
