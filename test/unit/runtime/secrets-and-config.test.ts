import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { SecretUnavailableError } from "../../../src/app/ports/secrets";
import { newStandardWebhookSecret } from "../../../src/hr/signatures";
import { ConfigError, loadWorkerConfig } from "../../../src/runtime/config";
import { parseSecretRef, secretReader } from "../../../src/runtime/secrets";
import { loadWebhookConfig } from "../../../src/runtime/webhook-config";

expect.extend(allCustomMatcher);

const secretsManager = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);

function reader() {
  return secretReader({
    maxAgeSeconds: 300,
    secretsManager: () => new SecretsManagerClient({ region: "us-east-1" }),
    ssm: () => new SSMClient({ region: "us-east-1" }),
  });
}

beforeEach(() => {
  secretsManager.reset();
  ssm.reset();
});

describe("secret references", () => {
  it.each([
    ["secretsmanager:hr/canonical", { store: "secretsmanager", id: "hr/canonical" }],
    ["ssm:/hr/canonical", { store: "ssm", name: "/hr/canonical" }],
    [
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hr-AbCdEf",
      {
        store: "secretsmanager",
        id: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hr-AbCdEf",
      },
    ],
    [
      "arn:aws:ssm:eu-west-1:123456789012:parameter/hr/canonical",
      { store: "ssm", name: "arn:aws:ssm:eu-west-1:123456789012:parameter/hr/canonical" },
    ],
    ["hr/canonical", undefined],
    ["vault:hr", undefined],
  ])("reads %s", (ref, expected) => {
    expect(parseSecretRef(ref)).toEqual(expected);
  });
});

describe("secret reader", () => {
  it("reads a Secrets Manager secret once and serves it from the cache after", async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: "whsec_value\n" });
    const secrets = reader();

    const first = await secrets.read({ store: "secretsmanager", id: "hr/canonical" });
    const second = await secrets.read({ store: "secretsmanager", id: "hr/canonical" });

    expect([first, second]).toEqual(["whsec_value", "whsec_value"]);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: "hr/canonical",
    });
  });

  it("decrypts an SSM SecureString parameter", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "key-from-ssm" } });

    const value = await reader().read({ store: "ssm", name: "/hr/bamboohr" });

    expect(value).toBe("key-from-ssm");
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, {
      Name: "/hr/bamboohr",
      WithDecryption: true,
    });
  });

  it("raises SecretUnavailableError naming the secret, never its value, when it cannot be read", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: "not found", $metadata: {} }));

    const reading = reader().read({ store: "secretsmanager", id: "hr/missing" });

    await expect(reading).rejects.toThrow(SecretUnavailableError);
    await expect(reading).rejects.toThrow("secretsmanager:hr/missing");
  });

  it("reads AWSPREVIOUS only while AWSCURRENT is younger than the rotation window", async () => {
    const now = Date.parse("2026-12-01T09:00:00Z");
    const secrets = (createdHoursAgo: number) => {
      secretsManager.reset();
      secretsManager
        .on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" })
        .resolves({
          SecretString: "whsec_new",
          CreatedDate: new Date(now - createdHoursAgo * 3_600_000),
        })
        .on(GetSecretValueCommand, { VersionStage: "AWSPREVIOUS" })
        .resolves({ SecretString: "whsec_old" });
      return secretReader({
        maxAgeSeconds: 300,
        rotationWindowSeconds: 48 * 3600,
        secretsManager: () => new SecretsManagerClient({ region: "us-east-1" }),
        ssm: () => new SSMClient({ region: "us-east-1" }),
        now: () => now,
      }).signingSecrets({ store: "secretsmanager", id: "hr/canonical" });
    };

    expect((await secrets(1)).values).toEqual(["whsec_new", "whsec_old"]);
    expect((await secrets(49)).values).toEqual(["whsec_new"]);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it("treats a missing AWSPREVIOUS as none, and a failed read of it as the secret being unavailable", async () => {
    const reading = () =>
      secretReader({
        maxAgeSeconds: 300,
        rotationWindowSeconds: 3600,
        secretsManager: () => new SecretsManagerClient({ region: "us-east-1" }),
        ssm: () => new SSMClient({ region: "us-east-1" }),
      }).signingSecrets({ store: "secretsmanager", id: "hr/canonical" });
    const current = { SecretString: "whsec_new", CreatedDate: new Date() };
    secretsManager
      .on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" })
      .resolves(current)
      .on(GetSecretValueCommand, { VersionStage: "AWSPREVIOUS" })
      .rejects(new ResourceNotFoundException({ message: "no AWSPREVIOUS", $metadata: {} }));

    const first = await reading();
    secretsManager
      .on(GetSecretValueCommand, { VersionStage: "AWSPREVIOUS" })
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));

    expect(first.values).toEqual(["whsec_new"]);
    await expect(reading()).rejects.toThrow(SecretUnavailableError);
  });

  it("raises SecretUnavailableError for an empty secret", async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: "  " });

    await expect(reader().read({ store: "secretsmanager", id: "hr/empty" })).rejects.toThrow(
      SecretUnavailableError,
    );
  });
});

