/**
 * A sample of the model's constraints, each with one value just inside and
 * one just outside, through the real SDK; and the rules the model documents
 * in prose (identity mode, passwords, phone settings).
 */
import {
  CreateUserCommand,
  type CreateUserCommandInput,
  ListSecurityProfilesCommand,
  ListUsersCommand,
  SearchUsersCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import {
  CONNECT_MANAGED_SEED,
  type EmulatorFixture,
  expectConnectError,
  SAML_SEED,
  STRONG_PASSWORD,
  samlUser,
  settle,
  useEmulator,
} from "./support";

const create = (fixture: EmulatorFixture, input: Record<string, unknown>) =>
  fixture.client.send(new CreateUserCommand(input as unknown as CreateUserCommandInput));

/** A seed with enough security profiles to assign eleven. */
const MANY_PROFILES_SEED = {
  ...SAML_SEED,
  securityProfiles: ["Agent", ...Array.from({ length: 10 }, (_, index) => `Profile ${index + 1}`)],
  users: [],
};

describe("Username length by identity mode", () => {
  describe("on a SAML instance", () => {
    const fixture = useEmulator();

    it("accepts 64 characters and refuses 65 with InvalidParameterException", async () => {
      // Act
      const inside = await create(fixture, samlUser(fixture, "a".repeat(64)));
      const outside = settle(create(fixture, samlUser(fixture, "b".repeat(65))));

      // Assess
      expect(inside.UserId).toEqual(expect.any(String));
      const error = await expectConnectError(outside, "InvalidParameterException", 400);
      expect(error.message).toMatch(/64/);
    });

    it("refuses characters outside [a-zA-Z0-9_-.@] and @ outside an e-mail format", async () => {
      // Act
      const space = settle(create(fixture, samlUser(fixture, "jane doe")));
      const bareAt = settle(create(fixture, samlUser(fixture, "testuser@example")));
      const email = await create(fixture, samlUser(fixture, "testuser@example.com"));

      // Assess
      await expectConnectError(space, "InvalidParameterException", 400);
      await expectConnectError(bareAt, "InvalidParameterException", 400);
      expect(email.UserId).toEqual(expect.any(String));
    });
  });

  describe("on a CONNECT_MANAGED instance", () => {
    const fixture = useEmulator({ seed: CONNECT_MANAGED_SEED });

    it("accepts 20 characters and refuses 21 with InvalidParameterException", async () => {
      // Act
      const inside = await create(
        fixture,
        samlUser(fixture, "c".repeat(20), { Password: STRONG_PASSWORD }),
      );
      const outside = settle(
        create(fixture, samlUser(fixture, "d".repeat(21), { Password: STRONG_PASSWORD })),
      );

      // Assess
      expect(inside.UserId).toEqual(expect.any(String));
      await expectConnectError(outside, "InvalidParameterException", 400);
    });
  });
});

describe("passwords", () => {
  describe("on a CONNECT_MANAGED instance", () => {
    const fixture = useEmulator({ seed: CONNECT_MANAGED_SEED });

    it("requires a password (InvalidRequestException) and checks it against the model's pattern (InvalidParameterException)", async () => {
      // Act
      const missing = settle(create(fixture, samlUser(fixture, "no.password")));
      const weak = settle(
        create(fixture, samlUser(fixture, "weak.password", { Password: "alllowercase1" })),
      );
      const short = settle(
        create(fixture, samlUser(fixture, "short.password", { Password: "Sh0rt!" })),
      );
      const strong = await create(
        fixture,
        samlUser(fixture, "strong.password", { Password: STRONG_PASSWORD }),
      );

      // Assess
      await expectConnectError(missing, "InvalidRequestException", 400);
      const weakError = await expectConnectError(weak, "InvalidParameterException", 400);
      await expectConnectError(short, "InvalidParameterException", 400);
      expect(weakError.message).not.toContain("alllowercase1");
      expect(strong.UserId).toEqual(expect.any(String));
    });

    it("accepts an e-mail address in the identity information", async () => {
      // Act
      const created = await create(
        fixture,
        samlUser(fixture, "with.email", {
          Password: STRONG_PASSWORD,
          IdentityInfo: { FirstName: "W", LastName: "E", Email: "w@example.com" },
        }),
      );

      // Assess
      expect(created.UserId).toEqual(expect.any(String));
    });
  });

  describe("on a SAML instance", () => {
    const fixture = useEmulator();

    it("refuses any password, e-mail address or directory user id with InvalidRequestException", async () => {
      // Act
      const password = settle(
        create(fixture, samlUser(fixture, "p1", { Password: STRONG_PASSWORD })),
      );
      const email = settle(
        create(
          fixture,
          samlUser(fixture, "p2", {
            IdentityInfo: { FirstName: "A", LastName: "B", Email: "a@example.com" },
          }),
        ),
      );
      const directory = settle(
        create(fixture, samlUser(fixture, "p3", { DirectoryUserId: "dir-123" })),
      );
      const noNames = settle(create(fixture, samlUser(fixture, "p4", { IdentityInfo: undefined })));

      // Assess
      await expectConnectError(password, "InvalidRequestException", 400);
      await expectConnectError(email, "InvalidRequestException", 400);
      await expectConnectError(directory, "InvalidRequestException", 400);
      await expectConnectError(noNames, "InvalidRequestException", 400);
      expect(fixture.emulator.dumpState().users).toHaveLength(1);
    });
  });
});

describe("SecurityProfileIds", () => {
  const fixture = useEmulator({ seed: MANY_PROFILES_SEED });

  it("accepts 10 profiles and refuses 11 or none with InvalidParameterException", async () => {
    // Prepare
    const names = ["Agent", ...Array.from({ length: 10 }, (_, index) => `Profile ${index + 1}`)];
    const ids = names.map((name) => fixture.securityProfileId(name));

    // Act
    const ten = await create(
      fixture,
      samlUser(fixture, "ten.profiles", { SecurityProfileIds: ids.slice(0, 10) }),
    );
    const eleven = settle(
      create(fixture, samlUser(fixture, "eleven.profiles", { SecurityProfileIds: ids })),
    );
    const none = settle(
      fixture.client.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: fixture.instanceId,
          UserId: ten.UserId,
          SecurityProfileIds: [],
        }),
      ),
    );

    // Assess
    expect(ten.UserId).toEqual(expect.any(String));
    const error = await expectConnectError(eleven, "InvalidParameterException", 400);
    expect(error.message).toMatch(/SecurityProfileIds/);
    await expectConnectError(none, "InvalidParameterException", 400);
  });
});

