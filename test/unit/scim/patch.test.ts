import { describe, expect, it } from "vitest";
import { applyPatch } from "../../../src/scim/patch";
import { CORE, ENTERPRISE, patchBody } from "../../support/scim-fixtures";

const grace = () => ({
  schemas: [CORE],
  id: "u-1",
  userName: "grace@example.com",
  active: true,
  name: { givenName: "Grace", familyName: "Hopper" },
  emails: [{ value: "grace@example.com", type: "work", primary: true }],
  meta: { resourceType: "User", created: "t", lastModified: "t", version: 'W/"1"' },
});

function patched(...operations: unknown[]): Record<string, unknown> {
  const result = applyPatch(grace(), patchBody(...operations));
  if (!result.ok) throw new Error(`refused: ${result.problem.detail}`);
  return result.resource;
}

describe("SCIM PATCH", () => {
  it('reads Entra\'s capitalised Replace and the string "False" as a deactivation', () => {
    expect(patched({ op: "Replace", path: "active", value: "False" }).active).toBe(false);
    expect(patched({ op: "replace", value: { active: "TRUE" } }).active).toBe(true);
  });

  it("takes Okta's path-less deactivation", () => {
    expect(patched({ op: "replace", value: { active: false } }).active).toBe(false);
  });

  it("sets enterprise attributes by URN path, and a manager given as an object or a bare id", () => {
    const byPath = patched(
      { op: "Add", path: `${ENTERPRISE}:department`, value: "Sales" },
      { op: "Replace", path: `${ENTERPRISE}:manager`, value: "M7" },
    );
    const byObject = patched({ op: "add", path: `${ENTERPRISE}:manager`, value: { value: "M8" } });

    expect(byPath[ENTERPRISE]).toEqual({ department: "Sales", manager: { value: "M7" } });
    expect(byObject[ENTERPRISE]).toEqual({ manager: { value: "M8" } });
  });

  it("removes the manager", () => {
    const resource = patched(
      { op: "add", path: `${ENTERPRISE}:manager`, value: { value: "M8" } },
      { op: "Remove", path: `${ENTERPRISE}:manager` },
    );

    expect(resource[ENTERPRISE]).toEqual({});
  });

  it("splits a whole enterprise-extension value into its attributes instead of a junk key", () => {
    const noPath = patched({ op: "add", value: { [ENTERPRISE]: { department: "Sales" } } });
    const extensionPath = patched({ op: "add", path: ENTERPRISE, value: { division: "EMEA" } });

    expect(noPath[ENTERPRISE]).toEqual({ department: "Sales" });
    expect(extensionPath[ENTERPRISE]).toEqual({ division: "EMEA" });
    expect(Object.keys(noPath).filter((k) => k.startsWith("urn:"))).toEqual([ENTERPRISE]);
  });

  it("applies Entra's path-less value of dotted and URN keys, attribute names in any case", () => {
    const resource = patched({
      op: "replace",
      value: {
        "name.givenName": "Amazing",
        "Name.FamilyName": "Grace",
        [`${ENTERPRISE}:employeeNumber`]: "701",
      },
    });

    expect(resource.name).toEqual({ givenName: "Amazing", familyName: "Grace" });
    expect(resource[ENTERPRISE]).toEqual({ employeeNumber: "701" });
  });

  it("replaces the work e-mail by value filter and adds a work address that did not exist", () => {
    const resource = patched(
      { op: "Replace", path: 'emails[type eq "work"].value', value: "g.hopper@example.com" },
      { op: "Add", path: 'addresses[type eq "work"].locality', value: "London" },
    );

    expect(resource.emails).toEqual([
      { value: "g.hopper@example.com", type: "work", primary: true },
    ]);
    expect(resource.addresses).toEqual([{ type: "work", locality: "London" }]);
  });

  it("treats a null or empty replace as removing the attribute", () => {
    const resource = patched(
      { op: "replace", path: "title", value: "TL1" },
      { op: "replace", path: "title", value: "" },
      { op: "replace", path: "displayName", value: null },
    );

    expect(resource).not.toHaveProperty("title");
    expect(resource).not.toHaveProperty("displayName");
  });

  it("ignores unknown attributes and never reaches an object's prototype", () => {
    const resource = patched(
      { op: "add", path: "__proto__.polluted", value: "yes" },
      { op: "add", value: { __proto__: { polluted: "yes" }, roles: [{ value: "admin" }] } },
      { op: "add", path: "constructor.prototype.polluted", value: "yes" },
    );

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(resource).not.toHaveProperty("roles");
  });

  it("refuses a change to id or meta (mutability) and names the operation", () => {
    const result = applyPatch(grace(), patchBody({ op: "replace", path: "id", value: "u-2" }));

    expect(result).toEqual({
      ok: false,
      problem: { status: 400, scimType: "mutability", detail: "Operations[0]: id is read-only" },
    });
  });

  it("refuses a remove without a path (noTarget), an unknown op and a bad path filter", () => {
    const refusal = (...ops: unknown[]) => {
      const result = applyPatch(grace(), patchBody(...ops));
      return result.ok ? undefined : result.problem.scimType;
    };

    expect(refusal({ op: "remove" })).toBe("noTarget");
    expect(refusal({ op: "move", path: "title", value: "x" })).toBe("invalidSyntax");
    expect(refusal({ op: "replace", path: "emails[type eq].value", value: "x" })).toBe(
      "invalidPath",
    );
    expect(refusal({ op: "add", path: "title" })).toBe("invalidValue");
  });

  it("refuses a body without the PatchOp schema or without operations", () => {
    expect(applyPatch(grace(), { Operations: [{ op: "add", path: "title", value: "x" }] }).ok).toBe(
      false,
    );
    expect(applyPatch(grace(), patchBody()).ok).toBe(false);
  });

  it("leaves the resource it was given as it was", () => {
    const original = grace();

    applyPatch(original, patchBody({ op: "replace", path: "userName", value: "x@example.com" }));

    expect(original).toEqual(grace());
  });
});
