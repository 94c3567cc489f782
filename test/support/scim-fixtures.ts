export const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** A User as Entra ID creates one (its default mappings plus employeeId -> externalId), with overrides. */
export function entraUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE, ENTERPRISE],
    externalId: "E2001",
    userName: "Grace.Hopper@example.com",
    active: true,
    emails: [{ primary: true, type: "work", value: "grace.hopper@example.com" }],
    meta: { resourceType: "User" },
    name: { formatted: "Grace Hopper", familyName: "Hopper", givenName: "Grace" },
    title: "AGT1",
    addresses: [{ type: "work", locality: "London" }],
    roles: [],
    [ENTERPRISE]: { department: "Support", manager: { value: "M1" } },
    ...overrides,
  };
}

export const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
