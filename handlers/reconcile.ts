import { loadReconcileConfig } from "../src/app/config";
import { reconcileHandler } from "../src/app/reconcile-handler";

/** EventBridge schedule -> one reconciliation of the HR roster against Connect. */
export const handler = reconcileHandler(loadReconcileConfig());