describe("webhook configuration", () => {
  const base = {
    AWS_REGION: "us-east-1",
    QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/1/q.fifo",
  };

  it("reads the secrets' references, and turns BambooHR off when its reference has no name", () => {
    const config = loadWebhookConfig({
      ...base,
      CANONICAL_WEBHOOK_SECRET_REF: "secretsmanager:connect-hr-sync-prod-canonical-webhook",
      BAMBOOHR_WEBHOOK_SECRET_REF: "secretsmanager:",
    });

    expect(config.secrets).toEqual({
      canonical: { store: "secretsmanager", id: "connect-hr-sync-prod-canonical-webhook" },
    });
    expect(config.bambooHrSignatureOrder).toBe("body-timestamp");
  });

  it("takes secret values from the environment in local mode only, and never says them", () => {
    const secret = newStandardWebhookSecret();

    const local = loadWebhookConfig({
      ...base,
      LOCAL_MODE: "true",
      CANONICAL_WEBHOOK_SECRET: secret,
    });
    const inAws = () => loadWebhookConfig({ ...base, CANONICAL_WEBHOOK_SECRET: secret });

    expect(local.secrets.canonical).toEqual({
      store: "env",
      variable: "CANONICAL_WEBHOOK_SECRET",
      value: secret,
    });
    expect(inAws).toThrow(ConfigError);
    expect(inAws).toThrow(/CANONICAL_WEBHOOK_SECRET may hold a secret only when LOCAL_MODE=true/);
    expect(() => inAws()).not.toThrow(secret);
  });

  it("keeps the previous signing secret 48 hours after a rotation unless told otherwise", () => {
    const ref = { CANONICAL_WEBHOOK_SECRET_REF: "secretsmanager:x" };

    expect(loadWebhookConfig({ ...base, ...ref }).secretRotationHours).toBe(48);
    expect(
      loadWebhookConfig({ ...base, ...ref, SECRET_ROTATION_HOURS: "0" }).secretRotationHours,
    ).toBe(0);
    expect(() => loadWebhookConfig({ ...base, ...ref, SECRET_ROTATION_HOURS: "-1" })).toThrow(
      /SECRET_ROTATION_HOURS/,
    );
  });

  it.each([
    [{}, /CANONICAL_WEBHOOK_SECRET_REF is required/],
    [{ CANONICAL_WEBHOOK_SECRET_REF: "vault:x" }, /must be secretsmanager:/],
    [{ LOCAL_MODE: "true", CANONICAL_WEBHOOK_SECRET: "not-a-secret" }, /Standard Webhooks secret/],
    [{ CANONICAL_WEBHOOK_SECRET_REF: "ssm:/x", QUEUE_URL: "" }, /QUEUE_URL/],
  ])("refuses to start with %j", (env, message) => {
    expect(() => loadWebhookConfig({ ...base, ...env })).toThrow(message);
  });
});

