import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedEnv } from "../../../src/cli/commands/local";
import { reconcileCommand } from "../../../src/cli/commands/reconcile";
import { LOCAL_ROSTER } from "../../../src/local/roster-bucket";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { runCommand } from "../../support/cli";
import { employeeRecord } from "../../support/hr-fixtures";
import { rosterCsv } from "../../support/roster-stack";

let stack: LocalStack;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-roster-"));
  const csv = join(dir, "roster.csv");
  // A joiner whose webhook never came: only the roster knows them.
  await writeFile(csv, rosterCsv([employeeRecord("K1")]));
  stack = await startLocalStack({
    quota: { rps: 100, burst: 100 },
    bambooHrEmployees: [],
    hiBobEmployees: [],
    rosterFile: csv,
  });
  env = sharedEnv(stack);
});

afterAll(async () => {
  await stack?.close();
});

describe("connect-hr-sync reconcile with `local --roster`", () => {
  it("hands the roster's place to other shells with the local environment", () => {
    expect(env.ROSTERS_FILE).toBe(stack.roster?.rostersFile);
    expect(env.AWS_ENDPOINT_URL_S3).toBe(stack.aws.s3Endpoint);
  });

  it("names each source's roster, its age and size, and where each repair came from", async () => {
    const dry = await runCommand(reconcileCommand(), ["--dry-run", "--json"], env);
    const run = await runCommand(reconcileCommand(), [], env);

    expect(dry.json()).toMatchObject({
      repairsFrom: { hr: 1, connect: 0 },
      rosters: [
        {
          source: "canonical",
          kind: "s3",
          location: "s3://connect-hr-sync-local-rosters/canonical/roster-000001.csv",
          employees: 1,
          ageHours: expect.any(Number),
        },
      ],
    });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /canonical\s+│\s+s3\s+│\s+s3:\/\/connect-hr-sync-local-rosters\/canonical\/roster-000001\.csv/,
    );
    expect(run.out).toMatch(/K1\s+│\s+missing\s+│\s+create\s+│\s+HR/);
    expect(run.out).toContain("repairs from the HR roster: 1; from Connect-side drift: 0");
    await stack.runner.drained();
    expect(stack.emulator.dumpState().users.map((u) => u.Username)).toContain("k1@example.com");
  });

  it("answers --json with one failed object when the roster is refused, says why on stderr, changes nothing", async () => {
    // HR's export has not landed where the rosters file looks.
    const rostersFile = join(dir, "rosters-nowhere.yaml");
    await writeFile(
      rostersFile,
      [
        "version: 1",
        "rosters:",
        "  canonical:",
        "    kind: s3",
        `    bucket: ${LOCAL_ROSTER.bucket}`,
        "    prefix: nowhere/",
        "",
      ].join("\n"),
    );
    const before = stack.emulator.dumpState().users;

    const run = await runCommand(reconcileCommand(), ["--json"], {
      ...env,
      ROSTERS_FILE: rostersFile,
    });

    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /The HR roster cannot be used: .*holds no roster object; nothing was changed/,
    );
    expect(run.json()).toEqual({
      status: "failed",
      dryRun: false,
      reason: expect.stringMatching(/holds no roster object; nothing was changed/),
      rosters: [{ source: "canonical", kind: "s3" }],
    });
    expect(run.out.trim().split("\n")).toHaveLength(1);
    await stack.runner.drained();
    expect(stack.emulator.dumpState().users).toEqual(before);
  });
});
