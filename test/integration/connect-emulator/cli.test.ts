/** `connect-hr-sync emulator`, run as a user runs it: through bin/, in its own process. */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ListUsersCommand } from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { connectClient } from "./support";

const ROOT = new URL("../../../", import.meta.url).pathname;
const SAMPLE_SEED = "events/connect-seed.json";

function runCli(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["bin/connect-hr-sync.mjs", "emulator", ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, "line")) as [string];
  lines.close();
  return line;
}

/** Runs the command to its end: exit code and everything it wrote. */
async function runToExit(args: readonly string[]) {
  const child = runCli(args);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

describe("connect-hr-sync emulator", () => {
  it("prints its URL and instance id as one JSON line, serves the SDK, and stops cleanly on SIGTERM", async () => {
    // Prepare
    const child = runCli(["--port", "0", "--json", "--seed", SAMPLE_SEED, "--no-quota"]);

    // Act
    const started = JSON.parse(await firstLine(child)) as Record<string, string>;
    const client = connectClient(started.url ?? "");
    const users = await client.send(new ListUsersCommand({ InstanceId: started.instanceId }));
    client.destroy();
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];

    // Assess
    expect(started).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      instanceId: "3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10",
      region: "us-east-1",
      accountId: "123456789012",
    });
    expect(users.UserSummaryList?.map((user) => user.Username)).toEqual(["admin", "legacy.agent"]);
    expect(code).toBe(0);
  });

  it("prints a readable banner with the URL, the instance id and the quota", async () => {
    // Prepare
    const child = runCli(["--port", "0", "--rps", "3", "--burst", "7"]);
    const output: string[] = [];
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => output.push(line));

    // Act
    while (!output.some((line) => line.includes("admin"))) await once(lines, "line");
    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number | null];

    // Assess
    const text = output.join("\n");
    expect(text).toMatch(/listening on .*http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toContain("7c1a1f6e-5b1d-4c59-9a55-3f0c3f5b8e01");
    expect(text).toContain("3 requests/s, burst 7");
    expect(code).toBe(0);
  });

  it("says in the banner which per-operation quotas differ from Connect's defaults, and the lag", async () => {
    // Prepare
    const child = runCli([
      "--port",
      "0",
      "--quota",
      "CreateUser=1/2,describeuser=20",
      "--lag",
      "3000",
      "--lag-seed",
      "42",
    ]);
    const output: string[] = [];
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => output.push(line));

    // Act
    while (!output.some((line) => line.includes("admin"))) await once(lines, "line");
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];

    // Assess
    const text = output.join("\n");
    expect(text).toContain(
      "per operation, Connect's defaults except CreateUser 1/s burst 2, DescribeUser 20/s burst 5",
    );
    expect(text).toContain("writes visible to reads within 3000 ms (seed 42)");
    expect(code).toBe(0);
  });

  it("exits with code 2 on a bad --quota spec, --quota together with --rps, or a bad --lag", async () => {
    // Act
    const [badSpec, combined, badLag] = await Promise.all([
      runToExit(["--port", "0", "--quota", "CreateGroup=1/2"]),
      runToExit(["--port", "0", "--quota", "CreateUser=1/2", "--rps", "2"]),
      runToExit(["--port", "0", "--lag", "1.5"]),
    ]);

    // Assess
    expect(badSpec.code).toBe(2);
    expect(badSpec.stderr).toContain('unknown operation "CreateGroup"');
    expect(combined.code).toBe(2);
    expect(combined.stderr).toContain("cannot be combined");
    expect(combined.stderr).not.toMatch(/^\s+at /m);
    expect(badLag.code).toBe(2);
    expect(badLag.stderr).toContain("--lag");
  });

  it("exits with code 2 and names the field of a bad seed file, without a stack trace", async () => {
    // Prepare
    const seedFile = join(tmpdir(), `bad-seed-${process.pid}.json`);
    await writeFile(
      seedFile,
      JSON.stringify({
        instanceId: "3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10",
        region: "us-east-1",
        accountId: "123456789012",
        identityManagementType: "SAML",
        routingProfiles: ["A"],
        securityProfiles: ["B"],
        users: [{ username: "u", routingProfile: "Z", securityProfiles: ["B"] }],
      }),
    );

    // Act
    const { code, stderr } = await runToExit(["--port", "0", "--seed", seedFile]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('users[0].routingProfile: "Z" is not one of routingProfiles');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("exits with code 2 on a bad --faults spec or port", async () => {
    // Act
    const [faults, port] = await Promise.all([
      runToExit(["--port", "0", "--faults", "seed=1,explode=0.5"]),
      runToExit(["--port", "70000"]),
    ]);

    // Assess
    expect(faults.code).toBe(2);
    expect(faults.stderr).toContain('unknown fault "explode"');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port");
  });
});
