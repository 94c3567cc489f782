import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, decide, managedPolicy, rolePolicies } from "./iam-simulator";
import {
  actionsOf,
  allStatements,
  decideConditions,
  type PackagedStack,
  packageFailure,
  packageStack,
  resource,
  resourcesOf,
  resourcesOfType,
  roleStatements,
  type Template,
} from "./package-stack";

const role = (logicalId: string) => `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;

/**
 * The stack an operator deploys to production with their own parameters:
 * every parameter lands where it should.
 */

const INSTANCE_ID = "1a2b3c4d-1111-2222-3333-444455556666";
const PARAMS = {
  instanceId: INSTANCE_ID,
  region: "eu-west-2",
  workerConcurrency: "3",
  connectQuotas: "CreateUser=4/8,UpdateUserRoutingProfile=6",
  connectQuotaShare: "0.75",
  alarmEmail: "contact-centre-ops@example.com",
  secretStore: "ssm",
  bamboohrWebhookSecret: "connect-hr-sync-prod-bamboohr-webhook",
  bamboohrCompanyDomain: "acme",
  hibobWebhookSecret: "connect-hr-sync-prod-hibob-webhook",
  hibobServiceUserId: "SERVICE-1234",
  reconcileSchedule: "cron(30 3 * * ? *)",
  rostersFile: "config/prod-rosters.yaml",
  tracing: "false",
};

/** The canonical feed's roster in S3, and a Workday report whose client secret is in SSM. */
const ROSTERS = `version: 1
rosters:
  canonical: { kind: s3, bucket: acme-hr-exports, prefix: connect-hr-sync/canonical/ }
  workday:
    kind: https
    url: https://wd2-impl-services1.workday.com/ccx/service/customreport2/acme/ISU/Agents?format=json
    auth:
      type: client-credentials
      tokenUrl: https://wd2-impl-services1.workday.com/ccx/oauth2/acme/token
      secret: ssm:connect-hr-sync-prod-workday-client
