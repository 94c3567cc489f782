/**
 * `npm run bench [-- --json]`: the service against the Connect quota, side by
 * side with two baselines, a large reconciliation and each function's cold
 * start. Writes BENCHMARKS.md; exits 1 when a target does not hold.
 */
// Powertools reads these when its modules load: quiet logs, no metrics or traces on stdout.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
process.env.POWERTOOLS_TRACE_ENABLED ??= "false";
process.env.POWERTOOLS_DEV ??= "false";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { main } = await import("./benchmark/cli");
process.exit(await main(process.argv.slice(2)));

export {};
