import { loadReconcileConfig } from "../src/runtime/config";
import { reconcileHandler } from "../src/runtime/reconcile";

/** EventBridge schedule -> one reconciliation of the HR roster against Connect. */
export const handler = reconcileHandler(loadReconcileConfig());
