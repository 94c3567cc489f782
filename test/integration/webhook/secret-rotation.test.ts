import { readFileSync } from "node:fs";
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { signBambooHrWebhook } from "../../../src/hr/bamboohr/webhook";
import { newStandardWebhookSecret } from "../../../src/hr/signatures";
import { REFRESH_FLOOR_SECONDS } from "../../../src/runtime/secrets";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import { type SecretStores, startSecretStores } from "../../support/secret-stores";
import { startWebhookStack, type WebhookStack } from "../../support/webhook-stack";

/**
 * Rotating a webhook signing secret through the real handler, with the
 * secrets in (stand-ins of) Secrets Manager and Parameter Store, read by the
 * real SDK clients: the operator puts a new value, the HR system switches to
 * it some time later, and no delivery in between is refused.
 */

const CANONICAL = "connect-hr-sync-test-canonical-webhook";
const BAMBOOHR = "connect-hr-sync-test-bamboohr-webhook";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** SECRETS_MAX_AGE_SECONDS and SECRET_ROTATION_HOURS as the stack sets them by default. */
const CACHE = 5 * MINUTE;
const WINDOW = 48 * HOUR;

let stores: SecretStores;
let stack: WebhookStack;
let secretsManager: SecretsManagerClient;
let ssm: SSMClient;
let clock = Date.parse("2026-12-01T09:00:00Z");
let sequence = 0;

/** Time passes (the handler's clock, the signatures' and the stores'). */
function later(ms: number) {
  clock += ms;
  vi.setSystemTime(clock);
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(clock);
  stores = await startSecretStores();
  const client = { endpoint: stores.endpoint, region: "us-east-1" };
  secretsManager = new SecretsManagerClient(client);
  ssm = new SSMClient(client);
  await secretsManager.send(
    new CreateSecretCommand({ Name: CANONICAL, SecretString: newStandardWebhookSecret() }),
  );
  await ssm.send(
    new PutParameterCommand({ Name: BAMBOOHR, Value: "bamboo-key-0", Type: "SecureString" }),
  );
  stack = await startWebhookStack({
    env: {
      ...stores.env,
      CANONICAL_WEBHOOK_SECRET_REF: `secretsmanager:${CANONICAL}`,
      BAMBOOHR_WEBHOOK_SECRET_REF: `ssm:${BAMBOOHR}`,
      SECRETS_MAX_AGE_SECONDS: String(CACHE / 1000),
      SECRET_ROTATION_HOURS: String(WINDOW / HOUR),
    },
  });
});

beforeEach(async () => {
  await stack.takeQueued();
});

afterAll(async () => {
  vi.useRealTimers();
  secretsManager?.destroy();
  ssm?.destroy();
  await stack?.close();
  await stores?.close();
});

/** The operator's rotation: `aws secretsmanager put-secret-value`. */
const putCanonical = (value: string) =>
  secretsManager.send(new PutSecretValueCommand({ SecretId: CANONICAL, SecretString: value }));
/** `aws ssm put-parameter --overwrite`. */
const putBambooHr = (value: string) =>
  ssm.send(
    new PutParameterCommand({
      Name: BAMBOOHR,
      Value: value,
      Type: "SecureString",
      Overwrite: true,
    }),
  );

/**
 * A secret rotated in long ago, so that it alone verifies, and a container
 * whose cache has expired: where each test starts.
 */
async function settled(put: (value: string) => Promise<unknown>, value: string) {
  await put(value);
  await put(value);
  later(WINDOW + HOUR);
  return value;
}

/** One canonical delivery (a new event each time) signed with this secret. */
async function deliverCanonical(secret: string) {
  sequence += 1;
  const event = hrEvent({
    eventId: `rotation-${sequence}`,
    record: hrRecord({ employeeId: `R${sequence}` }),
  });
  return (await stack.postCanonical(event, { secret })).status;
}

async function deliverBambooHr(key: string) {
  const payload = readFileSync(
    new URL("../../../events/hr/bamboohr/employee-updated.json", import.meta.url),
    "utf8",
  );
  const { body, headers } = signBambooHrWebhook(payload, key);
  return (await stack.post({ source: "bamboohr", body, headers })).status;
}

const reads = (operation: string) => stores.calls.get(operation) ?? 0;

