import { loadWorkerConfig } from "../src/app/config";
import { syncWorkerHandler } from "../src/app/sync-worker-handler";

/** SQS FIFO event source -> Amazon Connect users. Configuration is read once per container. */
export const handler = syncWorkerHandler(loadWorkerConfig());
