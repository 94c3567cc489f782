import {
  CORE_USER_ATTRIBUTES,
  CORE_USER_URN,
  ENTERPRISE_USER_ATTRIBUTES,
  ENTERPRISE_USER_URN,
} from "./attributes";
import { type ListResponse, listResponse, MAX_RESULTS } from "./list";

/**
 * The discovery documents (RFC 7643 §5-§7, RFC 7644 §4): what this service
 * provider supports, its one resource type, and the schemas of its attributes.
 */

const SERVICE_PROVIDER_CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authorization: Bearer <token>, the token stored in Secrets Manager or SSM",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function userResourceType(baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_URN],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "A person who gets an Amazon Connect agent, as the sync rules decide",
    schema: CORE_USER_URN,
    schemaExtensions: [{ schema: ENTERPRISE_USER_URN, required: false }],
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` },
  };
}

export function resourceTypes(baseUrl: string): ListResponse<unknown> {
  return listResponse([userResourceType(baseUrl)], { startIndex: 1, count: MAX_RESULTS });
}

const SCHEMAS = [
  {
    id: CORE_USER_URN,
    name: "User",
    description: "User Account",
    attributes: CORE_USER_ATTRIBUTES,
  },
  {
    id: ENTERPRISE_USER_URN,
    name: "EnterpriseUser",
    description: "Enterprise User",
    attributes: ENTERPRISE_USER_ATTRIBUTES,
  },
];

/** One schema by its URN (compared without case), or undefined. */
export function schemaDocument(baseUrl: string, urn: string) {
  const schema = SCHEMAS.find((s) => s.id.toLowerCase() === urn.toLowerCase());
  return (
    schema && {
      schemas: [SCHEMA_URN],
      ...schema,
      meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
    }
  );
}

export function schemas(baseUrl: string): ListResponse<unknown> {
  return listResponse(
    SCHEMAS.map((s) => schemaDocument(baseUrl, s.id)),
    { startIndex: 1, count: MAX_RESULTS },
  );
}
