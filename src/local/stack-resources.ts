import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * Reads the DynamoDB tables and SQS queues that serverless.yml declares, so
 * that the local stand-ins are created from the same definitions as AWS:
 * one source of truth. Serverless variables are resolved for a local stage.
 */

export interface TableDefinition {
  logicalId: string;
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  KeySchema: { AttributeName: string; KeyType: string }[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

export interface QueueDefinition {
  logicalId: string;
  QueueName: string;
  FifoQueue?: boolean;
  VisibilityTimeout?: number;
  ContentBasedDeduplication?: boolean;
  /** The logical id of the dead-letter queue, and after how many receives a message moves there. */
  redrive?: { deadLetterLogicalId: string; maxReceiveCount: number };
}

export interface StackResources {
  tables: TableDefinition[];
  queues: QueueDefinition[];
  params: Record<string, string>;
}

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

const SERVERLESS_YML = new URL("../../serverless.yml", import.meta.url);

/** Replaces ${self:service}, ${sls:stage}, ${param:x} and ${opt:stage, ...} in every string. */
function resolveVariables(value: unknown, vars: (source: string) => string | undefined): unknown {
  if (typeof value === "string") {
    const whole = value.match(/^\$\{([^}]+)\}$/);
    const resolved = value.replace(
      /\$\{([^}]+)\}/g,
      (match, source: string) => vars(source.trim()) ?? match,
    );
    // A value that was a single variable keeps its type (numbers stay numbers).
    return whole && /^-?\d+(\.\d+)?$/.test(resolved) ? Number(resolved) : resolved;
  }
  if (Array.isArray(value)) return value.map((v) => resolveVariables(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveVariables(v, vars)]),
    );
  }
  return value;
}

export function readStackResources(
  stage = "local",
  path: URL | string = SERVERLESS_YML,
): StackResources {
  const document = parse(readFileSync(path, "utf8")) as {
    service: string;
    params?: { default?: Record<string, unknown> };
    resources?: { Resources?: Record<string, CfnResource> };
  };
  const params = Object.fromEntries(
    Object.entries(document.params?.default ?? {}).map(([k, v]) => [k, String(v)]),
  );
  const vars = (source: string): string | undefined => {
    if (source === "self:service") return document.service;
    if (source === "sls:stage" || source.startsWith("opt:stage")) return stage;
    if (source.startsWith("param:"))
      return params[source.slice("param:".length).split(",")[0]?.trim() ?? ""];
    return undefined;
  };
  const resources = resolveVariables(document.resources?.Resources ?? {}, vars) as Record<
    string,
    CfnResource
  >;

  const tables: TableDefinition[] = [];
  const queues: QueueDefinition[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === "AWS::DynamoDB::Table") {
      tables.push({ logicalId, ...(resource.Properties as Omit<TableDefinition, "logicalId">) });
    }
    if (resource.Type === "AWS::SQS::Queue") {
      const props = resource.Properties as Record<string, unknown> & {
        RedrivePolicy?: {
          deadLetterTargetArn?: { "Fn::GetAtt"?: [string, string] };
          maxReceiveCount?: number;
        };
      };
      const target = props.RedrivePolicy?.deadLetterTargetArn?.["Fn::GetAtt"]?.[0];
      queues.push({
        logicalId,
        QueueName: String(props.QueueName),
        FifoQueue: props.FifoQueue as boolean | undefined,
        VisibilityTimeout: props.VisibilityTimeout as number | undefined,
        ContentBasedDeduplication: props.ContentBasedDeduplication as boolean | undefined,
        redrive: target
          ? {
              deadLetterLogicalId: target,
              maxReceiveCount: Number(props.RedrivePolicy?.maxReceiveCount),
            }
          : undefined,
      });
    }
  }
  return { tables, queues, params };
}
