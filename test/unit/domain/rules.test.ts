import { describe, expect, it } from "vitest";
import { decideAgent } from "../../../src/domain/agent";
import { parseSyncRules, RulesFileError } from "../../../src/domain/rules";
import { rulesProblemText } from "../../../src/domain/rules-problems";
import { hrRecord, RULES_YAML, syncRules } from "../../support/hr-fixtures";

const TODAY = "2026-11-28";

function problemsOf(yaml: string): string[] {
  try {
    parseSyncRules(yaml, "rules.yaml");
  } catch (error) {
    if (error instanceof RulesFileError) return error.problems.map(rulesProblemText);
    throw error;
  }
  throw new Error("expected the rules file to be refused");
}

describe("rules file", () => {
  it("loads the sample rules shipped in config/", async () => {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(
      new URL("../../../config/sync-rules.yaml", import.meta.url),
      "utf8",
    );

    const rules = parseSyncRules(text, "config/sync-rules.yaml");

    expect(rules.identity.mode).toBe("SAML");
    expect(rules.rules.map((r) => r.name)).toContain("uk-support");
  });

  it("names the field path (a rule by its name), the line, the column and what was expected", () => {
    const yaml = RULES_YAML.replace("routingProfile: UK Support", "routingProfile: 42");

    const problems = problemsOf(yaml);

    expect(problems).toEqual([
      expect.stringMatching(
        /^rules\["uk-support"\]\.set\.routingProfile \(line 15, column \d+\): .*expected string/,
      ),
    ]);
  });

  it("refuses a misspelt key instead of ignoring it: one problem, with did-you-mean", () => {
    const problems = problemsOf(
      RULES_YAML.replace("securityProfiles: [Agent]\n", "securityProfile: [Agent]\n"),
    );

    expect(problems).toEqual([
      expect.stringMatching(
        /^defaults\.securityProfile \(line 9, column 3\): is not a key here \(did you mean "securityProfiles"\?\)$/,
      ),
    ]);
  });

  it("says which keys a place takes when a key is nothing like them", () => {
    const problems = problemsOf(`${RULES_YAML}colour: red\n`);

    expect(problems.join("\n")).toMatch(
      /^colour \(line \d+, column 1\): is not a key here; use version, identity/m,
    );
  });

  it("refuses a condition on a field the HR record does not have", () => {
    const problems = problemsOf(
      RULES_YAML.replace("when: { jobCode: TL1 }", "when: { jobcode: TL1 }"),
    );

    expect(problems.join("\n")).toMatch(
      /rules\["team-leads"\]\.when\.jobcode.*is not a field of the HR record \(did you mean "jobCode"\?\)/,
    );
  });

  it("refuses an invalid regular expression and an unknown username placeholder", () => {
    const yaml = RULES_YAML.replace(
      "{ department: Support, location: London }",
      '{ location: { regex: "([" } }',
    ).replace('"{email}"', '"{first}.{lastName}"');

    const problems = problemsOf(yaml).join("\n");

    expect(problems).toMatch(
      /rules\["uk-support"\]\.when\.location\.regex.*not a valid regular expression/,
    );
    expect(problems).toMatch(/identity\.usernameTemplate.*unknown placeholder \{first\}/);
  });

  it("reports a YAML syntax error with its line and column", () => {
    const problems = problemsOf("version: 1\nidentity: { mode: SAML\n");

    expect(problems[0]).toMatch(/^line \d+, column \d+: /);
  });

  it("reports a YAML error on the line of the fault, not the line before", () => {
    const overIndented = problemsOf(
      "version: 1\nidentity:\n  mode: SAML\n   usernameTemplate: x\n",
    );
    const unclosed = problemsOf(
      'version: 1\ndefaults:\n  routingProfile: "Basic\n  securityProfiles: [Agent]\n',
    );

    expect(overIndented).toEqual([
      "line 4, column 4: Implicit keys need to be on a single line (check this line's indentation)",
    ]);
    expect(unclosed).toEqual(['line 3, column 19: Missing closing "quote']);
  });
});

