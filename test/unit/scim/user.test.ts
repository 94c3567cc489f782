import { describe, expect, it } from "vitest";
import { CORE_USER_ATTRIBUTES, ENTERPRISE_USER_ATTRIBUTES } from "../../../src/scim/attributes";
import { schemaDocument, schemas, serviceProviderConfig } from "../../../src/scim/discovery";
import { LIST_RESPONSE_URN, listResponse, MAX_RESULTS, pageOf } from "../../../src/scim/list";
import { normaliseUser, scimUserSchema } from "../../../src/scim/user";
import { CORE, ENTERPRISE, entraUser } from "../../support/scim-fixtures";

describe("a User body", () => {
  it("keeps what the service understands and drops read-only and unknown attributes", () => {
    const { user, schemas } = normaliseUser({
      ...entraUser(),
      id: "chosen-by-the-client",
      password: "Secret1!",
      groups: [{ value: "g1" }],
    });

    expect(schemas).toEqual([CORE, ENTERPRISE]);
    expect(user).not.toHaveProperty("id");
    expect(user).not.toHaveProperty("meta");
    expect(user).not.toHaveProperty("password");
    expect(user).not.toHaveProperty("roles");
    expect(user).not.toHaveProperty("groups");
    expect(scimUserSchema.safeParse(user).success).toBe(true);
  });

  it("spells attribute names canonically, reads boolean strings, wraps a bare manager id", () => {
    const { user } = normaliseUser({
      UserName: "grace@example.com",
      ACTIVE: "False",
      Emails: [{ Value: "grace@example.com", Primary: "true" }],
      [ENTERPRISE.toUpperCase()]: { Manager: "M1" },
    });

    expect(user).toEqual({
      userName: "grace@example.com",
      active: false,
      emails: [{ value: "grace@example.com", primary: true }],
      [ENTERPRISE]: { manager: { value: "M1" } },
    });
  });

  it("leaves null and empty values out as unassigned", () => {
    const { user } = normaliseUser({ userName: "g", title: null, displayName: "", emails: [] });

    expect(user).toEqual({ userName: "g" });
  });

  it("is refused by the schema with the path of each wrong value", () => {
    const parsed = scimUserSchema.safeParse({ userName: "", active: "maybe", emails: "x" });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "active",
      "emails",
      "userName",
    ]);
  });

  it("has in the zod schema exactly the attributes /Schemas publishes", () => {
    const published = CORE_USER_ATTRIBUTES.map((a) => a.name);
    const accepted = Object.keys(scimUserSchema.shape).filter(
      (k) => k !== "externalId" && k !== ENTERPRISE,
    );
    const enterprise = scimUserSchema.shape[ENTERPRISE].def.innerType.shape;

    expect(accepted.sort()).toEqual(published.sort());
    expect(Object.keys(enterprise).sort()).toEqual(
      ENTERPRISE_USER_ATTRIBUTES.map((a) => a.name).sort(),
    );
  });
});

describe("discovery", () => {
  it("announces PATCH, filters, ETags and bearer tokens, and no bulk, sort or password change", () => {
    const config = serviceProviderConfig("https://example.com/scim/v2");

    expect(config).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: MAX_RESULTS },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
  });

  it("lists the core User and enterprise schemas, each also by its URN in any case", () => {
    const list = schemas("https://example.com/scim/v2");

    expect(list.Resources.map((s) => (s as { id: string }).id)).toEqual([CORE, ENTERPRISE]);
    expect(schemaDocument("https://example.com/scim/v2", ENTERPRISE.toLowerCase())).toMatchObject({
      id: ENTERPRISE,
      meta: { location: `https://example.com/scim/v2/Schemas/${ENTERPRISE}` },
    });
    expect(schemaDocument("https://example.com/scim/v2", "urn:nothing")).toBeUndefined();
  });
});

describe("paging", () => {
  it("reads startIndex below 1 as 1 and a negative count as 0, and caps count", () => {
    expect(pageOf({ startIndex: "0", count: "-3" })).toEqual({
      ok: true,
      page: { startIndex: 1, count: 0 },
    });
    expect(pageOf({ count: "100000" })).toEqual({
      ok: true,
      page: { startIndex: 1, count: MAX_RESULTS },
    });
    expect(pageOf({ startIndex: "two" }).ok).toBe(false);
  });

  it("caps a count of any size at the maximum and treats any negative one as 0, never refusing either", () => {
    for (const count of ["1000000000", "99999999999999999999999", "+300"])
      expect(pageOf({ count }), count).toEqual({
        ok: true,
        page: { startIndex: 1, count: MAX_RESULTS },
      });
    for (const count of ["-1", "-1000000000000"])
      expect(pageOf({ count }), count).toEqual({ ok: true, page: { startIndex: 1, count: 0 } });
    expect(pageOf({ startIndex: "99999999999999999999" })).toEqual({
      ok: true,
      page: { startIndex: Number.MAX_SAFE_INTEGER, count: 100 },
    });
    for (const count of ["1.5", "1e3", "ten"]) expect(pageOf({ count }).ok, count).toBe(false);
  });

  it("answers one page with the total and the startIndex asked for", () => {
    const page = listResponse(["a", "b", "c", "d"], { startIndex: 2, count: 2 });

    expect(page).toEqual({
      schemas: [LIST_RESPONSE_URN],
      totalResults: 4,
      startIndex: 2,
      itemsPerPage: 2,
      Resources: ["b", "c"],
    });
  });
});
