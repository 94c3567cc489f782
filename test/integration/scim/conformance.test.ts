import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { filterQuery, type ScimReply, scimClient } from "../../support/scim-client";
import { CORE, ENTERPRISE, entraUser, patchBody } from "../../support/scim-fixtures";

/**
 * The request sequences Okta's "SCIM 2.0 SPEC Test" and Entra ID's SCIM
 * validator send (docs/scim.md), through the real scim handler behind the
 * local HTTP API, with the real DynamoDB table (dynalite) and queue (fauxqs).
 */

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

let stack: LocalStack;
let scim: ReturnType<typeof scimClient>;

beforeAll(async () => {
  stack = await startLocalStack({ quota: { rps: 100, burst: 100 } });
  scim = scimClient(stack);
});

afterAll(async () => {
  await stack?.close();
});

/** A user as Okta's test creates one: no externalId, application/json. */
function oktaUser(userName: string) {
  return {
    schemas: [CORE],
    userName,
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: "Ada Lovelace",
    active: true,
  };
}

function expectError(reply: ScimReply, status: number) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get("content-type")).toBe("application/scim+json");
  expect(reply.json.schemas).toEqual([ERROR]);
  expect(reply.json.status).toBe(String(status));
  expect(reply.json.detail).toEqual(expect.any(String));
}