describe("rotating the canonical secret in Secrets Manager", () => {
  it("refuses no delivery: the old secret verifies until the HR system switches, the new one at once after", async () => {
    const oldSecret = await settled(putCanonical, newStandardWebhookSecret());
    const newSecret = newStandardWebhookSecret();
    const answers: number[] = [];
    answers.push(await deliverCanonical(oldSecret));

    await putCanonical(newSecret);
    later(MINUTE);
    answers.push(await deliverCanonical(oldSecret));
    later(MINUTE);
    answers.push(await deliverCanonical(newSecret));
    answers.push(await deliverCanonical(oldSecret));
    later(CACHE + MINUTE);
    answers.push(await deliverCanonical(oldSecret), await deliverCanonical(newSecret));

    expect(answers).toEqual([202, 202, 202, 202, 202, 202]);
    expect((await stack.takeQueued()).length).toBe(6);
  });

  it("reads the store again at the first delivery the cached secret does not verify, not before", async () => {
    const oldSecret = await settled(putCanonical, newStandardWebhookSecret());
    const newSecret = newStandardWebhookSecret();
    await deliverCanonical(oldSecret);
    const before = reads("secretsmanager.GetSecretValue");

    await putCanonical(newSecret);
    later(MINUTE);
    await deliverCanonical(oldSecret);
    const whileCached = reads("secretsmanager.GetSecretValue") - before;
    await deliverCanonical(newSecret);
    await deliverCanonical(newSecret);
    const atTheSwitch = reads("secretsmanager.GetSecretValue") - before;

    expect(whileCached).toBe(0);
    // AWSCURRENT and AWSPREVIOUS, once.
    expect(atTheSwitch).toBe(2);
  });

  it("stops taking the previous secret when the rotation window has passed", async () => {
    const oldSecret = await settled(putCanonical, newStandardWebhookSecret());
    const newSecret = newStandardWebhookSecret();
    await putCanonical(newSecret);
    later(WINDOW - HOUR);
    const inWindow = await deliverCanonical(oldSecret);

    later(2 * HOUR);
    const afterWindow = [await deliverCanonical(oldSecret), await deliverCanonical(newSecret)];

    expect(inWindow).toBe(202);
    expect(afterWindow).toEqual([401, 202]);
  });

  it("revokes a leaked secret at once when the new value is put twice", async () => {
    const leaked = await settled(putCanonical, newStandardWebhookSecret());
    const replacement = newStandardWebhookSecret();
    await deliverCanonical(leaked);

    await putCanonical(replacement);
    await putCanonical(replacement);
    later(CACHE + MINUTE);

    expect([await deliverCanonical(leaked), await deliverCanonical(replacement)]).toEqual([
      401, 202,
    ]);
  });

  it("lets a flood of wrong signatures read the store once, then only every few seconds", async () => {
    const secret = await settled(putCanonical, newStandardWebhookSecret());
    await deliverCanonical(secret);
    later(MINUTE);
    const before = reads("secretsmanager.GetSecretValue");

    const flood: number[] = [];
    for (let i = 0; i < 20; i++) flood.push(await deliverCanonical(newStandardWebhookSecret()));
    const duringFlood = reads("secretsmanager.GetSecretValue") - before;
    later(REFRESH_FLOOR_SECONDS * 1000);
    flood.push(await deliverCanonical(newStandardWebhookSecret()));
    const afterFloor = reads("secretsmanager.GetSecretValue") - before;

    expect(new Set(flood)).toEqual(new Set([401]));
    expect(duringFlood).toBe(1);
    expect(afterFloor).toBe(2);
    expect(await deliverCanonical(secret)).toBe(202);
  });
});

describe("rotating the BambooHR key in Parameter Store", () => {
  it("takes the parameter's previous version during the window, and only the latest after", async () => {
    const oldKey = await settled(putBambooHr, `bamboo-key-${clock}`);
    const newKey = `bamboo-key-${clock + 1}`;
    const during: number[] = [await deliverBambooHr(oldKey)];

    await putBambooHr(newKey);
    later(MINUTE);
    during.push(await deliverBambooHr(newKey), await deliverBambooHr(oldKey));
    later(WINDOW + HOUR);
    const after = [await deliverBambooHr(oldKey), await deliverBambooHr(newKey)];

    expect(during).toEqual([202, 202, 202]);
    expect(after).toEqual([401, 202]);
  });
});