`;

let stack: PackagedStack;
let template: Template;

beforeAll(async () => {
  stack = await packageStack(
    [
      "--stage",
      "prod",
      ...Object.entries(PARAMS).flatMap(([name, value]) => ["--param", `${name}=${value}`]),
    ],
    { files: { [PARAMS.rostersFile]: ROSTERS } },
  );
  template = decideConditions(stack.template);
}, 120_000);

afterAll(async () => {
  await stack?.cleanUp();
});

const props = (logicalId: string) => resource(template, logicalId).Properties;
const environment = (fn: string) =>
  (props(fn).Environment as { Variables: Record<string, string> }).Variables;
const secretStatements = (role: string) =>
  roleStatements(template, role).filter((s) =>
    actionsOf(s).some((a) => a.startsWith("secretsmanager:") || a.startsWith("ssm:")),
  );

describe("a production stack with its own parameters", () => {
  it("scopes every Connect permission to the given instance, in the given Region", () => {
    const connectStatements = allStatements(template.Resources).filter((s) =>
      actionsOf(s).some((a) => a.startsWith("connect:")),
    );
    const state = JSON.parse(
      readFileSync(join(stack.packageDir, "serverless-state.json"), "utf8"),
    ) as { service: { provider: { region: string } } };

    const roles = ["SyncWorkerRole", "ReconcileRole"].filter((role) =>
      roleStatements(template, role).some((s) =>
        actionsOf(s).some((a) => a.startsWith("connect:")),
      ),
    );
    expect(roles).toEqual(["SyncWorkerRole", "ReconcileRole"]);
    expect(connectStatements.length).toBeGreaterThan(roles.length);
    for (const statement of connectStatements) {
      for (const arn of resourcesOf(statement)) {
        expect(JSON.stringify(arn)).toContain(`:instance/${INSTANCE_ID}`);
      }
    }
    expect(JSON.stringify(stack.template)).not.toContain("00000000-0000-0000-0000-000000000000");
    expect(environment("SyncDashworkerLambdaFunction").CONNECT_INSTANCE_ID).toBe(INSTANCE_ID);
    expect(state.service.provider.region).toBe("eu-west-2");
  });

  it("hands the account's raised quotas and the service's share to the workers and the reconciliation", () => {
    const [[, mapping] = []] = resourcesOfType(template, "AWS::Lambda::EventSourceMapping");

    expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 3 });
    for (const fn of ["SyncDashworkerLambdaFunction", "ReconcileLambdaFunction"]) {
      expect(environment(fn)).toMatchObject({
        CONNECT_QUOTAS: "CreateUser=4/8,UpdateUserRoutingProfile=6",
        CONNECT_QUOTA_SHARE: "0.75",
      });
    }
  });

  it("runs the reconciliation on the given schedule", () => {
    const [[, rule] = []] = resourcesOfType(template, "AWS::Events::Rule");

    expect(rule?.Properties.ScheduleExpression).toBe("cron(30 3 * * ? *)");
  });

  it("e-mails the alarms to the given address", () => {
    expect(props("AlarmEmailSubscription")).toEqual({
      TopicArn: { Ref: "AlarmTopic" },
      Protocol: "email",
      Endpoint: PARAMS.alarmEmail,
    });
  });

  it("keeps logs 90 days, logs at INFO and protects the tables from deletion", () => {
    for (const [, group] of resourcesOfType(template, "AWS::Logs::LogGroup")) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
    expect(environment("HrDashwebhookLambdaFunction").POWERTOOLS_LOG_LEVEL).toBe("INFO");
    for (const [, table] of resourcesOfType(template, "AWS::DynamoDB::Table")) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it("traces nothing when tracing is false: tracing passed through, no X-Ray grant, the functions told so", () => {
    const functions = resourcesOfType(template, "AWS::Lambda::Function");
    const xray = allStatements(template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith("xray:")),
    );

    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: "PassThrough" });
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables
          .POWERTOOLS_TRACE_ENABLED,
      ).toBe("false");
    }
    expect(xray).toEqual([]);
  });

  it("names queues, tables, alarms and metrics after the stage", () => {
    expect(props("SyncQueue").QueueName).toBe("connect-hr-sync-prod-events.fifo");
    expect(props("EmployeesTable").TableName).toBe("connect-hr-sync-prod-employees");
    expect(props("DeadLetterQueueAlarm").AlarmName).toBe("connect-hr-sync-prod-dlq-not-empty");
    expect(props("DeletionsHeldAlarm").Namespace).toBe("ConnectHrSync/prod");
    expect(environment("SyncDashworkerLambdaFunction").POWERTOOLS_METRICS_NAMESPACE).toBe(
      "ConnectHrSync/prod",
    );
  });

  it("reads secrets from SSM when asked: each function only its own parameters", () => {
    const parameter = (name: string) => ({
      "Fn::Sub": `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name}`,
    });
    const apiKey = {
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: parameter("connect-hr-sync-prod-bamboohr-api-key"),
    };
    const hiBobToken = {
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: parameter("connect-hr-sync-prod-hibob-api-token"),
    };

    expect(secretStatements("HrWebhookRole")).toEqual([
      {
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: [
          parameter("connect-hr-sync-prod-canonical-webhook"),
          parameter(PARAMS.bamboohrWebhookSecret),
        ],
      },
      {
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: parameter(PARAMS.hibobWebhookSecret),
      },
    ]);
    expect(secretStatements("SyncWorkerRole")).toEqual([apiKey, hiBobToken]);
    expect(secretStatements("ReconcileRole")).toEqual([
      apiKey,
      hiBobToken,
      {
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: [parameter("connect-hr-sync-prod-workday-client")],
      },
    ]);
    expect(secretStatements("ScimRole")).toEqual([
      {
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: parameter("connect-hr-sync-prod-scim-token"),
      },
    ]);
    expect(environment("HrDashwebhookLambdaFunction")).toMatchObject({
      CANONICAL_WEBHOOK_SECRET_REF: "ssm:connect-hr-sync-prod-canonical-webhook",
      BAMBOOHR_WEBHOOK_SECRET_REF: `ssm:${PARAMS.bamboohrWebhookSecret}`,
      HIBOB_WEBHOOK_SECRET_REF: `ssm:${PARAMS.hibobWebhookSecret}`,
      HIBOB_MAX_EVENT_AGE_HOURS: "96",
    });
    for (const fn of ["SyncDashworkerLambdaFunction", "ReconcileLambdaFunction"]) {
      expect(environment(fn)).toMatchObject({
        HIBOB_SERVICE_USER_ID: PARAMS.hibobServiceUserId,
        HIBOB_API_TOKEN_REF: "ssm:connect-hr-sync-prod-hibob-api-token",
        HIBOB_API_URL: "https://api.hibob.com",
      });
    }
  });
});

describe("a stack with a rosters file", () => {
  const OBJECTS = "arn:aws:s3:::acme-hr-exports";
  const ask =
    (policies: { name: string; policy: unknown }[]) =>
    async (action: string, resource: string, context: Record<string, string> = {}) =>
      decide({
        principal: role("ReconcileRole"),
        identityPolicies: policies,
        action,
        resource,
        context,
      });

  it.each([
    ["ReconcileRole", () => rolePolicies(template, "ReconcileRole")],
    ["OperatorRosterPolicy", () => [managedPolicy(template, "OperatorRosterPolicy")]],
  ] as const)("%s reads the S3 roster's prefix and nothing else of S3", async (_, policies) => {
    const may = ask(policies());

    expect(await may("s3:ListBucket", OBJECTS, { "s3:prefix": "connect-hr-sync/canonical/" })).toBe(
      "Allowed",
    );
    expect(await may("s3:GetObject", `${OBJECTS}/connect-hr-sync/canonical/2026-12-01.csv`)).toBe(
      "Allowed",
    );
    expect(await may("s3:ListBucket", OBJECTS, { "s3:prefix": "payroll/" })).toBe(
      "ImplicitlyDenied",
    );
    expect(await may("s3:ListBucket", OBJECTS)).toBe("ImplicitlyDenied");
    expect(await may("s3:GetObject", `${OBJECTS}/payroll/2026-12.csv`)).toBe("ImplicitlyDenied");
    expect(
      await may("s3:GetObject", "arn:aws:s3:::other-bucket/connect-hr-sync/canonical/a.csv"),
    ).toBe("ImplicitlyDenied");
    expect(await may("s3:PutObject", `${OBJECTS}/connect-hr-sync/canonical/a.csv`)).toBe(
      "ImplicitlyDenied",
    );
  });

  it("packages the rosters file with the reconciliation, which carries it parsed", () => {
    const zip = readFileSync(join(stack.packageDir, "reconcile.zip")).toString("latin1");

    expect(environment("ReconcileLambdaFunction").ROSTERS_FILE).toBe(PARAMS.rostersFile);
    expect(zip).toContain(PARAMS.rostersFile);
    expect(template.Outputs?.OperatorRosterPolicyArn?.Value).toEqual({
      Ref: "OperatorRosterPolicy",
    });
  });

  it("stops the packaging at a rosters file that names a local-only secret", async () => {
    const output = await packageFailure(["--param", "rostersFile=config/local-rosters.yaml"], {
      files: {
        "config/local-rosters.yaml":
          "version: 1\nrosters:\n  canonical: { kind: https, url: https://hr.example.com/r, auth: { type: basic, secret: env:REPORT } }\n",
      },
    });

    expect(output).toContain(
      "rosters.canonical.auth.secret is env:REPORT: env: secrets are for local mode only",
    );
  }, 60_000);
});

describe("parameters that would break the quota", () => {
  it("stop the packaging with a message naming the parameter", async () => {
    const output = await packageFailure(["--param", "workerConcurrency=1"]);

    expect(output).toContain("workerConcurrency must be a whole number from 2 to 1000");
  }, 60_000);

  it("stop the packaging when one record could need more than the worker's timeout", async () => {
    const output = await packageFailure(["--param", "workerConcurrency=13"]);

    expect(output).toContain(
      "workerConcurrency 13: one record can wait up to 64 s for Connect at 2/s",
    );
    expect(output).toContain("Lower workerConcurrency to 12");
  }, 60_000);
});
