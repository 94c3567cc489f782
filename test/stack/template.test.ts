import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { report } from "../../scripts/bundle-report";
import { DRIFT_CLASSES } from "../../src/domain/drift";
import { FACET_TABLE } from "../../src/domain/facets";
import { SERVICE_NAME } from "../../src/runtime/observability";
import { ACCOUNT, decide, managedPolicy, materialize, rolePolicies } from "./iam-simulator";
import {
  actionsOf,
  actionsOn,
  allStatements,
  decideConditions,
  type PackagedStack,
  packageStack,
  type Resource,
  resource,
  resourcesOf,
  resourcesOfType,
  roleStatements,
  type Statement,
  type Template,
} from "./package-stack";

/**
 * The CloudFormation template `serverless package` produces with the
 * defaults (stage dev): what an operator deploys when they pass only the
 * instance id.
 */

const require = createRequire(import.meta.url);
const dashboardModule = require("../../scripts/stack/dashboard.cjs") as {
  CONNECT_OPERATIONS: string[];
  ALARMS: string[];
};
const ROOT = new URL("../..", import.meta.url).pathname;
const defaults = (
  parse(readFileSync(join(ROOT, "serverless.yml"), "utf8")) as {
    params: { default: Record<string, string | number> };
  }
).params.default;

/** Every Connect operation the gateway sends: its own calls, and one Update per facet. */
const gatewayOperations = [
  ...new Set([
    ...["src/connect/gateway.ts", "src/connect/quick-connects.ts"].flatMap((file) =>
      [
        ...readFileSync(join(ROOT, file), "utf8").matchAll(
          /(?:send|change|everyPage)\(\s*"(\w+)"/g,
        ),
      ].map((m) => m[1] as string),
    ),
    ...Object.values(FACET_TABLE).map((facet) => facet.operation),
  ]),
].sort();

/** The source of the code that emits metrics: the use cases and their runtime wiring. */
const appSource = ["src/app", "src/runtime"]
  .flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => readFileSync(join(ROOT, dir, file), "utf8")),
  )
  .join("\n");

const FUNCTIONS = {
  worker: "SyncDashworkerLambdaFunction",
  webhook: "HrDashwebhookLambdaFunction",
  reconcile: "ReconcileLambdaFunction",
  scim: "ScimLambdaFunction",
} as const;

let stack: PackagedStack;
/** The template as CloudFormation sees it with these parameters: every Fn::If decided. */
let template: Template;

beforeAll(async () => {
  stack = await packageStack();
  template = decideConditions(stack.template);
}, 120_000);

afterAll(async () => {
  await stack?.cleanUp();
});

const props = (logicalId: string) => resource(template, logicalId).Properties;
const environment = (fn: string) =>
  (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;
const getAtt = (logicalId: string, attribute = "Arn") => ({ "Fn::GetAtt": [logicalId, attribute] });
/** The worker's SQS event source mapping. */
function eventSourceMapping(): Record<string, unknown> {
  const mappings = resourcesOfType(template, "AWS::Lambda::EventSourceMapping");
  expect(mappings).toHaveLength(1);
  return (mappings[0] as [string, Resource])[1].Properties;
}

describe("the queue", () => {
  it("is FIFO, encrypted, and moves a message to a FIFO DLQ after maxReceiveCount deliveries", () => {
    const queue = props("SyncQueue");
    const dlq = props("SyncDeadLetterQueue");

    expect(queue.FifoQueue).toBe(true);
    expect(dlq.FifoQueue).toBe(true);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt("SyncDeadLetterQueue"),
      maxReceiveCount: defaults.maxReceiveCount,
    });
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(dlq.SqsManagedSseEnabled).toBe(true);
  });

  it("keeps a message invisible for at least six times the worker's timeout", () => {
    const visibility = props("SyncQueue").VisibilityTimeout as number;
    const timeout = props(FUNCTIONS.worker).Timeout as number;

    expect(timeout).toBeGreaterThan(0);
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it("feeds the worker, which reports partial batch failures, with bounded concurrency", () => {
    const mapping = eventSourceMapping();

    expect(mapping).toMatchObject({
      EventSourceArn: getAtt("SyncQueue"),
      FunctionName: getAtt(FUNCTIONS.worker),
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: defaults.workerConcurrency },
      // Two workers at the default quotas: batches of 5, each worked through within maxReceiveCount receives.
      BatchSize: 5,
    });
  });
});

