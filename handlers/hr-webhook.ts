import { loadWebhookConfig } from "../src/runtime/config";
import { hrWebhookHandler } from "../src/runtime/hr-webhook";

/** API Gateway HTTP API -> verified, canonical HR events on the FIFO queue. Configuration is read once per container. */
export const handler = hrWebhookHandler(loadWebhookConfig());
