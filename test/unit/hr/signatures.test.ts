import { describe, expect, it } from "vitest";
import {
  parseBambooHrTimestamp,
  signBambooHrWebhook,
  verifyBambooHrSignature,
} from "../../../src/hr/bamboohr/webhook";
import {
  isStandardWebhookSecret,
  newStandardWebhookSecret,
  signStandardWebhook,
  verifyStandardWebhook,
} from "../../../src/hr/signatures";

const BODY =
  '{"eventId":"e-1","type":"joiner","employeeId":"E1","occurredAt":"2026-11-28T09:00:00Z"}';
const MINUTE = 60_000;

describe("Standard Webhooks signatures", () => {
  const secret = newStandardWebhookSecret();

  it("accepts a request signed with the secret over the exact body", () => {
    const headers = signStandardWebhook(BODY, secret);

    const check = verifyStandardWebhook(Buffer.from(BODY), headers, secret);

    expect(check).toEqual({ ok: true });
  });

  it("refuses a body changed by one character after signing", () => {
    const headers = signStandardWebhook(BODY, secret);

    const check = verifyStandardWebhook(Buffer.from(BODY.replace("E1", "E2")), headers, secret);

    expect(check).toEqual({ ok: false, failure: "mismatch" });
  });

  it("refuses a request signed with another secret", () => {
    const headers = signStandardWebhook(BODY, newStandardWebhookSecret());

    expect(verifyStandardWebhook(Buffer.from(BODY), headers, secret)).toEqual({
      ok: false,
      failure: "mismatch",
    });
  });

  it("accepts during a key rotation, when one of several signatures matches", () => {
    const old = signStandardWebhook(BODY, newStandardWebhookSecret(), { id: "msg_1" });
    const current = signStandardWebhook(BODY, secret, { id: "msg_1", at: new Date() });
    const headers = {
      ...current,
      "webhook-signature": `${old["webhook-signature"]} ${current["webhook-signature"]}`,
    };

    expect(verifyStandardWebhook(Buffer.from(BODY), headers, secret)).toEqual({ ok: true });
  });

  it.each([
    ["six minutes old", -6 * MINUTE],
    ["six minutes ahead", 6 * MINUTE],
  ])("refuses a timestamp %s as expired, though the signature is right", (_, offset) => {
    const headers = signStandardWebhook(BODY, secret, { at: new Date(Date.now() + offset) });

    expect(verifyStandardWebhook(Buffer.from(BODY), headers, secret)).toEqual({
      ok: false,
      failure: "expired",
    });
  });

  it("accepts a timestamp four minutes old", () => {
    const headers = signStandardWebhook(BODY, secret, { at: new Date(Date.now() - 4 * MINUTE) });

    expect(verifyStandardWebhook(Buffer.from(BODY), headers, secret)).toEqual({ ok: true });
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"] as const)(
    "refuses a request without %s",
    (name) => {
      const headers: Record<string, string> = { ...signStandardWebhook(BODY, secret) };
      delete headers[name];

      expect(verifyStandardWebhook(Buffer.from(BODY), headers, secret)).toEqual({
        ok: false,
        failure: "missing",
      });
    },
  );

  it("refuses a timestamp with trailing garbage that parseInt would take", () => {
    const headers = signStandardWebhook(BODY, secret);

    const check = verifyStandardWebhook(
      Buffer.from(BODY),
      { ...headers, "webhook-timestamp": `${headers["webhook-timestamp"]}abc` },
      secret,
    );

    expect(check).toEqual({ ok: false, failure: "malformed" });
  });

  it.each([
    ["a fresh secret", newStandardWebhookSecret(), true],
    ["no whsec_ prefix", newStandardWebhookSecret().slice(6), false],
    ["not base64", "whsec_not*base64!", false],
    ["a key of 8 bytes", `whsec_${Buffer.alloc(8, 1).toString("base64")}`, false],
    ["empty", "", false],
  ])("tells a Standard Webhooks secret: %s", (_, secretText, valid) => {
    expect(isStandardWebhookSecret(secretText)).toBe(valid);
  });
});

describe("BambooHR signatures", () => {
  const key = "private-key-shown-once";
  const now = new Date("2026-11-28T12:00:00Z");

  it("accepts hex HMAC-SHA256 of the raw body followed by the timestamp", () => {
    const { body, headers } = signBambooHrWebhook(BODY, key, { at: now });

    expect(verifyBambooHrSignature(Buffer.from(body), headers, key, now)).toEqual({ ok: true });
  });

  it("takes upper-case hex and a sha256= prefix", () => {
    const { body, headers } = signBambooHrWebhook(BODY, key, { at: now });
    const signature = `sha256=${headers["x-bamboohr-signature"]?.toUpperCase()}`;

    const check = verifyBambooHrSignature(
      Buffer.from(body),
      { ...headers, "x-bamboohr-signature": signature },
      key,
      now,
    );

    expect(check).toEqual({ ok: true });
  });

  it("refuses the other order unless it is configured", () => {
    const { body, headers } = signBambooHrWebhook(BODY, key, { at: now, order: "timestamp-body" });

    expect(verifyBambooHrSignature(Buffer.from(body), headers, key, now)).toEqual({
      ok: false,
      failure: "mismatch",
    });
    expect(verifyBambooHrSignature(Buffer.from(body), headers, key, now, "timestamp-body")).toEqual(
      { ok: true },
    );
  });

  it("refuses a changed body, another key, and a changed timestamp", () => {
    const { body, headers } = signBambooHrWebhook(BODY, key, { at: now });
    const later = String(Number(headers["x-bamboohr-timestamp"]) + 1);

    expect(verifyBambooHrSignature(Buffer.from(`${body} `), headers, key, now).ok).toBe(false);
    expect(verifyBambooHrSignature(Buffer.from(body), headers, "other-key", now).ok).toBe(false);
    expect(
      verifyBambooHrSignature(
        Buffer.from(body),
        { ...headers, "x-bamboohr-timestamp": later },
        key,
        now,
      ),
    ).toEqual({ ok: false, failure: "mismatch" });
  });

  it.each([
    ["5 minutes 1 second old", -(5 * MINUTE + 1000)],
    ["5 minutes 1 second ahead", 5 * MINUTE + 1000],
  ])("refuses a delivery signed %s (a replay)", (_, offset) => {
    const { body, headers } = signBambooHrWebhook(BODY, key, {
      at: new Date(now.getTime() + offset),
    });

    expect(verifyBambooHrSignature(Buffer.from(body), headers, key, now)).toEqual({
      ok: false,
      failure: "expired",
    });
  });

  it("refuses missing and malformed headers", () => {
    const { body, headers } = signBambooHrWebhook(BODY, key, { at: now });
    const raw = Buffer.from(body);

    expect(
      verifyBambooHrSignature(
        raw,
        { "x-bamboohr-signature": headers["x-bamboohr-signature"] },
        key,
        now,
      ),
    ).toEqual({ ok: false, failure: "missing" });
    expect(
      verifyBambooHrSignature(raw, { ...headers, "x-bamboohr-signature": "zz" }, key, now),
    ).toEqual({ ok: false, failure: "malformed" });
    expect(
      verifyBambooHrSignature(raw, { ...headers, "x-bamboohr-timestamp": "yesterday" }, key, now),
    ).toEqual({ ok: false, failure: "malformed" });
  });

  it.each([
    ["1795824000", Date.UTC(2026, 10, 28, 0, 0, 0)],
    ["1795824000000", Date.UTC(2026, 10, 28, 0, 0, 0)],
    ["2026-11-28T00:00:00+0000", Date.UTC(2026, 10, 28, 0, 0, 0)],
    ["2026-11-28T01:00:00+01:00", Date.UTC(2026, 10, 28, 0, 0, 0)],
    ["2026-11-28", undefined],
    ["-1", undefined],
  ])("reads the timestamp header %s", (text, expected) => {
    expect(parseBambooHrTimestamp(text)).toBe(expected);
  });
});
