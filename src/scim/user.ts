import * as z from "../domain/zod";
import {
  type AttributeDefinition,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  subAttribute,
  topLevelAttribute,
} from "./attributes";

/**
 * The SCIM User resource as this service stores it: what the IdP sent,
 * normalised (canonical attribute names, booleans from "True"/"False",
 * a manager given as a bare id wrapped as `{value}`, nulls and empty values
 * left out as unassigned, read-only and unknown attributes dropped), then
 * validated. id, meta and schemas are the service's and kept apart.
 */

const MAX_TEXT = 1024;
/** More than any IdP sends; keeps an item far below DynamoDB's 400 KB. */
const MAX_VALUES = 10;

/** An optional text attribute, trimmed, of 1 to MAX_TEXT characters; `flag`, an optional boolean. */
const text = z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_TEXT)));
const flag = z.optional(z.boolean());
/** A multi-valued attribute: at most MAX_VALUES of `item`. */
const values = <T extends z.core.$ZodType>(item: T) =>
  z.optional(z.array(item).check(z.maxLength(MAX_VALUES)));

const entry = z.object({
  value: text,
  display: text,
  type: text,
  primary: flag,
});

const address = z.object({
  formatted: text,
  streetAddress: text,
  locality: text,
  region: text,
  postalCode: text,
  country: text,
  type: text,
  primary: flag,
});

const enterprise = z.object({
  employeeNumber: text,
  costCenter: text,
  organization: text,
  division: text,
  department: text,
  manager: z.optional(z.object({ value: text, $ref: text })),
});

export const scimUserSchema = z.object({
  externalId: text,
  userName: z.string().check(z.trim(), z.minLength(1), z.maxLength(256)),
  name: z.optional(
    z.object({
      formatted: text,
      familyName: text,
      givenName: text,
      middleName: text,
      honorificPrefix: text,
      honorificSuffix: text,
    }),
  ),
  displayName: text,
  nickName: text,
  title: text,
  userType: text,
  preferredLanguage: text,
  locale: text,
  timezone: text,
  active: flag,
  emails: values(entry),
  phoneNumbers: values(entry),
  addresses: values(address),
  [ENTERPRISE_USER_URN]: z.optional(enterprise),
});

export type ScimUser = z.infer<typeof scimUserSchema>;
export type EnterpriseUser = z.infer<typeof enterprise>;

/** What the service keeps beside the user: its id and meta (RFC 7643 §3.1). */
export interface ScimUserMeta {
  id: string;
  created: string;
  lastModified: string;
  /** Counts the changes from 1; the ETag is `W/"<version>"`. */
  version: number;
}

export const etagOf = (version: number) => `W/"${version}"`;

/** The user as GET answers it: schemas, id, the attributes, meta with its location. */
export function userResource(
  user: ScimUser,
  meta: ScimUserMeta,
  baseUrl: string,
): Record<string, unknown> {
  return {
    schemas: user[ENTERPRISE_USER_URN] ? [CORE_USER_URN, ENTERPRISE_USER_URN] : [CORE_USER_URN],
    id: meta.id,
    ...user,
    meta: {
      resourceType: "User",
      created: meta.created,
      lastModified: meta.lastModified,
      location: `${baseUrl}/Users/${meta.id}`,
      version: etagOf(meta.version),
    },
  };
}

/**
 * A request body (or a patched resource) in canonical form, ready for
 * scimUserSchema. `schemas` is returned apart, as sent, for the caller to check.
 */
export function normaliseUser(body: Record<string, unknown>): {
  user: Record<string, unknown>;
  schemas: unknown;
} {
  const user: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const definition = topLevelAttribute(key);
    if (!definition || definition.name === "schemas") continue;
    const normalised = normaliseValue(value, definition);
    if (normalised !== undefined) user[definition.name] = normalised;
  }
  const schemasKey = Object.keys(body).find((k) => k.toLowerCase() === "schemas");
  return { user, schemas: schemasKey === undefined ? undefined : body[schemasKey] };
}

/** One value by its attribute's definition; undefined when it is unassigned or not the client's to set. */
export function normaliseValue(value: unknown, definition: AttributeDefinition): unknown {
  if (definition.mutability === "readOnly") return undefined;
  if (definition.multiValued) {
    const values = Array.isArray(value) ? value : [value];
    const kept = values.map((v) => normaliseSingle(v, definition)).filter((v) => v !== undefined);
    return kept.length === 0 ? undefined : kept;
  }
  return normaliseSingle(value, definition);
}

function normaliseSingle(value: unknown, definition: AttributeDefinition): unknown {
  if (value === null || value === undefined || value === "") return undefined;
  switch (definition.type) {
    case "boolean":
      return typeof value === "string" && /^(true|false)$/i.test(value.trim())
        ? value.trim().toLowerCase() === "true"
        : value;
    case "complex": {
      // A manager sent as a bare id (some IdPs do) is its value.
      if (typeof value === "string" && subAttribute(definition, "value"))
        return normaliseSingle({ value }, definition);
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
        const subDefinition = subAttribute(definition, key);
        if (!subDefinition) continue;
        const normalised = normaliseValue(sub, subDefinition);
        if (normalised !== undefined) out[subDefinition.name] = normalised;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    default:
      return value;
  }
}