describe("the Connect quotas", () => {
  it("give every worker and the reconciliation the same per-operation budgets, shared in one table", () => {
    for (const fn of [FUNCTIONS.worker, FUNCTIONS.reconcile]) {
      const env = environment(fn);
      expect(env).toMatchObject({
        CONNECT_QUOTAS: "",
        CONNECT_QUOTA_SHARE: "1",
        BUDGET_TABLE: { Ref: "ConnectBudgetTable" },
      });
      // No static share of a single bucket: nothing is split ahead.
      expect(env.CONNECT_RPS).toBeUndefined();
    }
    // A record is started with at least 52 s left: 8 calls behind 2 x 5 records in flight and the
    // reconciliation at 2/s, and one call's retries.
    expect(environment(FUNCTIONS.worker).WORKER_RECORD_RESERVE_SECONDS).toBe("52");
    expect(stack.template.Resources.ConnectBudgetTable?.Properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "operation", KeyType: "HASH" }],
    });
  });

  it("let the functions that call Connect take tokens from the budget table, and no one else", () => {
    for (const role of ["SyncWorkerRole", "ReconcileRole"]) {
      expect(actionsOn(roleStatements(template, role), "ConnectBudgetTable")).toEqual([
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
      ]);
    }
    for (const role of ["HrWebhookRole", "ScimRole"]) {
      expect(actionsOn(roleStatements(template, role), "ConnectBudgetTable")).toEqual([]);
    }
  });
});

describe("the reconciliation", () => {
  it("runs on its schedule, for real (not a dry run)", () => {
    const [[, rule] = []] = resourcesOfType(template, "AWS::Events::Rule");
    const [[, permission] = []] = resourcesOfType(template, "AWS::Lambda::Permission").filter(
      ([, p]) => p.Properties.Principal === "events.amazonaws.com",
    );

    expect(rule?.Properties).toMatchObject({
      Name: "connect-hr-sync-dev-reconcile",
      ScheduleExpression: defaults.reconcileSchedule,
      State: "ENABLED",
      Targets: [{ Arn: getAtt(FUNCTIONS.reconcile), Input: JSON.stringify({ dryRun: false }) }],
    });
    expect(permission?.Properties.FunctionName).toEqual(getAtt(FUNCTIONS.reconcile));
  });

  it("runs one at a time, and neither EventBridge nor Lambda retries the scheduled run", () => {
    const [[, rule] = []] = resourcesOfType(template, "AWS::Events::Rule");
    const [[, invokeConfig] = []] = resourcesOfType(template, "AWS::Lambda::EventInvokeConfig");
    const [target] = (rule?.Properties.Targets ?? []) as {
      RetryPolicy?: { MaximumRetryAttempts: number };
    }[];

    expect(props(FUNCTIONS.reconcile).ReservedConcurrentExecutions).toBe(1);
    expect(target?.RetryPolicy?.MaximumRetryAttempts).toBe(0);
    expect(invokeConfig?.Properties).toMatchObject({
      FunctionName: { Ref: FUNCTIONS.reconcile },
      MaximumRetryAttempts: 0,
    });
  });
});

