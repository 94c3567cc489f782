import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DISABLED_TAG,
  EMPLOYEE_TAG,
  MANAGED_TAG,
  managedTags,
  PROTECTED_TAG,
  SOURCE_TAG,
} from "../../src/domain/managed";
import {
  ACCOUNT,
  type Decision,
  decide,
  decideAll,
  managedPolicy,
  materialize,
  REGION,
  rolePolicies,
} from "./iam-simulator";
import { decideConditions, type PackagedStack, packageStack, type Template } from "./package-stack";

/**
 * The packaged IAM, decided request by request with an offline IAM
 * simulator: what the worker may do to a user the service manages, to one
 * it does not, to one a person tagged protected and to another instance's;
 * and who may send to the sync queue.
 */

const ROOT = new URL("../..", import.meta.url).pathname;
const INSTANCE_ID = "1a2b3c4d-1111-2222-3333-444455556666";
const OTHER_INSTANCE_ID = "9f8e7d6c-1111-2222-3333-444455556666";
/** The rules add a tag of their own to every user the service creates. */
const RULE_TAG = "cost-centre";
const RULES = `${readFileSync(join(ROOT, "config/sync-rules.yaml"), "utf8")}\ntags:\n  ${RULE_TAG}: CC-42\n`;
const ON_CALL = `arn:aws:iam::${ACCOUNT}:role/contact-centre-on-call`;
const SSO_OPERATORS = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Ops_*`;

let stack: PackagedStack;
let template: Template;

beforeAll(async () => {
  stack = await packageStack(
    [
      "--stage",
      "prod",
      "--param",
      `instanceId=${INSTANCE_ID}`,
      "--param",
      `region=${REGION}`,
      "--param",
      "alarmEmail=ops@example.com",
      "--param",
      `operatorRoleArns=${ON_CALL},${SSO_OPERATORS}`,
      "--param",
      "rulesFile=config/tagged-rules.yaml",
    ],
    { files: { "config/tagged-rules.yaml": RULES } },
  );
  template = decideConditions(stack.template);
}, 120_000);

afterAll(async () => {
  await stack?.cleanUp();
});

const instance = (id = INSTANCE_ID) => `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${id}`;
const user = (id = "u-1", instanceId = INSTANCE_ID) => `${instance(instanceId)}/agent/${id}`;
const routingProfile = (instanceId = INSTANCE_ID) => `${instance(instanceId)}/routing-profile/rp-1`;
const securityProfile = (instanceId = INSTANCE_ID) =>
  `${instance(instanceId)}/security-profile/sp-1`;
const hierarchyGroup = (instanceId = INSTANCE_ID) => `${instance(instanceId)}/agent-group/hg-1`;
const quickConnect = (instanceId = INSTANCE_ID) =>
  `${instance(instanceId)}/transfer-destination/qc-1`;

/** The resource tags a user carries, as IAM sees them. */
const carries = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
/** The tags a request sets, as IAM sees them. */
const sets = (tags: Record<string, string>) => ({
  "aws:TagKeys": Object.keys(tags),
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
});
/** The tag keys a request removes. */
const removes = (keys: string[]) => ({ "aws:TagKeys": keys });

/** What the worker tags a user with: managed, for employee E1 of the canonical source. */
const E1_TAGS = managedTags({ source: "canonical", employeeId: "E1" });
const MANAGED = carries(E1_TAGS);
const UNMANAGED = {};
const PROTECTED_MANAGED = carries({ ...E1_TAGS, [PROTECTED_TAG]: "true" });
const NEW_USER_TAGS: Record<string, string> = { ...E1_TAGS, [RULE_TAG]: "CC-42" };

const role = (logicalId: string) => `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
const asWorker = (action: string, resource: string, context = {}) =>
  decide({
    principal: role("SyncWorkerRole"),
    identityPolicies: rolePolicies(template, "SyncWorkerRole"),
    action,
    resource,
    context,
  });

const USER_CHANGES = [
  "connect:DeleteUser",
  "connect:UpdateUserRoutingProfile",
  "connect:UpdateUserSecurityProfiles",
  "connect:UpdateUserHierarchy",
  "connect:UpdateUserIdentityInfo",
  "connect:UpdateUserPhoneConfig",
];

