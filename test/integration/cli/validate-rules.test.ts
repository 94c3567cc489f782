import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RulesReport, runValidateRules } from "../../../src/cli/commands/validate-rules";
import { type LocalStack, SAMPLE_RULES_FILE, startLocalStack } from "../../../src/local/stack";
import { closedUrl, runCli, runInProcess } from "../../support/cli";

let stack: LocalStack;
let dir: string;
let typos: string;

beforeAll(async () => {
  stack = await startLocalStack({ quota: { rps: 100, burst: 100 } });
  dir = await mkdtemp(join(tmpdir(), "validate-rules-"));
  // The shipped rules with a misspelt name of each kind and a rule that can never decide anything.
  const shipped = await readFile(SAMPLE_RULES_FILE, "utf8");
  typos = await rulesFile(
    "typos.yaml",
    shipped
      .replace("set: { routingProfile: UK Support,", "set: { routingProfile: UK Suport,")
      .replace(
        "set: { securityProfiles: [Agent, CallCenterManager] }",
        "set: { securityProfiles: [Agent, CallCentreManager] }",
      )
      .replace("hierarchy: AMER/Austin/Support", "hierarchy: AMER/Austn/Support")
      .replace(
        "protected:",
        "  - name: london-support-again\n    when: { department: Support, location: London, jobCode: AGT1 }\n    set: { routingProfile: UK Support }\n\nprotected:",
      ),
  );
});

afterAll(async () => {
  await stack?.close();
});

async function rulesFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const validate = (flags: Parameters<typeof runValidateRules>[0], env = { ...stack.env }) =>
  runInProcess(() => runValidateRules(flags, env));

describe("connect-hr-sync validate-rules", () => {
  it("finds nothing wrong with the shipped rules against the sample instance, as a command", async () => {
    const result = await runCli(["validate-rules", "--json"], stack.env);

    const report = result.json<RulesReport>();
    expect(result.code).toBe(0);
    expect(report).toMatchObject({
      ok: true,
      offline: false,
      instanceId: stack.emulator.instanceId,
      findings: [],
    });
    expect(report.checked).toEqual({ rules: 5, names: 13 });
  });

  it("lists unknown names where they are written, with did-you-mean, and unreachable rules; exits 1", async () => {
    const result = await validate({ rules: typos, json: true });

    const report = result.json<RulesReport>();
    expect(result.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        kind: "unreachable-rule",
        path: "rules[5]",
        name: "london-support-again",
        message: expect.stringMatching(
          /can never decide anything: every facet it sets is already set by uk-support/,
        ),
      },
      {
        kind: "unknown-name",
        nameKind: "routing profile",
        path: "rules[0].set.routingProfile",
        name: "UK Suport",
        message: 'routing profile "UK Suport" does not exist (did you mean "UK Support"?)',
        suggestion: "UK Support",
      },
      expect.objectContaining({
        path: "rules[2].set.hierarchy",
        name: "AMER/Austn/Support",
        suggestion: "AMER/Austin/Support",
      }),
      expect.objectContaining({
        path: "rules[4].set.securityProfiles[1]",
        name: "CallCentreManager",
        suggestion: "CallCenterManager",
      }),
    ]);
  });

  it("prints the findings as a table for people", async () => {
    const result = await validate({ rules: typos });

    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /rules\["uk-support"\]\.set\.routingProfile\s+│ routing profile "UK Suport" does not exist/,
    );
    expect(result.out).toContain("4 finding(s)");
  });

  it("exits 2 for an invalid rules file, naming the field and its line, as a command", async () => {
    const file = await rulesFile(
      "invalid.yaml",
      "version: 1\nidentity: { mode: SAML }\ndefaults:\n  routingProfile: Basic Routing Profile\n  securityProfiles: []\n",
    );

    const result = await runCli(["validate-rules", "--rules", file], stack.env);

    expect(result.code).toBe(2);
    expect(result.err).toContain("is not a valid rules file");
    expect(result.err).toMatch(/defaults\.securityProfiles \(line 5, column 21\): Too small/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it("without CONNECT_INSTANCE_ID says so and exits 2; --offline checks the file alone", async () => {
    const env = { ...stack.env, CONNECT_INSTANCE_ID: "" };

    const refused = await validate({ rules: typos }, env);
    const offline = await validate({ rules: typos, offline: true, json: true }, env);

    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/CONNECT_INSTANCE_ID is not set.*--offline/);
    expect(offline.code).toBe(1);
    expect(offline.json<RulesReport>()).toMatchObject({
      offline: true,
      instanceId: null,
      checked: { rules: 6, names: 0 },
      findings: [{ kind: "unreachable-rule", name: "london-support-again" }],
    });
  });

  it("exits 3 with a readable message when Connect cannot be reached", async () => {
    const url = await closedUrl();

    const result = await validate({}, { ...stack.env, AWS_ENDPOINT_URL_CONNECT: url });

    expect(result.code).toBe(3);
    expect(result.err).toContain(`cannot reach ${url} (ECONNREFUSED)`);
  });

  it("exits 2 when the instance does not exist", async () => {
    const result = await validate(
      {},
      { ...stack.env, CONNECT_INSTANCE_ID: "00000000-0000-4000-8000-000000000000" },
    );

    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /the Connect instance 00000000-.* does not exist .*check CONNECT_INSTANCE_ID/,
    );
  });

  it("gives one problem with a did-you-mean for a misspelt key, naming the rule (exit 2)", async () => {
    const shipped = await readFile(SAMPLE_RULES_FILE, "utf8");
    const file = await rulesFile(
      "typo-key.yaml",
      shipped.replace(
        "set: { securityProfiles: [Agent, CallCenterManager] }",
        "set: { securityProfile: [Agent, CallCenterManager] }",
      ),
    );

    const result = await validate({ rules: file, json: true });

    expect(result.code).toBe(2);
    const problems = result.json<{ problems: { path: string; message: string }[] }>().problems;
    expect(problems).toEqual([
      {
        path: 'rules["team-leads"].set.securityProfile',
        line: expect.any(Number),
        column: expect.any(Number),
        message: 'is not a key here (did you mean "securityProfiles"?)',
      },
    ]);
  });
});
