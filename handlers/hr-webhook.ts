import { hrWebhookHandler } from "../src/runtime/hr-webhook";
import { loadWebhookConfig } from "../src/runtime/webhook-config";

/** API Gateway HTTP API -> verified, canonical HR events on the FIFO queue. Configuration is read once per container. */
export const handler = hrWebhookHandler(loadWebhookConfig());
