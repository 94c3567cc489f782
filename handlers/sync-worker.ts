import { loadWorkerConfig } from "../src/runtime/config";
import { syncWorkerHandler } from "../src/runtime/sync-worker";

/** SQS FIFO event source -> Amazon Connect users. Configuration is read once per container. */
export const handler = syncWorkerHandler(loadWorkerConfig());
