import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * AWS Secrets Manager and SSM Parameter Store, as far as the webhook's
 * secrets need them, on loopback for the real AWS SDK clients (JSON 1.1
 * protocol: `POST /` with `X-Amz-Target`). Secrets Manager keeps versions
 * with the AWSCURRENT and AWSPREVIOUS stages and moves them on
 * PutSecretValue, as AWS does; Parameter Store keeps numbered versions and
 * answers `name:version` selectors. Dates come from `now()`, so that fake
 * timers move them. Every call is counted by operation.
 */

export interface SecretStores {
  endpoint: string;
  /** The AWS_ENDPOINT_URL_* variables that point the SDK at this server. */
  env: Record<string, string>;
  /** How many times each operation was called, e.g. `secretsmanager.GetSecretValue`. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

interface SecretVersion {
  id: string;
  value: string;
  stages: Set<string>;
  created: number;
}

interface ParameterVersion {
  value: string;
  modified: number;
}

class StoreError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const REGION = "us-east-1";
const ACCOUNT = "000000000000";

export async function startSecretStores(now: () => number = Date.now): Promise<SecretStores> {
  const secrets = new Map<string, SecretVersion[]>();
  const parameters = new Map<string, ParameterVersion[]>();
  const calls = new Map<string, number>();
  let versions = 0;

  const secretArn = (name: string) =>
    `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
  const nameOfSecret = (id: string) =>
    id.replace(/^arn:[^:]+:secretsmanager:[^:]*:\d*:secret:/, "").replace(/-\w{6}$/, "");
  const nameOfParameter = (name: string) =>
    name.replace(/^arn:[^:]+:ssm:[^:]*:\d*:parameter\//, "");

  const addSecretVersion = (name: string, value: string) => {
    const list = secrets.get(name) ?? [];
    for (const version of list) {
      version.stages.delete("AWSPREVIOUS");
      if (version.stages.delete("AWSCURRENT")) version.stages.add("AWSPREVIOUS");
    }
    versions += 1;
    const version = { id: `v${versions}`, value, stages: new Set(["AWSCURRENT"]), created: now() };
    secrets.set(name, [...list, version]);
    return version;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    "secretsmanager.CreateSecret": ({ Name, SecretString }) => {
      const name = String(Name);
      if (secrets.has(name))
        throw new StoreError("ResourceExistsException", `The secret ${name} already exists.`);
      const version = addSecretVersion(name, String(SecretString));
      return { ARN: secretArn(name), Name: name, VersionId: version.id };
    },
    "secretsmanager.PutSecretValue": ({ SecretId, SecretString }) => {
      const name = nameOfSecret(String(SecretId));
      if (!secrets.has(name))
        throw new StoreError(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.",
        );
      const version = addSecretVersion(name, String(SecretString));
      return {
        ARN: secretArn(name),
        Name: name,
        VersionId: version.id,
        VersionStages: [...version.stages],
      };
    },
    "secretsmanager.GetSecretValue": ({ SecretId, VersionStage }) => {
      const name = nameOfSecret(String(SecretId));
      const list = secrets.get(name);
      if (!list)
        throw new StoreError(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.",
        );
      const stage = String(VersionStage ?? "AWSCURRENT");
      const version = list.find((v) => v.stages.has(stage));
      if (!version)
        throw new StoreError(
          "ResourceNotFoundException",
          `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        );
      return {
        ARN: secretArn(name),
        Name: name,
        VersionId: version.id,
        SecretString: version.value,
        VersionStages: [...version.stages],
        CreatedDate: version.created / 1000,
      };
    },
    "AmazonSSM.PutParameter": ({ Name, Value, Overwrite }) => {
      const name = nameOfParameter(String(Name));
      const list = parameters.get(name) ?? [];
      if (list.length > 0 && Overwrite !== true)
        throw new StoreError("ParameterAlreadyExists", "The parameter already exists.");
      parameters.set(name, [...list, { value: String(Value), modified: now() }]);
      return { Version: list.length + 1, Tier: "Standard" };
    },
    "AmazonSSM.GetParameter": ({ Name }) => {
      const [, base = "", selector] =
        /^(.*?)(?::(\d+))?$/.exec(nameOfParameter(String(Name))) ?? [];
      const list = parameters.get(base);
      if (!list) throw new StoreError("ParameterNotFound", "");
      const number = selector === undefined ? list.length : Number(selector);
      const version = list[number - 1];
      if (!version)
        throw new StoreError("ParameterVersionNotFound", `Version ${number} of ${base} not found.`);
      return {
        Parameter: {
          Name: base,
          Type: "SecureString",
          Value: version.value,
          Version: number,
          ...(selector === undefined ? {} : { Selector: `:${selector}` }),
          LastModifiedDate: version.modified / 1000,
          ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${base}`,
          DataType: "text",
        },
      };
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers["x-amz-target"] ?? "");
    calls.set(target, (calls.get(target) ?? 0) + 1);
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify(body));
    };
    const operation = operations[target];
    if (!operation) return answer(400, { __type: "UnknownOperationException", message: target });
    try {
      answer(200, operation(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}")));
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      answer(400, { __type: error.type, message: error.message });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint, AWS_ENDPOINT_URL_SSM: endpoint },
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