describe("the tables", () => {
  it("are on demand, encrypted and recoverable to any point in time", () => {
    const tables = resourcesOfType(template, "AWS::DynamoDB::Table");

    expect(tables.map(([id]) => id).sort()).toEqual([
      "AuditTable",
      "ConnectBudgetTable",
      "EmployeesTable",
      "IdempotencyTable",
      "ReconcileRunsTable",
      "ScimUsersTable",
    ]);
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it("let audit entries, idempotency records and runs expire, and keep employees", () => {
    const ttl = (id: string) => props(id).TimeToLiveSpecification;

    expect(ttl("AuditTable")).toEqual({ AttributeName: "expiresAt", Enabled: true });
    expect(ttl("ReconcileRunsTable")).toEqual({ AttributeName: "expiresAt", Enabled: true });
    expect(ttl("IdempotencyTable")).toEqual({ AttributeName: "expiration", Enabled: true });
    expect(ttl("ScimUsersTable")).toEqual({ AttributeName: "expiresAt", Enabled: true });
    expect(ttl("EmployeesTable")).toBeUndefined();
  });
});

describe("the placeholder instance id", () => {
  it("packages with a warning that deploy refuses it", () => {
    expect(defaults.instanceId).toBe("00000000-0000-0000-0000-000000000000");
    expect(stack.output).toMatch(
      /instanceId is the placeholder 00000000-0000-0000-0000-000000000000: pass --param instanceId=<your Connect instance id> before deploying \(serverless deploy refuses it\)/,
    );
  });
});

describe("the sync queue without operatorRoleArns", () => {
  const send = async (principal: string, policies: { name: string; policy: unknown }[]) =>
    decide({
      principal,
      identityPolicies: policies,
      action: "sqs:SendMessage",
      resource: String(materialize(template, getAtt("SyncQueue"))),
      resourcePolicy: materialize(template, props("SyncQueuePolicy").PolicyDocument),
    });

  it("takes events from the webhook, the reconciliation and the scim function only; packaging warns that operators cannot redrive", async () => {
    const webhook = await send(
      `arn:aws:iam::${ACCOUNT}:role/HrWebhookRole`,
      rolePolicies(template, "HrWebhookRole"),
    );
    const reconcile = await send(
      `arn:aws:iam::${ACCOUNT}:role/ReconcileRole`,
      rolePolicies(template, "ReconcileRole"),
    );
    const scim = await send(
      `arn:aws:iam::${ACCOUNT}:role/ScimRole`,
      rolePolicies(template, "ScimRole"),
    );
    const operator = await send(`arn:aws:iam::${ACCOUNT}:role/on-call`, [
      managedPolicy(template, "OperatorPolicy"),
    ]);

    expect({ webhook, reconcile, scim, operator }).toEqual({
      webhook: "Allowed",
      reconcile: "Allowed",
      scim: "Allowed",
      operator: "ExplicitlyDenied",
    });
    expect(stack.output).toContain("operatorRoleArns is empty");
  });

  it("is the only queue the DLQ takes dead letters from", () => {
    const allow = props("SyncDeadLetterQueue").RedriveAllowPolicy as {
      redrivePermission: string;
      sourceQueueArns: unknown[];
    };

    expect(allow.redrivePermission).toBe("byQueue");
    expect(materialize(template, allow.sourceQueueArns)).toEqual([
      materialize(template, getAtt("SyncQueue")),
    ]);
  });
});

describe("the webhook API", () => {
  it("routes every method below /scim/v2 to the scim function, and the webhooks to theirs", () => {
    const routes = resourcesOfType(template, "AWS::ApiGatewayV2::Route").map(
      ([, r]) => r.Properties.RouteKey,
    );

    expect(routes.sort()).toEqual([
      "ANY /scim/v2/{proxy+}",
      "POST /hr/events",
      "POST /hr/events/{source}",
    ]);
    expect(template.Outputs?.ScimUrl).toBeDefined();
  });

  it("is throttled at the stage", () => {
    const settings = props("HttpApiStage").DefaultRouteSettings;

    expect(settings).toMatchObject({
      ThrottlingRateLimit: defaults.webhookRateLimit,
      ThrottlingBurstLimit: defaults.webhookBurstLimit,
    });
  });
});

describe("the functions", () => {
  it("run Node.js 22 on arm64, traced by X-Ray, with Powertools set for the stage", () => {
    for (const fn of Object.values(FUNCTIONS)) {
      expect(props(fn)).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
      });
      expect(environment(fn)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: "ConnectHrSync/dev",
        POWERTOOLS_LOG_LEVEL: "DEBUG",
        POWERTOOLS_TRACE_ENABLED: "true",
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
      });
    }
    // Each function's role may send its traces.
    const xray = allStatements(template).filter((s) =>
      actionsOf(s).includes("xray:PutTraceSegments"),
    );
    expect(xray).toHaveLength(Object.keys(FUNCTIONS).length);
  });

  it("log to groups kept for the stage's retention (14 days in dev)", () => {
    const groups = resourcesOfType(template, "AWS::Logs::LogGroup");

    // One per function, and the HTTP API's access log.
    expect(groups).toHaveLength(Object.keys(FUNCTIONS).length + 1);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it("read secrets from Secrets Manager at run time: the environment holds only where they are", () => {
    const variables = Object.values(FUNCTIONS).flatMap((fn) => Object.entries(environment(fn)));

    expect(variables.filter(([name]) => /SECRET$|API_KEY$|PASSWORD/.test(name))).toEqual([]);
    for (const [name, value] of variables.filter(([name]) => name.endsWith("_REF"))) {
      expect(value, name).toMatch(/^secretsmanager:/);
    }
    expect(String(environment(FUNCTIONS.webhook).SECRET_ROTATION_HOURS)).toBe(
      String(defaults.secretRotationHours),
    );
  });

  it("each run with a role of their own", () => {
    const roles = Object.values(FUNCTIONS).map((fn) => props(fn).Role);

    expect(roles).toEqual([
      getAtt("SyncWorkerRole"),
      getAtt("HrWebhookRole"),
      getAtt("ReconcileRole"),
      getAtt("ScimRole"),
    ]);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });
});

describe("IAM", () => {
  it("never grants connect:* or a wildcard action, nor a Connect action on every resource", () => {
    // The alarm key's policy hands the key to the account's IAM (kms:* for the root): the
    // default key policy, which grants nobody anything by itself.
    const delegatesToIam = (s: Statement) =>
      JSON.stringify(s.Principal) ===
      JSON.stringify({ AWS: { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root` } });
    const statements = allStatements(stack.template.Resources).filter((s) => !delegatesToIam(s));

    expect(statements.length).toBeGreaterThan(20);
    for (const statement of statements.filter((s) => s.Effect === "Allow")) {
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/(^|:)\*$/);
      if (!actionsOf(statement).some((a) => a.startsWith("connect:"))) continue;
      for (const arn of resourcesOf(statement)) {
        expect(arn).toEqual({ "Fn::Sub": expect.any(String) });
        expect((arn as { "Fn::Sub": string })["Fn::Sub"]).toMatch(
          new RegExp(
            `^arn:\\$\\{AWS::Partition\\}:connect:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:instance/${defaults.instanceId}(/(agent|routing-profile|security-profile|agent-group|transfer-destination)/\\*)?$`,
          ),
        );
      }
    }
  });

  it("lets the worker make every Connect call of the gateway, and the reconciliation only read", () => {
    const connectActions = (role: string) =>
      roleStatements(template, role)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith("connect:"));
    const worker = connectActions("SyncWorkerRole");
    const reconcile = connectActions("ReconcileRole");

    expect(gatewayOperations).toHaveLength(20);
    for (const operation of gatewayOperations) {
      expect([...worker, ...reconcile]).toContain(`connect:${operation}`);
    }
    expect(worker).toContain("connect:TagResource");
    expect(reconcile.filter((a) => /:(Create|Delete|Update|Tag)/.test(a))).toEqual([]);
    expect(connectActions("HrWebhookRole")).toEqual([]);
  });

  it("gives each role only the queue and table actions its code calls", () => {
    const worker = roleStatements(template, "SyncWorkerRole");
    const reconcile = roleStatements(template, "ReconcileRole");
    const webhook = roleStatements(template, "HrWebhookRole");

    expect(actionsOn(worker, "SyncQueue")).toEqual([
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
    expect(actionsOn(worker, "SyncDeadLetterQueue")).toEqual(["sqs:SendMessage"]);
    expect(actionsOn(worker, "EmployeesTable")).toEqual(["dynamodb:GetItem", "dynamodb:PutItem"]);
    expect(actionsOn(worker, "AuditTable")).toEqual(["dynamodb:PutItem"]);
    expect(actionsOn(worker, "ReconcileRunsTable")).toEqual([
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(worker, "IdempotencyTable")).toEqual([
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(reconcile, "SyncQueue")).toEqual(["sqs:SendMessage"]);
    expect(actionsOn(reconcile, "EmployeesTable")).toEqual([
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]);
    // GetItem: each HR roster's last good size (roster-history.ts).
    expect(actionsOn(reconcile, "ReconcileRunsTable")).toEqual([
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
    ]);
    // Without a rosters file the reconciliation reads no S3 at all.
    expect(reconcile.flatMap(actionsOf).filter((a) => a.startsWith("s3:"))).toEqual([]);
    expect(template.Resources.OperatorRosterPolicy).toBeUndefined();
    expect(actionsOn(webhook, "SyncQueue")).toEqual(["sqs:SendMessage"]);
    expect(webhook.flatMap(actionsOf).filter((a) => a.startsWith("dynamodb:"))).toEqual([]);
  });

  it("lets the scim function use its own table, send to the queue and read its token; no Connect", () => {
    const scim = roleStatements(template, "ScimRole");
    const secrets = scim.filter((s) => actionsOf(s).some((a) => a.startsWith("secretsmanager:")));

    expect(actionsOn(scim, "ScimUsersTable")).toEqual([
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(scim, "SyncQueue")).toEqual(["sqs:SendMessage"]);
    expect(scim.flatMap(actionsOf).filter((a) => /^(connect|ssm):/.test(a))).toEqual([]);
    expect(secrets).toEqual([
      {
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: {
          "Fn::Sub": `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:connect-hr-sync-dev-scim-token-??????`,
        },
      },
    ]);
    expect(environment(FUNCTIONS.scim)).toMatchObject({
      QUEUE_URL: { Ref: "SyncQueue" },
      SCIM_USERS_TABLE: { Ref: "ScimUsersTable" },
      SCIM_TOKEN_REF: "secretsmanager:connect-hr-sync-dev-scim-token",
    });
  });

  it("lets the webhook read its signing secret and nothing else; no other function reads a secret", () => {
    const secretStatements = (role: string) =>
      roleStatements(template, role).filter((s) =>
        actionsOf(s).some((a) => a.startsWith("secretsmanager:") || a.startsWith("ssm:")),
      );

    expect(secretStatements("HrWebhookRole")).toEqual([
      {
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [
          {
            "Fn::Sub": `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:connect-hr-sync-dev-canonical-webhook-??????`,
          },
        ],
      },
    ]);
    expect(secretStatements("SyncWorkerRole")).toEqual([]);
    expect(secretStatements("ReconcileRole")).toEqual([]);
  });

  it("gives operators a policy for redrive, approve and status that changes no Connect user", () => {
    const policy = props("OperatorPolicy").PolicyDocument as { Statement: never[] };
    const statements = allStatements(policy);

    expect(actionsOn(statements, "SyncDeadLetterQueue")).toEqual(
      expect.arrayContaining([
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ]),
    );
    expect(actionsOn(statements, "SyncQueue")).toEqual(
      expect.arrayContaining(["sqs:GetQueueUrl", "sqs:SendMessage"]),
    );
    expect(actionsOn(statements, "ReconcileRunsTable")).toEqual(
      expect.arrayContaining(["dynamodb:GetItem", "dynamodb:UpdateItem"]),
    );
    expect(actionsOn(statements, "EmployeesTable")).toContain("dynamodb:GetItem");
    expect(actionsOn(statements, "AuditTable")).toEqual(["dynamodb:Query"]);
    expect(actionsOn(statements, "SyncDeadLetterQueue")).not.toContain("sqs:SendMessage");
    expect(
      statements.flatMap(actionsOf).filter((a) => /^connect:(Create|Delete|Update|Tag)/.test(a)),
    ).toEqual([]);
    expect(template.Outputs?.OperatorPolicyArn?.Value).toEqual({ Ref: "OperatorPolicy" });
  });
});

/** What each alarm must watch: a metric, or the metrics of an expression. */
const ALARMS = {
  DeadLetterQueueAlarm: { watches: ["AWS/SQS ApproximateNumberOfMessagesVisible"], threshold: 0 },
  WorkerErrorsAlarm: { watches: ["AWS/Lambda Errors"], threshold: 0 },
  ConnectThrottlingAlarm: {
    watches: ["app ConnectThrottles", "app ConnectCalls"],
    threshold: defaults.throttleAlarmPercent,
  },
  DeletionsHeldAlarm: { watches: ["app DeletionsHeld"], threshold: 0 },
  ReconcileFailedAlarm: { watches: ["app ReconcileFailed", "AWS/Lambda Errors"], threshold: 0 },
  ReconcileNotRunAlarm: { watches: ["app ReconcileRuns"], threshold: 1 },
  WebhookServerErrorsAlarm: { watches: ["AWS/ApiGateway 5xx"], threshold: 0 },
  QueueAgeAlarm: {
    watches: ["AWS/SQS ApproximateAgeOfOldestMessage"],
    threshold: defaults.queueAgeAlarmSeconds,
  },
};

interface AlarmMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: unknown }[];
}

/** The metrics an alarm reads, with their period. */
function watched(alarm: Record<string, unknown>): (AlarmMetric & { Period: number })[] {
  if (alarm.MetricName) return [alarm as unknown as AlarmMetric & { Period: number }];
  return (alarm.Metrics as { MetricStat?: { Metric: AlarmMetric; Period: number } }[]).flatMap(
    (m) => (m.MetricStat ? [{ ...m.MetricStat.Metric, Period: m.MetricStat.Period }] : []),
  );
}

describe("the alarms", () => {
  it("are all there, each watching its metric and notifying the alarm topic", () => {
    const alarms = resourcesOfType(template, "AWS::CloudWatch::Alarm");

    expect(alarms.map(([id]) => id).sort()).toEqual(Object.keys(ALARMS).sort());
    for (const [id, alarm] of alarms) {
      const expected = ALARMS[id as keyof typeof ALARMS];
      const metrics = watched(alarm.Properties).map(
        (m) => `${m.Namespace.startsWith("AWS/") ? m.Namespace : "app"} ${m.MetricName}`,
      );
      expect(metrics, id).toEqual(expected.watches);
      expect(alarm.Properties.Threshold, id).toBe(expected.threshold);
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: "AlarmTopic" }]);
    }
    expect(resource(template, "AlarmTopic").Type).toBe("AWS::SNS::Topic");
  });

  it("watch the queue, functions and API of this stack", () => {
    const dimension = (id: string) => watched(props(id))[0]?.Dimensions[0];

    expect(dimension("DeadLetterQueueAlarm")).toEqual({
      Name: "QueueName",
      Value: getAtt("SyncDeadLetterQueue", "QueueName"),
    });
    expect(dimension("WorkerErrorsAlarm")).toEqual({
      Name: "FunctionName",
      Value: props(FUNCTIONS.worker).FunctionName,
    });
    expect(watched(props("ReconcileFailedAlarm"))[1]?.Dimensions[0]).toEqual({
      Name: "FunctionName",
      Value: props(FUNCTIONS.reconcile).FunctionName,
    });
    expect(dimension("WebhookServerErrorsAlarm")).toEqual({
      Name: "ApiId",
      Value: { Ref: "HttpApi" },
    });
  });

  it("on the service's own metrics use the namespace and dimension the code emits them with", () => {
    const own = resourcesOfType(template, "AWS::CloudWatch::Alarm")
      .flatMap(([, alarm]) => watched(alarm.Properties))
      .filter((m) => !m.Namespace.startsWith("AWS/"));

    expect(own.length).toBeGreaterThanOrEqual(5);
    for (const metric of own) {
      expect(metric.Namespace).toBe(environment(FUNCTIONS.worker).POWERTOOLS_METRICS_NAMESPACE);
      expect(metric.Dimensions).toEqual([{ Name: "service", Value: SERVICE_NAME }]);
      expect(appSource, metric.MetricName).toContain(`"${metric.MetricName}"`);
    }
  });

  it("fire when no reconciliation completed in 26 hours, within CloudWatch's limits", () => {
    const alarm = props("ReconcileNotRunAlarm");

    expect(alarm).toMatchObject({
      Statistic: "Sum",
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
    expect(Number(alarm.Period) * Number(alarm.EvaluationPeriods)).toBe(26 * 3600);
    expect(Number(alarm.DatapointsToAlarm)).toBe(Number(alarm.EvaluationPeriods));
    for (const [id, { Properties: a }] of resourcesOfType(template, "AWS::CloudWatch::Alarm")) {
      for (const { Period } of watched(a)) {
        const range = Period * Number(a.EvaluationPeriods);
        expect(Period % 60, id).toBe(0);
        expect(range, id).toBeLessThanOrEqual(Period < 3600 ? 86_400 : 604_800);
      }
    }
  });

  it("e-mail nobody unless alarmEmail is set, and packaging says so", () => {
    expect(stack.template.Resources.AlarmEmailSubscription?.Condition).toBe("HasAlarmEmail");
    expect(template.Resources.AlarmEmailSubscription).toBeUndefined();
    expect(stack.output).toContain("alarmEmail is empty: no alarm reaches a person");
  });

  it("fire when the oldest event on the sync queue waited longer than queueAgeAlarmSeconds", () => {
    const alarm = props("QueueAgeAlarm");

    expect(watched(alarm)[0]?.Dimensions).toEqual([
      { Name: "QueueName", Value: getAtt("SyncQueue", "QueueName") },
    ]);
    expect(alarm).toMatchObject({
      Statistic: "Maximum",
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 3600,
      TreatMissingData: "notBreaching",
    });
  });

  it("go to a topic encrypted with a rotated key of the stack's own", () => {
    const key = props("AlarmTopicKey");

    expect(props("AlarmTopic").KmsMasterKeyId).toEqual(getAtt("AlarmTopicKey"));
    expect(key.EnableKeyRotation).toBe(true);
    expect(template.Outputs?.AlarmTopicKeyArn?.Value).toEqual(getAtt("AlarmTopicKey"));
  });
});

describe("the dashboard", () => {
  const body = () => {
    const sub = props("Dashboard").DashboardBody as {
      "Fn::Sub": [string, Record<string, unknown>];
    };
    return { text: sub["Fn::Sub"][0], variables: sub["Fn::Sub"][1] };
  };
  const widget = (title: string) => {
    const widgets = (JSON.parse(body().text) as { widgets: { properties: { title: string } }[] })
      .widgets;
    const found = widgets.find((w) => w.properties.title.startsWith(title));
    if (!found) throw new Error(`no widget ${title}`);
    return found.properties as { title: string; metrics: unknown[][]; alarms?: string[] };
  };
  const metricNames = (title: string) =>
    widget(title)
      .metrics.filter((m) => typeof m[0] === "string")
      .map((m) => m[1]);

  it("is valid JSON whose every placeholder CloudFormation can fill", () => {
    const { text, variables } = body();

    expect(() => JSON.parse(text)).not.toThrow();
    for (const [, name] of text.matchAll(/\$\{([^}]+)\}/g)) {
      expect(name?.startsWith("AWS::") || Object.hasOwn(variables, name as string), name).toBe(
        true,
      );
    }
  });

  it("shows events in, applied and failed", () => {
    expect(metricNames("Events in")).toContain("WebhookEventsAccepted");
    expect(metricNames("Applied")).toEqual(
      expect.arrayContaining(["AgentsCreated", "AgentsUpdated", "AgentsDeleted"]),
    );
    expect(metricNames("Failed")).toEqual(
      expect.arrayContaining(["EventsDeadLettered", "ApproximateNumberOfMessagesVisible", "5xx"]),
    );
  });

  it("shows every Connect call by operation, and the throttles", () => {
    expect([...dashboardModule.CONNECT_OPERATIONS].sort()).toEqual(gatewayOperations);
    expect(metricNames("Connect calls by operation")).toEqual(
      dashboardModule.CONNECT_OPERATIONS.map((op) => `Connect${op}`),
    );
    expect(metricNames("Connect throttles")).toEqual(["ConnectThrottles", "ConnectCalls"]);
  });

  it("shows drift by every class the reconciliation counts", () => {
    const expected = DRIFT_CLASSES.map(
      (c) => `Drift${c.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase())}`,
    );

    expect(metricNames("Drift by class")).toEqual(expected);
  });

  it("lists every alarm", () => {
    const names = resourcesOfType(template, "AWS::CloudWatch::Alarm").map(([, a]) =>
      String(a.Properties.AlarmName).replace("connect-hr-sync-dev-", ""),
    );

    expect(
      widget("Alarms")
        .alarms?.map((arn) => arn.split("Prefix}-")[1])
        .sort(),
    ).toEqual(names.sort());
  });
});

describe("the outputs", () => {
  it("name the queues, tables, webhook URL, dashboard, alarm topic and operator policy", () => {
    expect(Object.keys(template.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        "SyncQueueUrl",
        "DeadLetterQueueUrl",
        "EmployeesTableName",
        "AuditTableName",
        "IdempotencyTableName",
        "ReconcileRunsTableName",
        "HttpApiUrl",
        "WebhookUrl",
        "DashboardName",
        "AlarmTopicArn",
        "OperatorPolicyArn",
      ]),
    );
  });
});

describe("the bundles", () => {
  it("are reported with their sizes, each with the AWS SDK once and no test dependency", () => {
    const lines: string[] = [];

    const passed = report(stack.packageDir, join(stack.serviceDir, ".esbuild/meta"), (line) =>
      lines.push(line),
    );

    expect(lines.filter((l) => l.includes("FAIL"))).toEqual([]);
    expect(passed).toBe(true);
    for (const fn of ["sync-worker", "hr-webhook", "reconcile"]) {
      expect(
        lines.some((l) => new RegExp(`^${fn} +\\d+ KiB +\\d+ KiB`).test(l)),
        fn,
      ).toBe(true);
    }
  });
});