describe("rules engine", () => {
  const rules = syncRules();

  it("gives the first matching rule's profiles and the defaults for the rest", () => {
    const decision = decideAgent(hrRecord(), rules, TODAY);

    expect(decision).toMatchObject({
      kind: "present",
      agent: {
        username: "grace.hopper@example.com",
        identity: { firstName: "Grace", lastName: "Hopper" },
        routingProfile: "UK Support",
        securityProfiles: ["Agent"],
        hierarchy: "EMEA/London/Support",
        phone: {
          type: "SOFT_PHONE",
          autoAccept: false,
          afterContactWorkSeconds: 30,
          deskPhoneNumber: null,
        },
        rules: ["uk-support"],
      },
    });
  });

  it("takes each facet from the first rule that sets it", () => {
    const decision = decideAgent(hrRecord({ jobCode: "TL1" }), rules, TODAY);

    expect(decision).toMatchObject({
      kind: "present",
      agent: {
        routingProfile: "UK Support",
        securityProfiles: ["Agent", "CallCenterManager"],
        rules: ["uk-support", "team-leads"],
      },
    });
  });

  it("falls back to the defaults when no rule matches", () => {
    const decision = decideAgent(
      hrRecord({ department: "Sales", location: "Paris" }),
      rules,
      TODAY,
    );

    expect(decision).toMatchObject({
      kind: "present",
      agent: { routingProfile: "Basic Routing Profile", hierarchy: null, rules: [] },
    });
  });

  it("matches one-of lists, regular expressions and attributes", () => {
    const custom = syncRules(
      RULES_YAML.replace(
        "when: { jobCode: TL1 }",
        'when: { "attributes.costCenter": { regex: "^CC-1" }, location: { oneOf: [London, Leeds] } }',
      ),
    );

    const inLeeds = decideAgent(hrRecord({ location: "Leeds" }), custom, TODAY);
    const otherCostCenter = decideAgent(
      hrRecord({ location: "Leeds", attributes: { costCenter: "CC-20" } }),
      custom,
      TODAY,
    );

    expect(inLeeds).toMatchObject({ agent: { securityProfiles: ["Agent", "CallCenterManager"] } });
    expect(otherCostCenter).toMatchObject({ agent: { securityProfiles: ["Agent"] } });
  });

  it("lets the HR record's own phone settings override the rules", () => {
    const record = hrRecord({
      phone: { type: "DESK_PHONE", deskPhoneNumber: "+442071234567", afterContactWorkSeconds: 60 },
    });

    const decision = decideAgent(record, rules, TODAY);

    expect(decision).toMatchObject({
      agent: {
        phone: {
          type: "DESK_PHONE",
          autoAccept: false,
          afterContactWorkSeconds: 60,
          deskPhoneNumber: "+442071234567",
        },
      },
    });
  });

  it("refuses a desk phone without a number", () => {
    const decision = decideAgent(hrRecord({ phone: { type: "DESK_PHONE" } }), rules, TODAY);

    expect(decision).toEqual({
      kind: "invalid",
      problems: [
        {
          path: "record.phone.deskPhoneNumber",
          message: "is required when the phone type is DESK_PHONE",
        },
      ],
    });
  });

  it.each([
    ["out of scope by department", hrRecord({ department: "Finance" }), "out-of-scope"],
    ["excluded by job code", hrRecord({ jobCode: "CONTRACTOR" }), "out-of-scope"],
    ["terminated without an end date", hrRecord({ status: "terminated" }), "terminated"],
    ["past their end date", hrRecord({ endDate: "2026-11-27" }), "ended"],
    ["not in HR at all", undefined, "not-in-hr"],
  ])("decides no agent for someone %s", (_, record, reason) => {
    expect(decideAgent(record, rules, TODAY)).toEqual({ kind: "absent", reason });
  });

  it("keeps a leaver's agent until the end of their last day, and says when it goes", () => {
    const lastDayToday = decideAgent(
      hrRecord({ status: "terminated", endDate: TODAY }),
      rules,
      TODAY,
    );

    expect(lastDayToday).toMatchObject({ kind: "present", dueDate: "2026-11-29" });
  });

  it("holds a future joiner until their start date, or as many days before it as the rules say", () => {
    const record = hrRecord({ startDate: "2026-12-01" });
    const early = syncRules(`${RULES_YAML}provisioning: { daysBeforeStart: 3 }\n`);

    expect(decideAgent(record, rules, TODAY)).toEqual({
      kind: "absent",
      reason: "not-yet-started",
      dueDate: "2026-12-01",
    });
    expect(decideAgent(record, early, TODAY)).toMatchObject({ kind: "present" });
  });

  it("gives a CONNECT_MANAGED agent an e-mail and a SAML agent none", () => {
    const managed = syncRules(
      RULES_YAML.replace("mode: SAML", "mode: CONNECT_MANAGED").replace(
        '"{email}"',
        '"{emailLocalPart}"',
      ),
    );

    expect(decideAgent(hrRecord(), managed, TODAY)).toMatchObject({
      agent: { username: "grace.hopper", identity: { email: "grace.hopper@example.com" } },
    });
    expect(decideAgent(hrRecord(), rules, TODAY)).toMatchObject({
      agent: { identity: { firstName: "Grace", lastName: "Hopper" } },
    });
    expect(decideAgent(hrRecord(), rules, TODAY)).not.toHaveProperty("agent.identity.email");
  });
});