describe("MaxResults", () => {
  const fixture = useEmulator();

  it("accepts 1 to 1000 on List operations and refuses 0 and 1001", async () => {
    // Act
    const one = await fixture.client.send(
      new ListUsersCommand({ InstanceId: fixture.instanceId, MaxResults: 1 }),
    );
    const thousand = await fixture.client.send(
      new ListSecurityProfilesCommand({ InstanceId: fixture.instanceId, MaxResults: 1000 }),
    );
    const zero = settle(
      fixture.client.send(new ListUsersCommand({ InstanceId: fixture.instanceId, MaxResults: 0 })),
    );
    const tooMany = settle(
      fixture.client.send(
        new ListSecurityProfilesCommand({ InstanceId: fixture.instanceId, MaxResults: 1001 }),
      ),
    );

    // Assess
    expect(one.UserSummaryList).toHaveLength(1);
    expect(thousand.SecurityProfileSummaryList).toHaveLength(3);
    await expectConnectError(zero, "InvalidParameterException", 400);
    const error = await expectConnectError(tooMany, "InvalidParameterException", 400);
    expect(error.message).toMatch(/MaxResults.*less than or equal to 1000/);
  });

  it("accepts 500 on SearchUsers and refuses 501", async () => {
    // Act
    const inside = await fixture.client.send(
      new SearchUsersCommand({ InstanceId: fixture.instanceId, MaxResults: 500 }),
    );
    const outside = settle(
      fixture.client.send(
        new SearchUsersCommand({ InstanceId: fixture.instanceId, MaxResults: 501 }),
      ),
    );

    // Assess
    expect(inside.Users).toHaveLength(1);
    await expectConnectError(outside, "InvalidParameterException", 400);
  });
});

describe("phone settings", () => {
  const fixture = useEmulator();
  const update = (fixture: EmulatorFixture, PhoneConfig: Record<string, unknown>) =>
    fixture.client.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: fixture.instanceId,
        UserId: fixture.userId("admin"),
        PhoneConfig,
      }),
    );

  it("accepts an after-contact-work limit of 0 and refuses -1", async () => {
    // Act
    const zero = await update(fixture, { AfterContactWorkTimeLimit: 0 });
    const negative = settle(update(fixture, { AfterContactWorkTimeLimit: -1 }));

    // Assess
    expect(zero.$metadata.httpStatusCode).toBe(200);
    await expectConnectError(negative, "InvalidParameterException", 400);
  });

  it("accepts the PhoneType enum values only", async () => {
    // Act
    const soft = await update(fixture, { PhoneType: "SOFT_PHONE" });
    const other = settle(update(fixture, { PhoneType: "MOBILE_PHONE" }));

    // Assess
    expect(soft.$metadata.httpStatusCode).toBe(200);
    const error = await expectConnectError(other, "InvalidParameterException", 400);
    expect(error.message).toMatch(/SOFT_PHONE, DESK_PHONE/);
  });

  it("accepts an E.164 desk phone number and refuses a national one", async () => {
    // Act
    const e164 = await update(fixture, {
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+442071234567",
    });
    const national = settle(
      update(fixture, { PhoneType: "DESK_PHONE", DeskPhoneNumber: "02071234567" }),
    );

    // Assess
    expect(e164.$metadata.httpStatusCode).toBe(200);
    await expectConnectError(national, "InvalidParameterException", 400);
  });

  it("refuses PhoneConfig members together with their per-channel counterparts (InvalidRequestException)", async () => {
    // Act
    const call = settle(
      create(
        fixture,
        samlUser(fixture, "conflicted", {
          PhoneConfig: { AutoAccept: true },
          AutoAcceptConfigs: [{ Channel: "VOICE", AutoAccept: false }],
        }),
      ),
    );

    // Assess
    await expectConnectError(call, "InvalidRequestException", 400);
  });
});

describe("tags", () => {
  const fixture = useEmulator();
  const tags = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, "v"]));

  it("accepts 50 tags and refuses 51", async () => {
    // Act
    const fifty = await create(fixture, samlUser(fixture, "fifty.tags", { Tags: tags(50) }));
    const fiftyOne = settle(
      create(fixture, samlUser(fixture, "fifty.one.tags", { Tags: tags(51) })),
    );

    // Assess
    expect(fifty.UserId).toEqual(expect.any(String));
    await expectConnectError(fiftyOne, "InvalidParameterException", 400);
  });

  it("refuses a tag key with the reserved aws: prefix", async () => {
    // Act
    const reserved = settle(
      create(fixture, samlUser(fixture, "reserved.tag", { Tags: { "aws:team": "x" } })),
    );
    const similar = await create(
      fixture,
      samlUser(fixture, "similar.tag", { Tags: { "awsome:team": "x" } }),
    );

    // Assess
    await expectConnectError(reserved, "InvalidParameterException", 400);
    expect(similar.UserId).toEqual(expect.any(String));
  });
});
