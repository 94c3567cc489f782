/**
 * The SCIM 2.0 attributes this service provider understands (RFC 7643
 * §4.1 core User, §4.3 enterprise extension), in the form the `/Schemas`
 * endpoint publishes. The same table gives every attribute name its
 * canonical spelling (attribute names are case-insensitive, RFC 7643 §2.1)
 * and says which values are booleans or compare with case. Attributes that
 * are not here (password, groups, roles, photos, x509Certificates, custom
 * extensions) are dropped, never stored.
 */

export const CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export type AttributeType = "string" | "boolean" | "complex" | "reference" | "dateTime";

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, "name" | "type" | "description">>;

function attribute(
  name: string,
  type: AttributeType,
  description: string,
  options: Options = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

const text = (name: string, description: string, options?: Options) =>
  attribute(name, "string", description, options);

const complex = (
  name: string,
  description: string,
  subAttributes: AttributeDefinition[],
  options?: Options,
) => attribute(name, "complex", description, { ...options, subAttributes });

/** value, display, type and primary: the sub-attributes of emails, phoneNumbers and the like. */
function multiValuedEntry(name: string, description: string, types: string[]) {
  return complex(
    name,
    description,
    [
      text("value", `The ${description.toLowerCase()}`),
      text("display", "A human-readable name, for display only", { mutability: "readOnly" }),
      text("type", "A label for the function of the value", { canonicalValues: types }),
      attribute("primary", "boolean", "Whether this is the preferred value"),
    ],
    { multiValued: true },
  );
}

export const CORE_USER_ATTRIBUTES: AttributeDefinition[] = [
  text("userName", "Unique identifier for the User; becomes the Connect user name", {
    required: true,
    uniqueness: "server",
  }),
  complex("name", "The components of the user's real name", [
    text("formatted", "The full name, formatted for display"),
    text("familyName", "The family name; becomes the agent's last name"),
    text("givenName", "The given name; becomes the agent's first name"),
    text("middleName", "The middle name(s)"),
    text("honorificPrefix", "The honorific prefix(es)"),
    text("honorificSuffix", "The honorific suffix(es)"),
  ]),
  text("displayName", "The name of the User, suitable for display"),
  text("nickName", "The casual way to address the user"),
  text("title", "The user's title; becomes the HR record's jobCode"),
  text("userType", "The relationship between the organization and the user"),
  text("preferredLanguage", "The user's preferred written or spoken language"),
  text("locale", "The user's default location for localization"),
  text("timezone", "The user's time zone in IANA format"),
  attribute("active", "boolean", "false makes the user a leaver; true again, a rehire"),
  multiValuedEntry("emails", "E-mail address for the User", ["work", "home", "other"]),
  multiValuedEntry("phoneNumbers", "Phone number for the User", [
    "work",
    "home",
    "mobile",
    "fax",
    "pager",
    "other",
  ]),
  complex(
    "addresses",
    "A physical mailing address for this User",
    [
      text("formatted", "The full mailing address, formatted for display"),
      text("streetAddress", "The street address"),
      text("locality", "The city or locality; the work address's becomes the HR location"),
      text("region", "The state or region"),
      text("postalCode", "The zip code or postal code"),
      text("country", "The country name component"),
      text("type", "A label for the function of the address", {
        canonicalValues: ["work", "home", "other"],
      }),
      attribute("primary", "boolean", "Whether this is the preferred address"),
    ],
    { multiValued: true },
  ),
];

export const ENTERPRISE_USER_ATTRIBUTES: AttributeDefinition[] = [
  text("employeeNumber", "Identifies the user; the employee id when externalId is absent"),
  text("costCenter", "Identifies the name of a cost center"),
  text("organization", "Identifies the name of an organization"),
  text("division", "Identifies the name of a division"),
  text("department", "Identifies the name of a department; becomes the HR department"),
  complex("manager", "The user's manager; its value becomes the HR managerId", [
    text("value", "The id of the SCIM resource representing the user's manager"),
    attribute("$ref", "reference", "The URI of the manager's SCIM resource", {
      referenceTypes: ["User"],
    }),
    text("displayName", "The displayName of the manager", { mutability: "readOnly" }),
  ]),
];

/** The attributes every resource has (RFC 7643 §3.1); not listed in the User schema itself. */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  text("id", "Assigned by the service provider", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  text("externalId", "The IdP's identifier for the user; the HR employee id", { caseExact: true }),
  complex(
    "meta",
    "Resource metadata",
    [
      text("resourceType", "The resource type", { caseExact: true, mutability: "readOnly" }),
      attribute("created", "dateTime", "When the resource was added", { mutability: "readOnly" }),
      attribute("lastModified", "dateTime", "When the resource was last changed", {
        mutability: "readOnly",
      }),
      attribute("location", "reference", "The URI of the resource", { mutability: "readOnly" }),
      text("version", "The resource's entity tag", { caseExact: true, mutability: "readOnly" }),
    ],
    { mutability: "readOnly" },
  ),
];

/** Top-level attributes of a User by lower-case name, the enterprise extension as one complex attribute. */
const TOP_LEVEL = new Map<string, AttributeDefinition>(
  [
    ...COMMON_ATTRIBUTES,
    ...CORE_USER_ATTRIBUTES,
    complex("schemas", "The schemas of the resource", [], { caseExact: true }),
    complex(ENTERPRISE_USER_URN, "The enterprise extension", ENTERPRISE_USER_ATTRIBUTES),
  ].map((a) => [a.name.toLowerCase(), a]),
);

/** A top-level attribute of a User, by any spelling of its name. */
export function topLevelAttribute(name: string): AttributeDefinition | undefined {
  return TOP_LEVEL.get(name.toLowerCase());
}

/** A sub-attribute of a complex attribute, by any spelling of its name. */
export function subAttribute(
  parent: AttributeDefinition,
  name: string,
): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return parent.subAttributes?.find((a) => a.name.toLowerCase() === lower);
}

/** The enterprise extension, as a complex attribute. */
export const ENTERPRISE_EXTENSION = TOP_LEVEL.get(
  ENTERPRISE_USER_URN.toLowerCase(),
) as AttributeDefinition;