describe("the worker's changes to one user", () => {
  it.each(USER_CHANGES)(
    "%s: a managed user yes; unmanaged, protected or another instance's no",
    async (action) => {
      const decisions = {
        managed: await asWorker(action, user(), MANAGED),
        unmanaged: await asWorker(action, user(), UNMANAGED),
        taggedNotManaged: await asWorker(action, user(), carries({ [MANAGED_TAG]: "false" })),
        protected: await asWorker(action, user(), PROTECTED_MANAGED),
        otherInstance: await asWorker(action, user("u-1", OTHER_INSTANCE_ID), MANAGED),
      };

      expect(decisions).toEqual({
        managed: "Allowed",
        unmanaged: "ImplicitlyDenied",
        taggedNotManaged: "ImplicitlyDenied",
        protected: "ExplicitlyDenied",
        otherInstance: "ImplicitlyDenied",
      });
    },
  );

  it.each([
    ["connect:UpdateUserRoutingProfile", routingProfile],
    ["connect:UpdateUserSecurityProfiles", securityProfile],
    ["connect:UpdateUserHierarchy", hierarchyGroup],
  ] as const)(
    "%s may name any profile or group of the instance, tagged or not, and none of another",
    async (action, target) => {
      const decisions = {
        untagged: await asWorker(action, target()),
        taggedBySomeoneElse: await asWorker(action, target(), carries({ team: "workforce" })),
        otherInstance: await asWorker(action, target(OTHER_INSTANCE_ID)),
      };

      expect(decisions).toEqual({
        untagged: "Allowed",
        taggedBySomeoneElse: "Allowed",
        otherInstance: "ImplicitlyDenied",
      });
    },
  );
});

describe("the worker's new users", () => {
  const create = (context: Record<string, string | string[]>, instanceId = INSTANCE_ID) =>
    decideAll(
      {
        principal: role("SyncWorkerRole"),
        identityPolicies: rolePolicies(template, "SyncWorkerRole"),
        action: "connect:CreateUser",
        context,
      },
      [
        user("new", instanceId),
        routingProfile(instanceId),
        securityProfile(instanceId),
        hierarchyGroup(instanceId),
      ],
    );

  it("carry the managed tags, an employee id and the rules' tags, and no other key", async () => {
    const { [RULE_TAG]: _, ...serviceTagsOnly } = NEW_USER_TAGS;
    const { [EMPLOYEE_TAG]: __, ...noEmployee } = NEW_USER_TAGS;
    const { [SOURCE_TAG]: ___, ...noSource } = NEW_USER_TAGS;
    const decisions = {
      withTheRulesTags: await create(sets(NEW_USER_TAGS)),
      serviceTagsOnly: await create(sets(serviceTagsOnly)),
      untagged: await create({}),
      notManaged: await create(sets({ ...NEW_USER_TAGS, [MANAGED_TAG]: "false" })),
      noEmployee: await create(sets(noEmployee)),
      noSource: await create(sets(noSource)),
      aForeignKey: await create(sets({ ...NEW_USER_TAGS, owner: "someone" })),
      protectedAtBirth: await create(sets({ ...NEW_USER_TAGS, [PROTECTED_TAG]: "true" })),
      otherInstance: await create(sets(NEW_USER_TAGS), OTHER_INSTANCE_ID),
    };

    expect(decisions).toEqual({
      withTheRulesTags: "Allowed",
      serviceTagsOnly: "Allowed",
      untagged: "ImplicitlyDenied",
      notManaged: "ImplicitlyDenied",
      noEmployee: "ImplicitlyDenied",
      noSource: "ImplicitlyDenied",
      aForeignKey: "ImplicitlyDenied",
      protectedAtBirth: "ImplicitlyDenied",
      otherInstance: "ImplicitlyDenied",
    });
  });

  it("may be tagged on creation, if CreateUser's tags need TagResource too", async () => {
    expect(await asWorker("connect:TagResource", user("new"), sets(NEW_USER_TAGS))).toBe("Allowed");
  });
});

