import { describe, expect, it } from "vitest";
import { namesInRules, unreachableRules } from "../../../src/domain/rules-analysis";
import { RULES_YAML, syncRules } from "../../support/hr-fixtures";

const withRules = (rules: string) =>
  syncRules(RULES_YAML.replace(/rules:\n[\s\S]*?protected:/, `rules:\n${rules}\nprotected:`));

describe("rules analysis", () => {
  it("finds no unreachable rule in a file where each rule can decide something", () => {
    expect(unreachableRules(syncRules())).toEqual([]);
  });

  it("finds a rule shadowed by an earlier, wider rule that sets the same facets", () => {
    const rules = withRules(`
  - name: all-support
    when: { department: Support }
    set: { routingProfile: UK Support }
  - name: london-support
    when: { department: Support, location: London }
    set: { routingProfile: Basic Routing Profile }`);

    expect(unreachableRules(rules)).toEqual([
      {
        index: 1,
        name: "london-support",
        reason: "every facet it sets is already set by all-support, which matches whenever it does",
      },
    ]);
  });

  it("keeps a narrower rule that sets a facet the wider one does not", () => {
    const rules = withRules(`
  - name: all-support
    when: { department: Support }
    set: { routingProfile: UK Support }
  - name: london-support
    when: { department: Support, location: London }
    set: { hierarchy: EMEA/London/Support }`);

    expect(unreachableRules(rules)).toEqual([]);
  });

  it("finds a rule that matches only people out of scope or excluded", () => {
    const rules = withRules(`
  - name: finance
    when: { department: { oneOf: [Finance, Legal] } }
    set: { routingProfile: UK Support }
  - name: contractors
    when: { jobCode: CONTRACTOR, location: London }
    set: { routingProfile: UK Support }`);

    expect(unreachableRules(rules).map((r) => [r.name, r.reason])).toEqual([
      ["finance", "no one it matches is in scope"],
      ["contractors", "everyone it matches is excluded from scope"],
    ]);
  });

  it("lists every name the rules need from the instance, with where it is written", () => {
    const names = namesInRules(syncRules());

    expect(names).toEqual(
      expect.arrayContaining([
        { kind: "routing profile", name: "Basic Routing Profile", path: "defaults.routingProfile" },
        { kind: "hierarchy", name: "EMEA/London/Support", path: "rules[0].set.hierarchy" },
        {
          kind: "security profile",
          name: "CallCenterManager",
          path: "rules[1].set.securityProfiles[1]",
        },
        { kind: "security profile", name: "Admin", path: "protected.securityProfiles[0]" },
      ]),
    );
  });
});
