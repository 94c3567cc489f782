"use strict";

/**
 * The CloudWatch dashboard's body, for serverless.yml:
 *
 *   DashboardBody:
 *     Fn::Sub:
 *       - ${file(scripts/stack/dashboard.cjs):body}
 *       - { Namespace: ..., Service: ..., WorkerFunction: ..., ... }
 *
 * The body is JSON text with ${Placeholders} that CloudFormation fills in
 * (the names in the map above, and AWS::Region / AWS::AccountId /
 * AWS::Partition). Rows: alarms; events in / applied / failed; Connect calls
 * by operation and throttles; drift by class and the reconciliation; the
 * queues; the functions.
 */

/** Every Amazon Connect operation the gateway calls: one `Connect<Operation>` metric each. */
const CONNECT_OPERATIONS = [
  "CreateUser",
  "DescribeUser",
  "DeleteUser",
  "UpdateUserRoutingProfile",
  "UpdateUserSecurityProfiles",
  "UpdateUserHierarchy",
  "UpdateUserIdentityInfo",
  "UpdateUserPhoneConfig",
  "SearchUsers",
  "ListUsers",
  "ListRoutingProfiles",
  "ListSecurityProfiles",
  "ListUserHierarchyGroups",
  "DescribeUserHierarchyGroup",
  "DescribeUserHierarchyStructure",
  "TagResource",
  "UntagResource",
  "ListQuickConnects",
  "DescribeQuickConnect",
  "DeleteQuickConnect",
];

/** The reconciliation's drift classes: one `Drift<Class>` metric each. */
const DRIFT_CLASSES = [
  "InSync",
  "Missing",
  "Drifted",
  "Renamed",
  "Orphaned",
  "Unmanaged",
  "Protected",
  "NotYetDue",
  "Due",
  "Adoptable",
  "Invalid",
  "Disabled",
];

/** The alarms' name suffixes (after `<service>-<stage>-`), as serverless.yml names them. */
const ALARMS = [
  "dlq-not-empty",
  "worker-errors",
  "connect-throttling",
  "deletions-held",
  "reconcile-failed",
  "reconcile-not-run",
  "webhook-5xx",
  "queue-age",
];

/** A placeholder that CloudFormation's Fn::Sub fills in: ref("ApiId") is ${ApiId}. */
const ref = (name) => `\${${name}}`;

const app = (name, options = {}) => [
  ref("Namespace"),
  name,
  "service",
  ref("Service"),
  { stat: "Sum", ...options },
];
const lambda = (name, fn, options = {}) => [
  "AWS/Lambda",
  name,
  "FunctionName",
  fn,
  { stat: "Sum", ...options },
];
const sqs = (name, queue, options = {}) => [
  "AWS/SQS",
  name,
  "QueueName",
  queue,
  { stat: "Maximum", ...options },
];
const api = (name, options = {}) => [
  "AWS/ApiGateway",
  name,
  "ApiId",
  ref("ApiId"),
  { stat: "Sum", ...options },
];

const graph = (title, metrics, properties = {}) => ({
  type: "metric",
  properties: {
    title,
    region: ref("AWS::Region"),
    view: "timeSeries",
    period: 300,
    metrics,
    ...properties,
  },
});

