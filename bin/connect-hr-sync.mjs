#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that the repository needs no build step.
import { register } from "tsx/esm/api";

// A command talks to people: no JSON log lines, no EMF metric blobs, no X-Ray, unless asked.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
process.env.POWERTOOLS_TRACE_ENABLED ??= "false";
process.env.POWERTOOLS_METRICS_NAMESPACE ??= "ConnectHrSync";
// Node 20 is supported here until the AWS SDK drops it; Lambda runs Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

register();
await import("../src/cli/main.ts");