describe("worker configuration for BambooHR", () => {
  const base = {
    CONNECT_INSTANCE_ID: "i-1",
    AWS_REGION: "us-east-1",
    EMPLOYEES_TABLE: "e",
    AUDIT_TABLE: "a",
    IDEMPOTENCY_TABLE: "i",
    RECONCILE_RUNS_TABLE: "r",
    DLQ_URL: "https://sqs.us-east-1.amazonaws.com/1/dlq.fifo",
    SYNC_RULES_FILE: new URL("../../../config/sync-rules.yaml", import.meta.url).pathname,
  };

  it("starts without BambooHR when no company domain is set", () => {
    expect(() =>
      loadWorkerConfig({
        ...base,
        BAMBOOHR_API_KEY_REF: "secretsmanager:k",
        BAMBOOHR_COMPANY_DOMAIN: "",
      }),
    ).not.toThrow();
  });

  it("refuses a company domain without an API key, and a key in the environment outside local mode", () => {
    expect(() => loadWorkerConfig({ ...base, BAMBOOHR_COMPANY_DOMAIN: "acme" })).toThrow(
      /BAMBOOHR_API_KEY_REF/,
    );
    expect(() =>
      loadWorkerConfig({ ...base, BAMBOOHR_COMPANY_DOMAIN: "acme", BAMBOOHR_API_KEY: "k" }),
    ).toThrow(/LOCAL_MODE=true/);
  });
});

describe("worker configuration of the Connect quotas", () => {
  const base = {
    CONNECT_INSTANCE_ID: "i-1",
    AWS_REGION: "us-east-1",
    EMPLOYEES_TABLE: "e",
    AUDIT_TABLE: "a",
    IDEMPOTENCY_TABLE: "i",
    RECONCILE_RUNS_TABLE: "r",
    DLQ_URL: "https://sqs.us-east-1.amazonaws.com/1/dlq.fifo",
    SYNC_RULES_FILE: new URL("../../../config/sync-rules.yaml", import.meta.url).pathname,
  };

  it("paces each operation to Connect's documented quota unless told otherwise", () => {
    const { budget } = loadWorkerConfig({ ...base, BUDGET_TABLE: "budgets" }).connect;

    expect(budget).toMatchObject({
      kind: "per-operation",
      table: "budgets",
      limits: {
        CreateUser: { rps: 2, burst: 5 },
        DescribeUser: { rps: 10, burst: 5 },
        UpdateUserRoutingProfile: { rps: 2, burst: 5 },
      },
    });
  });

  it("takes raised quotas per operation, and keeps the given share of each", () => {
    const { budget } = loadWorkerConfig({
      ...base,
      CONNECT_QUOTAS: "CreateUser=10/20,updateuserhierarchy=4",
      CONNECT_QUOTA_SHARE: "0.5",
    }).connect;

    expect(budget).toMatchObject({
      kind: "per-operation",
      limits: {
        CreateUser: { rps: 5, burst: 10 },
        UpdateUserHierarchy: { rps: 2, burst: 2 },
        DeleteUser: { rps: 1, burst: 2 },
      },
    });
    expect(budget).not.toHaveProperty("table");
  });

  it("refuses a quota it cannot read, naming the variable and the operation", () => {
    expect(() => loadWorkerConfig({ ...base, CONNECT_QUOTAS: "CreateUsers=2/5" })).toThrow(
      /CONNECT_QUOTAS.*unknown operation "CreateUsers"/,
    );
    expect(() => loadWorkerConfig({ ...base, CONNECT_QUOTA_SHARE: "1.5" })).toThrow(
      /CONNECT_QUOTA_SHARE/,
    );
  });

  it("keeps the first model, one bucket for every operation, when CONNECT_RPS is set", () => {
    const { budget } = loadWorkerConfig({
      ...base,
      CONNECT_RPS: "0.66",
      CONNECT_BURST: "1",
    }).connect;

    expect(budget).toEqual({ kind: "one-bucket", rps: 0.66, burst: 1 });
  });
});

