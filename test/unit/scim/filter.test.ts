import { describe, expect, it } from "vitest";
import { parseUserFilter } from "../../../src/scim/filter";
import { InvalidFilterError, UnknownAttributeError } from "../../../src/scim/paths";
import { userResource } from "../../../src/scim/user";
import { ENTERPRISE } from "../../support/scim-fixtures";

const grace = userResource(
  {
    userName: "Grace.Hopper@Example.com",
    externalId: "E2001",
    active: true,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [
      { value: "grace@example.com", type: "work" },
      { value: "amazing.grace@example.org", type: "home" },
    ],
    [ENTERPRISE]: { department: "Support" },
  },
  {
    id: "u-1",
    created: "2026-11-28T09:00:00.000Z",
    lastModified: "2026-11-28T09:00:00.000Z",
    version: 1,
  },
  "https://example.com/scim/v2",
);

const matches = (filter: string) => parseUserFilter(filter).matches(grace);

describe("SCIM filters", () => {
  it("find a userName whatever its case, as Okta's and Entra's validators check", () => {
    expect(matches('userName eq "grace.hopper@example.com"')).toBe(true);
    expect(matches('userName eq "GRACE.HOPPER@EXAMPLE.COM"')).toBe(true);
    expect(matches('userName eq "ada@example.com"')).toBe(false);
  });

  it("read attribute names and operators in any case, and the core URN prefix", () => {
    expect(matches('USERNAME EQ "grace.hopper@example.com"')).toBe(true);
    expect(
      matches('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "grace.hopper@example.com"'),
    ).toBe(true);
    expect(matches('Name.GivenName sw "gra"')).toBe(true);
  });

  it("compare externalId and id with case, as RFC 7643 makes them caseExact", () => {
    expect(matches('externalId eq "E2001"')).toBe(true);
    expect(matches('externalId eq "e2001"')).toBe(false);
    expect(matches('id eq "U-1"')).toBe(false);
  });

  it("combine with and, or and not", () => {
    expect(matches('externalId eq "E2001" and userName eq "grace.hopper@example.com"')).toBe(true);
    expect(matches('externalId eq "E9" or userName eq "grace.hopper@example.com"')).toBe(true);
    expect(matches('externalId eq "E9" and userName eq "grace.hopper@example.com"')).toBe(false);
    expect(matches("not (active eq false)")).toBe(true);
  });

  it("match a value filter within one element: the home address is not the work one", () => {
    expect(matches('emails[type eq "work"].value eq "grace@example.com"')).toBe(true);
    expect(matches('emails[type eq "work"].value eq "amazing.grace@example.org"')).toBe(false);
    expect(matches('emails[type eq "work" and value co "amazing"]')).toBe(false);
    expect(matches('emails[TYPE eq "HOME"]')).toBe(true);
  });

  it("reach the enterprise extension by its URN path", () => {
    expect(matches(`${ENTERPRISE}:department eq "support"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:department eq "Sales"`)).toBe(false);
  });

  it("tell the store to look up userName or externalId by key, inside and/or too", () => {
    expect(parseUserFilter('userName eq "A@x.com"').plan).toEqual({
      kind: "userName",
      value: "A@x.com",
    });
    expect(parseUserFilter('active eq true and externalId eq "E1"').plan).toEqual({
      kind: "externalId",
      value: "E1",
    });
    expect(parseUserFilter('externalId eq "E1" or userName eq "b"').plan).toEqual({
      kind: "union",
      plans: [
        { kind: "externalId", value: "E1" },
        { kind: "userName", value: "b" },
      ],
    });
    expect(parseUserFilter('externalId eq "E1" or active eq true').plan).toEqual({ kind: "scan" });
    expect(parseUserFilter('displayName co "x"').plan).toEqual({ kind: "scan" });
  });

  it("refuse what is not the grammar, and attributes this service does not know", () => {
    expect(() => parseUserFilter("userName eq")).toThrow(InvalidFilterError);
    expect(() => parseUserFilter('userName xx "a"')).toThrow(InvalidFilterError);
    expect(() => parseUserFilter('roles eq "admin"')).toThrow(UnknownAttributeError);
    expect(() => parseUserFilter('urn:example:custom:2.0:User:x eq "1"')).toThrow(
      UnknownAttributeError,
    );
  });
});
