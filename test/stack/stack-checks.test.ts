import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { deployFailure, packageFailure } from "./package-stack";

/**
 * The parameter checks of scripts/stack/stack-checks.cjs: what `serverless
 * package` and `serverless deploy` refuse or warn about before anything is
 * built or sent to AWS.
 */

const require = createRequire(import.meta.url);
const { checkParameters, PLACEHOLDER_INSTANCE_ID } =
  require("../../scripts/stack/stack-checks.cjs") as {
    checkParameters(
      settings: Record<string, unknown>,
      command: "package" | "deploy",
    ): { errors: string[]; warnings: string[] };
    PLACEHOLDER_INSTANCE_ID: string;
  };

const INSTANCE_ID = "1a2b3c4d-1111-2222-3333-444455556666";
const READY = {
  stage: "prod",
  instanceId: INSTANCE_ID,
  alarmEmail: "ops@example.com",
  alarmEmailRequired: true,
  operatorRoleArns: "arn:aws:iam::123456789012:role/on-call",
  tracing: "true",
};

describe("the parameter checks", () => {
  it("pass a production stage with its instance, an alarm address and an operator role", () => {
    expect(checkParameters(READY, "deploy")).toEqual({ errors: [], warnings: [] });
  });

  it("refuse a tracing setting that is neither true nor false, rather than guess", () => {
    const settings = { ...READY, tracing: "off" };

    expect(checkParameters(settings, "package").errors).toEqual([
      'tracing must be "true" or "false", not "off"',
    ]);
    expect(checkParameters({ ...READY, tracing: "false" }, "deploy").errors).toEqual([]);
  });

  it("warn about the placeholder instance id when packaging, and refuse it when deploying", () => {
    const settings = { ...READY, instanceId: PLACEHOLDER_INSTANCE_ID };

    expect(checkParameters(settings, "package").errors).toEqual([]);
    expect(checkParameters(settings, "package").warnings).toEqual([
      expect.stringContaining("instanceId is the placeholder"),
    ]);
    expect(checkParameters(settings, "deploy").errors).toEqual([
      expect.stringContaining("instanceId is the placeholder"),
    ]);
  });

  it.each([
    ["an instance ARN", `arn:aws:connect:eu-west-2:123456789012:instance/${INSTANCE_ID}`],
    ["an alias", "contact-centre"],
    ["nothing", ""],
  ])("refuse %s as instanceId, in package and deploy alike", (_, instanceId) => {
    for (const command of ["package", "deploy"] as const) {
      expect(checkParameters({ ...READY, instanceId }, command).errors).toEqual([
        expect.stringMatching(/^instanceId must be the Connect instance's id \(a UUID/),
      ]);
    }
  });

  it("refuse an empty alarmEmail where it is required, and warn about it elsewhere", () => {
    const required = checkParameters({ ...READY, alarmEmail: "" }, "package");
    const optional = checkParameters(
      { ...READY, stage: "dev", alarmEmail: " ", alarmEmailRequired: false },
      "package",
    );

    expect(required.errors).toEqual([
      expect.stringMatching(
        /^alarmEmail is empty: .*stage prod requires it \(alarmEmailRequired\)$/,
      ),
    ]);
    expect(optional).toEqual({
      errors: [],
      warnings: [expect.stringMatching(/^alarmEmail is empty: no alarm reaches a person/)],
    });
  });

  it("refuse an alarmEmail that is not an address", () => {
    expect(checkParameters({ ...READY, alarmEmail: "ops" }, "deploy").errors).toEqual([
      'alarmEmail must be an e-mail address, not "ops"',
    ]);
  });

  it("accept operator role ARNs with wildcards, refuse anything else, and warn when there are none", () => {
    const sso =
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Ops_*";
    const check = (operatorRoleArns: string) =>
      checkParameters({ ...READY, operatorRoleArns }, "deploy");

    expect(check(`${READY.operatorRoleArns},${sso}`).errors).toEqual([]);
    expect(check("arn:aws:iam::123456789012:user/alice").errors).toHaveLength(1);
    expect(check(`${READY.operatorRoleArns}, ${sso}`).errors).toEqual([
      expect.stringContaining(`" ${sso}" is not one`),
    ]);
    expect(check("").warnings).toEqual([expect.stringMatching(/^operatorRoleArns is empty/)]);
  });
});

describe("serverless package --stage prod", () => {
  it("stops without alarmEmail, naming the parameter", async () => {
    const output = await packageFailure([
      "--stage",
      "prod",
      "--param",
      `instanceId=${INSTANCE_ID}`,
    ]);

    expect(output).toContain("alarmEmail is empty: no alarm reaches a person");
    expect(output).toContain("stage prod requires it (alarmEmailRequired)");
  }, 60_000);
});

describe("serverless package with an invalid rules file", () => {
  it("stops, naming the file and the field: the stack reads the rules' tag keys from it", async () => {
    const output = await packageFailure(["--param", "rulesFile=config/broken-rules.yaml"], {
      files: { "config/broken-rules.yaml": "version: 1\ntags:\n  aws:owner: me\n" },
    });

    expect(output).toContain("config/broken-rules.yaml is not a valid rules file");
    expect(output).toMatch(/tags\.aws:owner/);
  }, 60_000);
});

describe("serverless deploy", () => {
  it("stops with the placeholder instance id, before asking AWS anything", async () => {
    const output = await deployFailure(["--param", "alarmEmail=ops@example.com"]);

    expect(output).toContain(
      `instanceId is the placeholder ${PLACEHOLDER_INSTANCE_ID}: pass --param instanceId=<your Connect instance id>`,
    );
    expect(output).not.toContain("credentials");
  }, 60_000);

  it("with a real instance id gets past the checks, to where it needs AWS credentials", async () => {
    const output = await deployFailure([
      "--param",
      `instanceId=${INSTANCE_ID}`,
      "--param",
      "alarmEmail=ops@example.com",
    ]);

    expect(output).not.toContain("instanceId is the placeholder");
    expect(output).toContain("AWS provider credentials not found");
  }, 60_000);
});