describe("tags", () => {
  const tag = (context: Record<string, string | string[]>, resource = user()) =>
    asWorker("connect:TagResource", resource, context);
  const untag = (context: Record<string, string | string[]>, resource = user()) =>
    asWorker("connect:UntagResource", resource, context);
  const E7_TAGS = managedTags({ source: "bamboohr", employeeId: "E7" });
  const adoption = sets(E7_TAGS);

  it("an approved adoption tags the unmanaged user managed first, and may change it after", async () => {
    const before = await asWorker(
      "connect:UpdateUserRoutingProfile",
      user("console-user"),
      UNMANAGED,
    );
    const tagging = await tag(adoption, user("console-user"));
    const after = await asWorker(
      "connect:UpdateUserRoutingProfile",
      user("console-user"),
      carries(E7_TAGS),
    );

    expect({ before, tagging, after }).toEqual({
      before: "ImplicitlyDenied",
      tagging: "Allowed",
      after: "Allowed",
    });
  });

  it("on a user the service does not manage only ever mark it managed, for an employee", async () => {
    const decisions = {
      withTheRulesTag: await tag(sets({ ...E7_TAGS, [RULE_TAG]: "CC-42" })),
      disabledDateOnly: await tag(sets({ [DISABLED_TAG]: "2026-11-28" })),
      rulesTagOnly: await tag(sets({ [RULE_TAG]: "CC-42" })),
      withoutEmployee: await tag(sets({ [MANAGED_TAG]: "true" })),
      protectedUser: await tag({ ...adoption, ...carries({ [PROTECTED_TAG]: "true" }) }),
      otherInstance: await tag(adoption, user("u-1", OTHER_INSTANCE_ID)),
    };

    expect(decisions).toEqual({
      withTheRulesTag: "Allowed",
      disabledDateOnly: "ImplicitlyDenied",
      rulesTagOnly: "ImplicitlyDenied",
      withoutEmployee: "ImplicitlyDenied",
      protectedUser: "ExplicitlyDenied",
      otherInstance: "ImplicitlyDenied",
    });
  });

  it("on a managed user are the service's keys only; the protected tag is never the worker's", async () => {
    const onManaged = (tags: Record<string, string>) => tag({ ...MANAGED, ...sets(tags) });
    const decisions = {
      disabledDate: await onManaged({ [DISABLED_TAG]: "2026-11-28" }),
      rulesTag: await onManaged({ [RULE_TAG]: "CC-43" }),
      aForeignKey: await onManaged({ owner: "someone" }),
      protect: await onManaged({ [PROTECTED_TAG]: "true" }),
      aRoutingProfile: await tag(
        sets({ [MANAGED_TAG]: "true", [EMPLOYEE_TAG]: "E1" }),
        routingProfile(),
      ),
    };

    expect(decisions).toEqual({
      disabledDate: "Allowed",
      rulesTag: "Allowed",
      aForeignKey: "ImplicitlyDenied",
      protect: "ExplicitlyDenied",
      aRoutingProfile: "ImplicitlyDenied",
    });
  });

  it("come off a managed user only as the disabled date, on a rehire", async () => {
    const decisions = {
      disabledDate: await untag({ ...MANAGED, ...removes([DISABLED_TAG]) }),
      managedTag: await untag({ ...MANAGED, ...removes([MANAGED_TAG]) }),
      rulesTag: await untag({ ...MANAGED, ...removes([RULE_TAG]) }),
      protectedTag: await untag({ ...PROTECTED_MANAGED, ...removes([PROTECTED_TAG]) }),
      unmanaged: await untag(removes([DISABLED_TAG])),
    };

    expect(decisions).toEqual({
      disabledDate: "Allowed",
      managedTag: "ImplicitlyDenied",
      rulesTag: "ImplicitlyDenied",
      protectedTag: "ExplicitlyDenied",
      unmanaged: "ImplicitlyDenied",
    });
  });
});

describe("quick connects", () => {
  it("the worker lists, reads and deletes the instance's, except those tagged protected", async () => {
    const decisions = {
      list: await asWorker("connect:ListQuickConnects", `${instance()}/transfer-destination/*`),
      describe: await asWorker("connect:DescribeQuickConnect", quickConnect()),
      delete: await asWorker("connect:DeleteQuickConnect", quickConnect()),
      deleteProtected: await asWorker(
        "connect:DeleteQuickConnect",
        quickConnect(),
        carries({ [PROTECTED_TAG]: "true" }),
      ),
      deleteOtherInstance: await asWorker(
        "connect:DeleteQuickConnect",
        quickConnect(OTHER_INSTANCE_ID),
      ),
    };

    expect(decisions).toEqual({
      list: "Allowed",
      describe: "Allowed",
      delete: "Allowed",
      deleteProtected: "ExplicitlyDenied",
      deleteOtherInstance: "ImplicitlyDenied",
    });
  });
});