function widgets() {
  return [
    {
      type: "alarm",
      width: 24,
      height: 3,
      properties: {
        title: "Alarms (runbook: docs/deploy.md)",
        alarms: ALARMS.map(
          (name) =>
            `arn:${ref("AWS::Partition")}:cloudwatch:${ref("AWS::Region")}:${ref("AWS::AccountId")}` +
            `:alarm:${ref("AlarmPrefix")}-${name}`,
        ),
      },
    },
    graph("Events in", [
      app("WebhookEventsAccepted", { label: "accepted by the webhook" }),
      api("Count", { label: "webhook requests" }),
      sqs("NumberOfMessagesSent", ref("QueueName"), {
        stat: "Sum",
        label: "queued (webhook and repairs)",
      }),
    ]),
    graph(
      "Applied",
      [
        app("AgentsCreated", { label: "created" }),
        app("AgentsUpdated", { label: "updated" }),
        app("AgentsDeleted", { label: "deleted" }),
        app("AgentsAdopted", { label: "adopted" }),
        app("AgentsDisabled", { label: "disabled" }),
        app("AgentsReenabled", { label: "re-enabled" }),
        app("EventsUnchanged", { label: "unchanged" }),
        app("EventsStale", { label: "stale" }),
        app("EventsProtected", { label: "protected" }),
        app("EventsNotYetDue", { label: "not yet due" }),
        app("EventsDuplicate", { label: "duplicate" }),
      ],
      { stacked: true },
    ),
    graph("Failed", [
      app("EventsDeadLettered", { label: "sent to the DLQ" }),
      sqs("ApproximateNumberOfMessagesVisible", ref("DeadLetterQueueName"), {
        label: "waiting in the DLQ",
      }),
      lambda("Errors", ref("WorkerFunction"), { label: "sync-worker errors" }),
      api("5xx", { label: "webhook 5xx" }),
      api("4xx", { label: "webhook 4xx" }),
    ]),
    graph(
      "Connect calls by operation",
      CONNECT_OPERATIONS.map((operation) => app(`Connect${operation}`, { label: operation })),
      { stacked: true },
    ),
    graph("Connect throttles", [
      app("ConnectThrottles", { id: "throttles", label: "throttled calls" }),
      app("ConnectCalls", { id: "calls", label: "calls", yAxis: "right" }),
      [{ expression: "100 * FILL(throttles, 0) / calls", label: "throttled %", id: "percent" }],
    ]),
    graph(
      "Drift by class (per run)",
      DRIFT_CLASSES.map((driftClass) =>
        app(`Drift${driftClass}`, { stat: "Maximum", label: driftClass }),
      ),
      { period: 3600, start: "-P14D", stacked: true },
    ),
    graph(
      "Reconciliation",
      [
        app("ReconcileRuns", { label: "runs" }),
        app("RepairsQueued", { label: "repairs queued" }),
        app("RepairsNotQueued", { label: "repairs not queued" }),
        app("DeletionsHeld", { stat: "Maximum", label: "deletions held" }),
        app("ReconcileFailed", { label: "failed" }),
        app("ReconcileDuration", { stat: "Maximum", label: "duration (ms)", yAxis: "right" }),
      ],
      { period: 3600, start: "-P14D" },
    ),
    graph("Queues", [
      sqs("ApproximateNumberOfMessagesVisible", ref("QueueName"), { label: "queued" }),
      sqs("ApproximateAgeOfOldestMessage", ref("QueueName"), {
        label: "oldest (s)",
        yAxis: "right",
      }),
      sqs("ApproximateNumberOfMessagesVisible", ref("DeadLetterQueueName"), { label: "DLQ" }),
    ]),
    graph("Functions: errors and throttles", [
      lambda("Errors", ref("WorkerFunction"), { label: "sync-worker errors" }),
      lambda("Errors", ref("WebhookFunction"), { label: "hr-webhook errors" }),
      lambda("Errors", ref("ReconcileFunction"), { label: "reconcile errors" }),
      lambda("Throttles", ref("WorkerFunction"), { label: "sync-worker throttles" }),
      lambda("ConcurrentExecutions", ref("WorkerFunction"), {
        stat: "Maximum",
        label: "sync-worker concurrency",
        yAxis: "right",
      }),
    ]),
    graph("Functions: duration (p99)", [
      lambda("Duration", ref("WorkerFunction"), { stat: "p99", label: "sync-worker" }),
      lambda("Duration", ref("WebhookFunction"), { stat: "p99", label: "hr-webhook" }),
      lambda("Duration", ref("ReconcileFunction"), { stat: "p99", label: "reconcile" }),
    ]),
  ];
}

/** Places the widgets two to a row, except those that set their own width. */
function layout(items) {
  let x = 0;
  let y = 0;
  return items.map((item) => {
    const width = item.width ?? 12;
    const height = item.height ?? 6;
    if (x + width > 24) {
      x = 0;
      y += 6;
    }
    const placed = { ...item, x, y, width, height };
    x += width;
    if (x >= 24) {
      x = 0;
      y += height;
    }
    return placed;
  });
}

module.exports = {
  CONNECT_OPERATIONS,
  DRIFT_CLASSES,
  ALARMS,
  body: () => JSON.stringify({ widgets: layout(widgets()) }),
};
