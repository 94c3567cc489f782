import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isHiBobPing, verifyHiBobSignature } from "../../../../src/hr/hibob/signature";
import {
  hiBobTimestamp,
  signHiBobWebhook,
  verifyHiBobDelivery,
} from "../../../../src/hr/hibob/webhook";

const SECRET = "bob-webhook-secret-from-the-bob-ui";
const NOW = new Date("2026-11-28T12:00:00Z");

function delivery(triggeredAt = "2026-11-28T09:00:00.000000") {
  return JSON.stringify({
    companyId: 637323,
    type: "employee.updated",
    triggeredBy: "3332883884017713200",
    triggeredAt,
    version: "v2",
    data: { employeeId: "3332883884017713238" },
  });
}

/** What HiBob documents: base64 of HMAC-SHA512 over the raw body, keyed by the secret as UTF-8. */
function documentedSignature(body: string, secret: string): string {
  return createHmac("sha512", Buffer.from(secret, "utf8")).update(body).digest("base64");
}

const headersWith = (signature: string) => ({ "bob-signature": signature });

describe("Bob-Signature", () => {
  it("accepts a body signed as HiBob documents it", () => {
    const body = delivery();

    const check = verifyHiBobSignature(
      Buffer.from(body),
      headersWith(documentedSignature(body, SECRET)),
      SECRET,
    );

    expect(check).toEqual({ ok: true });
  });

  it("signs samples the same way HiBob does", () => {
    const body = delivery();

    const signed = signHiBobWebhook(body, SECRET);

    expect(signed.body).toBe(body);
    expect(signed.headers["bob-signature"]).toBe(documentedSignature(body, SECRET));
  });

  it("refuses a body changed after signing, by a single byte", () => {
    const body = delivery();
    const signature = documentedSignature(body, SECRET);
    const forged = body.replace("3332883884017713238", "3332883884017713239");

    expect(verifyHiBobSignature(Buffer.from(forged), headersWith(signature), SECRET)).toEqual({
      ok: false,
      failure: "mismatch",
    });
  });

  it("refuses a body signed with another secret", () => {
    const body = delivery();

    const check = verifyHiBobSignature(
      Buffer.from(body),
      headersWith(documentedSignature(body, "a-guessed-secret")),
      SECRET,
    );

    expect(check).toEqual({ ok: false, failure: "mismatch" });
  });

  it("refuses an HMAC-SHA256 signature or a hex one as malformed", () => {
    const body = delivery();
    const sha256 = createHmac("sha256", SECRET).update(body).digest("base64");
    const hex = createHmac("sha512", SECRET).update(body).digest("hex");

    for (const signature of [
      sha256,
      hex,
      "not base64 at all!",
      `sha512=${documentedSignature(body, SECRET)}`,
    ]) {
      expect(verifyHiBobSignature(Buffer.from(body), headersWith(signature), SECRET)).toEqual({
        ok: false,
        failure: "malformed",
      });
    }
  });

  it("takes the signature without its base64 padding", () => {
    const body = delivery();
    const unpadded = documentedSignature(body, SECRET).replace(/=+$/, "");

    expect(verifyHiBobSignature(Buffer.from(body), headersWith(unpadded), SECRET)).toEqual({
      ok: true,
    });
  });

  it("refuses an unsigned event, and an unsigned body that only looks like Bob's connection test", () => {
    const tampered = '{"text":"Ping test","type":"employee.deleted"}';

    expect(verifyHiBobSignature(Buffer.from(delivery()), {}, SECRET)).toEqual({
      ok: false,
      failure: "missing",
    });
    expect(verifyHiBobSignature(Buffer.from(tampered), {}, SECRET)).toEqual({
      ok: false,
      failure: "missing",
    });
  });

  it("lets Bob's connection test through unsigned, since it asks for nothing", () => {
    const ping = Buffer.from('{"text":"Ping test"}');

    expect(isHiBobPing(ping)).toBe(true);
    expect(verifyHiBobSignature(ping, {}, SECRET)).toEqual({ ok: true });
  });

  it("still checks the connection test when it comes signed", () => {
    const ping = '{"text":"Ping test"}';

    expect(
      verifyHiBobSignature(
        Buffer.from(ping),
        headersWith(documentedSignature(ping, "other")),
        SECRET,
      ),
    ).toEqual({ ok: false, failure: "mismatch" });
  });
});

describe("a HiBob delivery's age", () => {
  const check = (triggeredAt: string, secret = SECRET) => {
    const body = delivery(triggeredAt);
    return verifyHiBobDelivery(
      Buffer.from(body),
      headersWith(documentedSignature(body, secret)),
      SECRET,
      NOW,
    );
  };

  it("accepts a delivery Bob is still retrying, three days on", () => {
    expect(check("2026-11-25T12:30:00.000000")).toEqual({ ok: true });
  });

  it("refuses, as a replay, a signed delivery older than four days", () => {
    expect(check("2026-11-24T11:59:00.000000")).toEqual({ ok: false, failure: "expired" });
  });

  it("leaves a delivery dated ahead of the clock to the payload's check, which names the field", () => {
    expect(check("2026-11-29T12:01:00.000000")).toEqual({ ok: true });
  });

  it("says the signature is wrong, not that the delivery is old, when both are", () => {
    expect(check("2026-11-01T09:00:00.000000", "a-guessed-secret")).toEqual({
      ok: false,
      failure: "mismatch",
    });
  });

  it("honours a shorter window", () => {
    const body = delivery("2026-11-28T09:00:00.000000");
    const headers = headersWith(documentedSignature(body, SECRET));

    expect(verifyHiBobDelivery(Buffer.from(body), headers, SECRET, NOW, 2 * 3_600_000)).toEqual({
      ok: false,
      failure: "expired",
    });
  });

  it("restamps a sample's triggeredAt in Bob's format when signing it as a fresh delivery", () => {
    const signed = signHiBobWebhook(delivery("2020-01-01T00:00:00.000000"), SECRET, { at: NOW });

    expect(JSON.parse(signed.body).triggeredAt).toBe("2026-11-28T12:00:00.000000");
    expect(hiBobTimestamp(NOW)).toBe("2026-11-28T12:00:00.000000");
    expect(verifyHiBobDelivery(Buffer.from(signed.body), signed.headers, SECRET, NOW)).toEqual({
      ok: true,
    });
  });
});