describe("the reconciliation and the operators", () => {
  const as =
    (principal: string, policies: { name: string; policy: unknown }[]) =>
    async (action: string, resource: string, context = {}) =>
      decide({ principal, identityPolicies: policies, action, resource, context });

  it.each([
    ["ReconcileRole", () => rolePolicies(template, "ReconcileRole")],
    ["OperatorPolicy", () => [managedPolicy(template, "OperatorPolicy")]],
  ] as const)(
    "%s reads users and quick connects and changes nothing, not even a managed user",
    async (_, policies) => {
      const ask = as(ON_CALL, policies());
      const changes: Record<string, Decision> = {};
      for (const action of [...USER_CHANGES, "connect:TagResource", "connect:UntagResource"])
        changes[action] = await ask(action, user(), MANAGED);
      changes["connect:CreateUser"] = await ask(
        "connect:CreateUser",
        user("new"),
        sets(NEW_USER_TAGS),
      );
      changes["connect:DeleteQuickConnect"] = await ask(
        "connect:DeleteQuickConnect",
        quickConnect(),
      );

      expect(
        Object.values(changes).every((d) => d === "ImplicitlyDenied"),
        JSON.stringify(changes),
      ).toBe(true);
      expect(await ask("connect:ListUsers", instance())).toBe("Allowed");
      expect(await ask("connect:SearchUsers", instance())).toBe("Allowed");
      expect(await ask("connect:DescribeQuickConnect", quickConnect())).toBe("Allowed");
      expect(await ask("connect:ListUsers", instance(OTHER_INSTANCE_ID))).toBe("ImplicitlyDenied");
    },
  );

  it("the webhook makes no Connect call at all", async () => {
    const ask = as(role("HrWebhookRole"), rolePolicies(template, "HrWebhookRole"));

    expect(await ask("connect:DescribeUser", user(), MANAGED)).toBe("ImplicitlyDenied");
    expect(await ask("connect:DeleteUser", user(), MANAGED)).toBe("ImplicitlyDenied");
  });
});

describe("the sync queue", () => {
  const queueArn = () => `arn:aws:sqs:${REGION}:${ACCOUNT}:connect-hr-sync-prod-events.fifo`;
  const queuePolicy = () =>
    materialize(template, template.Resources.SyncQueuePolicy?.Properties.PolicyDocument);
  const ADMIN = {
    name: "admin",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  };
  const send = (principal: string, identityPolicies: { name: string; policy: unknown }[]) =>
    decide({
      principal,
      identityPolicies,
      action: "sqs:SendMessage",
      resource: queueArn(),
      resourcePolicy: queuePolicy(),
    });

  it("takes events from the webhook, the reconciliation, the scim function and the named operators' roles", async () => {
    const operator = [managedPolicy(template, "OperatorPolicy")];
    const decisions = {
      webhook: await send(role("HrWebhookRole"), rolePolicies(template, "HrWebhookRole")),
      reconcile: await send(role("ReconcileRole"), rolePolicies(template, "ReconcileRole")),
      scim: await send(role("ScimRole"), rolePolicies(template, "ScimRole")),
      onCall: await send(ON_CALL, operator),
      ssoOperator: await send(
        `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_Ops_0123abcd`,
        operator,
      ),
    };

    expect(decisions).toEqual({
      webhook: "Allowed",
      reconcile: "Allowed",
      scim: "Allowed",
      onCall: "Allowed",
      ssoOperator: "Allowed",
    });
  });

  it("refuses everyone else, however much their own policies allow: the worker, an administrator", async () => {
    const decisions = {
      worker: await send(role("SyncWorkerRole"), [
        ...rolePolicies(template, "SyncWorkerRole"),
        ADMIN,
      ]),
      administrator: await send(`arn:aws:iam::${ACCOUNT}:role/Administrator`, [ADMIN]),
      anOperatorPolicyOnAnUnnamedRole: await send(`arn:aws:iam::${ACCOUNT}:role/developer`, [
        managedPolicy(template, "OperatorPolicy"),
      ]),
    };

    expect(decisions).toEqual({
      worker: "ExplicitlyDenied",
      administrator: "ExplicitlyDenied",
      anOperatorPolicyOnAnUnnamedRole: "ExplicitlyDenied",
    });
  });
});

describe("the alarm topic's key", () => {
  it("lets CloudWatch encrypt what it publishes, and no other service", async () => {
    const keyPolicy = materialize(template, template.Resources.AlarmTopicKey?.Properties.KeyPolicy);
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/AlarmTopicKey`;
    const use = (principal: string, action: string) =>
      decide({ principal, identityPolicies: [], action, resource: key, resourcePolicy: keyPolicy });

    expect(await use("cloudwatch.amazonaws.com", "kms:GenerateDataKey")).toBe("Allowed");
    expect(await use("cloudwatch.amazonaws.com", "kms:Decrypt")).toBe("Allowed");
    expect(await use("cloudwatch.amazonaws.com", "kms:ScheduleKeyDeletion")).toBe(
      "ImplicitlyDenied",
    );
    expect(await use("events.amazonaws.com", "kms:GenerateDataKey")).toBe("ImplicitlyDenied");
    expect(template.Resources.AlarmTopic?.Properties.KmsMasterKeyId).toEqual({
      "Fn::GetAtt": ["AlarmTopicKey", "Arn"],
    });
  });
});
