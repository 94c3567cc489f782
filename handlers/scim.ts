import { scimHandler } from "../src/runtime/scim";
import { loadScimConfig } from "../src/runtime/scim-config";

/** API Gateway HTTP API -> the SCIM 2.0 service provider at /scim/v2. Configuration is read once per container. */
export const handler = scimHandler(loadScimConfig());
