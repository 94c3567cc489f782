import { loadWebhookConfig } from "../src/app/config";
import { hrWebhookHandler } from "../src/app/hr-webhook-handler";

/** API Gateway HTTP API -> verified, canonical HR events on the FIFO queue. Configuration is read once per container. */
export const handler = hrWebhookHandler(loadWebhookConfig());