describe("HiBob configuration", () => {
  const webhookBase = {
    AWS_REGION: "us-east-1",
    QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/1/q.fifo",
    CANONICAL_WEBHOOK_SECRET_REF: "secretsmanager:canonical",
  };
  const workerBase = {
    CONNECT_INSTANCE_ID: "i-1",
    AWS_REGION: "us-east-1",
    EMPLOYEES_TABLE: "e",
    AUDIT_TABLE: "a",
    IDEMPOTENCY_TABLE: "i",
    RECONCILE_RUNS_TABLE: "r",
    DLQ_URL: "https://sqs.us-east-1.amazonaws.com/1/dlq.fifo",
    SYNC_RULES_FILE: new URL("../../../config/sync-rules.yaml", import.meta.url).pathname,
  };

  it("enables the HiBob webhook with its secret's reference, with a four-day replay window", () => {
    const config = loadWebhookConfig({
      ...webhookBase,
      HIBOB_WEBHOOK_SECRET_REF: "ssm:connect-hr-sync-prod-hibob-webhook",
    });

    expect(config.secrets.hibob).toEqual({
      store: "ssm",
      name: "connect-hr-sync-prod-hibob-webhook",
    });
    expect(config.hiBobMaxEventAgeHours).toBe(96);
  });

  it("leaves HiBob off when its reference has no name", () => {
    const config = loadWebhookConfig({ ...webhookBase, HIBOB_WEBHOOK_SECRET_REF: "ssm:" });

    expect(config.secrets.hibob).toBeUndefined();
  });

  it.each([
    [{ HIBOB_MAX_EVENT_AGE_HOURS: "169" }, /HIBOB_MAX_EVENT_AGE_HOURS.*at most 168/],
    [{ HIBOB_MAX_EVENT_AGE_HOURS: "0" }, /HIBOB_MAX_EVENT_AGE_HOURS/],
    [
      { HIBOB_WEBHOOK_SECRET: "s" },
      /HIBOB_WEBHOOK_SECRET may hold a secret only when LOCAL_MODE=true/,
    ],
  ])("refuses to start the webhook with %j", (env, message) => {
    expect(() => loadWebhookConfig({ ...webhookBase, ...env })).toThrow(message);
  });

  it("reads HiBob's People API settings for the worker when a service user is set", () => {
    const config = loadWorkerConfig({
      ...workerBase,
      HIBOB_SERVICE_USER_ID: "SERVICE-1234",
      HIBOB_API_TOKEN_REF: "secretsmanager:hibob-token",
      HIBOB_API_URL: "https://api.sandbox.hibob.com/",
    });

    expect(config.hibob).toEqual({
      apiUrl: "https://api.sandbox.hibob.com",
      serviceUserId: "SERVICE-1234",
      token: { store: "secretsmanager", id: "hibob-token" },
      timeoutMs: 10_000,
    });
  });

  it("starts the worker without HiBob when no service user is set", () => {
    const config = loadWorkerConfig({ ...workerBase, HIBOB_API_TOKEN_REF: "secretsmanager:t" });

    expect(config.hibob).toBeUndefined();
  });

  it("refuses a service user without a token, and one that could not be a Basic auth user", () => {
    expect(() => loadWorkerConfig({ ...workerBase, HIBOB_SERVICE_USER_ID: "SERVICE-1" })).toThrow(
      /HIBOB_API_TOKEN_REF/,
    );
    expect(() =>
      loadWorkerConfig({
        ...workerBase,
        HIBOB_SERVICE_USER_ID: "user:with-colon",
        HIBOB_API_TOKEN_REF: "secretsmanager:t",
      }),
    ).toThrow(/HIBOB_SERVICE_USER_ID/);
  });
});