describe("Okta's SCIM 2.0 spec test", () => {
  it("passes every step, in Okta's order", async () => {
    // Prepare: the test needs one user to exist already.
    const first = await scim("POST", "/Users", {
      body: oktaUser("okta.first@example.com"),
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(first.status).toBe(201);

    const page = await scim("GET", "/Users?count=1&startIndex=1");
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({
      schemas: [LIST],
      itemsPerPage: 1,
      startIndex: 1,
      totalResults: expect.any(Number),
    });
    const listed = page.json.Resources[0] as Record<string, unknown> & { id: string };
    expect(listed).toMatchObject({
      id: expect.any(String),
      userName: expect.any(String),
      active: true,
      name: { givenName: expect.any(String), familyName: expect.any(String) },
      emails: [{ value: expect.any(String) }],
    });

    const byId = await scim("GET", `/Users/${listed.id}`);
    expect(byId.status).toBe(200);
    expect(byId.json).toEqual(listed);

    for (const unknown of ["invalid-user", "random.4711@example.com"]) {
      const none = await scim("GET", `/Users?${filterQuery(`userName eq "${unknown}"`)}`);
      expect(none.status).toBe(200);
      expect(none.json).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });
    }
    expectError(await scim("GET", "/Users/no-such-user"), 404);

    const created = await scim("POST", "/Users", {
      body: oktaUser("okta.new@example.com"),
      headers: { "content-type": "application/json" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      schemas: expect.arrayContaining([CORE]),
      id: expect.any(String),
      userName: "okta.new@example.com",
      active: true,
      name: { givenName: "Ada", familyName: "Lovelace" },
    });
    expect(created.headers.get("location")).toBe(`${stack.scimUrl}/Users/${created.json.id}`);
    expect((await scim("GET", `/Users/${created.json.id}`)).json).toEqual(created.json);

    const duplicate = await scim("POST", "/Users", { body: oktaUser("okta.new@example.com") });
    expectError(duplicate, 409);
    expect(duplicate.json.scimType).toBe("uniqueness");

    const upper = await scim("GET", `/Users?${filterQuery('userName eq "OKTA.NEW@EXAMPLE.COM"')}`);
    expect(upper.status).toBe(200);
    expect(upper.json.Resources.map((u) => u.id)).toEqual([created.json.id]);

    const wrongToken = await scim("GET", "/Users", { authorization: "non-token" });
    expectError(wrongToken, 401);
    expectError(await scim("GET", "/Users/00919288221112222"), 404);
  });

  it("runs Okta's CRUD: update the first name, deactivate, reactivate", async () => {
    const created = await scim("POST", "/Users", { body: oktaUser("okta.crud@example.com") });

    const updated = await scim("PUT", `/Users/${created.json.id}`, {
      body: {
        ...oktaUser("okta.crud@example.com"),
        name: { givenName: "Augusta", familyName: "Lovelace" },
      },
    });
    const deactivated = await scim("PATCH", `/Users/${created.json.id}`, {
      body: patchBody({ op: "replace", value: { active: false } }),
    });
    const whileInactive = await scim("GET", `/Users/${created.json.id}`);
    const reactivated = await scim("PATCH", `/Users/${created.json.id}`, {
      body: patchBody({ op: "replace", value: { active: true } }),
    });

    expect(updated.status).toBe(200);
    expect(updated.json.name).toEqual({ givenName: "Augusta", familyName: "Lovelace" });
    expect(deactivated.json.active).toBe(false);
    expect(whileInactive.json.active).toBe(false);
    expect(reactivated.json.active).toBe(true);
    expect(reactivated.json.meta).toMatchObject({ version: 'W/"4"' });
  });
});

describe("Entra ID's SCIM validator", () => {
  it("creates, finds, patches, disables and deletes a user as Entra does", async () => {
    const body = entraUser({ externalId: "ENTRA1", userName: "Entra.One@example.com" });

    const created = await scim("POST", "/Users", { body });
    const id = created.json.id;
    const differentCase = await scim(
      "GET",
      `/Users?${filterQuery('userName eq "entra.one@EXAMPLE.com"')}`,
    );
    const byExternalId = await scim("GET", `/Users?${filterQuery('externalId eq "ENTRA1"')}`);
    const both = await scim(
      "GET",
      `/Users?${filterQuery('externalId eq "ENTRA1" and userName eq "Entra.One@example.com"')}`,
    );
    const duplicate = await scim("POST", "/Users", { body });

    expect(created.status).toBe(201);
    expect(created.json.meta).toMatchObject({
      resourceType: "User",
      created: expect.any(String),
      lastModified: expect.any(String),
    });
    expect(created.json).not.toHaveProperty("roles");
    expect(differentCase.json.totalResults).toBe(1);
    expect(byExternalId.json.Resources.map((u) => u.id)).toEqual([id]);
    expect(both.json.totalResults).toBe(1);
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.scimType).toBe("uniqueness");

    const patched = await scim("PATCH", `/Users/${id}`, {
      body: patchBody(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "entra.one@example.org" },
        { op: "Replace", path: "name.familyName", value: "Uno" },
        { op: "Add", path: `${ENTERPRISE}:department`, value: "Sales" },
        { op: "Add", path: `${ENTERPRISE}:manager`, value: { value: "MGR1" } },
      ),
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      emails: [{ type: "work", value: "entra.one@example.org" }],
      name: { familyName: "Uno" },
      [ENTERPRISE]: { department: "Sales", manager: { value: "MGR1" } },
    });

    const managerChanged = await scim("PATCH", `/Users/${id}`, {
      body: patchBody({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "MGR2" } }),
    });
    const managerRemoved = await scim("PATCH", `/Users/${id}`, {
      body: patchBody({ op: "remove", path: `${ENTERPRISE}:manager` }),
    });
    expect(managerChanged.json[ENTERPRISE]).toMatchObject({ manager: { value: "MGR2" } });
    expect(managerRemoved.json[ENTERPRISE]).toEqual({ department: "Sales" });

    const renamed = await scim("PATCH", `/Users/${id}`, {
      body: patchBody({ op: "replace", value: { userName: "entra.uno@example.com" } }),
    });
    const oldName = await scim(
      "GET",
      `/Users?${filterQuery('userName eq "Entra.One@example.com"')}`,
    );
    expect(renamed.json.userName).toBe("entra.uno@example.com");
    expect(oldName.json.totalResults).toBe(0);

    const disabled = await scim("PATCH", `/Users/${id}`, {
      body: patchBody({ op: "Replace", path: "active", value: "False" }),
    });
    const softDeleted = await scim("GET", `/Users?${filterQuery('externalId eq "ENTRA1"')}`);
    expect(disabled.json.active).toBe(false);
    expect(softDeleted.json.Resources[0]).toMatchObject({ id, active: false });

    const deleted = await scim("DELETE", `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expectError(await scim("GET", `/Users/${id}`), 404);
    expectError(await scim("DELETE", `/Users/${id}`), 404);
  });

  it("pages over eleven users, echoing the startIndex asked for", async () => {
    for (let n = 1; n <= 11; n++) {
      const reply = await scim("POST", "/Users", {
        body: entraUser({ externalId: `PAGE${n}`, userName: `page.${n}@example.com` }),
      });
      expect(reply.status).toBe(201);
    }
    const filter = filterQuery('userName sw "page."');

    const pages = [];
    for (const startIndex of [1, 6, 11])
      pages.push((await scim("GET", `/Users?${filter}&startIndex=${startIndex}&count=5`)).json);

    expect(pages.map((p) => [p.startIndex, p.itemsPerPage, p.totalResults])).toEqual([
      [1, 5, 11],
      [6, 5, 11],
      [11, 1, 11],
    ]);
    const names = pages.flatMap((p) => p.Resources.map((u) => u.userName));
    expect(names).toEqual(Array.from({ length: 11 }, (_, i) => `page.${i + 1}@example.com`));
  });

  it("caps a count above the maximum instead of refusing it, and reads a negative count as 0", async () => {
    for (let n = 1; n <= 3; n++) {
      const reply = await scim("POST", "/Users", {
        body: entraUser({ externalId: `CAP${n}`, userName: `cap.${n}@example.com` }),
      });
      expect(reply.status).toBe(201);
    }
    const filter = filterQuery('userName sw "cap."');

    const huge = await scim("GET", `/Users?${filter}&count=1000000000`);
    const longer = await scim("GET", `/Users?${filter}&count=99999999999999999999`);
    const negative = await scim("GET", `/Users?${filter}&count=-5`);
    const word = await scim("GET", `/Users?${filter}&count=ten`);

    for (const reply of [huge, longer]) {
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ schemas: [LIST], totalResults: 3, itemsPerPage: 3 });
    }
    expect(negative.status).toBe(200);
    expect(negative.json).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
    expectError(word, 400);
    expect(word.json.scimType).toBe("invalidValue");
  });

  it("finds the discovery documents: ServiceProviderConfig, ResourceTypes, Schemas", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    const types = await scim("GET", "/ResourceTypes");
    const schemas = await scim("GET", "/Schemas");
    const enterprise = await scim("GET", `/Schemas/${ENTERPRISE}`);

    expect(config.json).toMatchObject({ patch: { supported: true }, filter: { supported: true } });
    expect(types.json.Resources).toEqual([
      expect.objectContaining({ id: "User", endpoint: "/Users", schema: CORE }),
    ]);
    expect(schemas.json.Resources.map((s) => s.id)).toEqual([CORE, ENTERPRISE]);
    expect(enterprise.json.attributes).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "department" })]),
    );
  });
});

describe("the bearer token", () => {
  it("is required on every endpoint: none or a wrong one is 401 with WWW-Authenticate", async () => {
    for (const path of ["/Users", "/ServiceProviderConfig", "/Schemas", "/NoSuchThing"]) {
      const none = await scim("GET", path, { authorization: null });
      const wrong = await scim("GET", path, { authorization: `Bearer ${stack.scimToken}x` });

      expectError(none, 401);
      expectError(wrong, 401);
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="scim"');
    }
  });
});
