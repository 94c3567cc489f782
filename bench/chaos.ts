/**
 * `npm run chaos -- [--seed S] [--employees N] [--json] [--runs K] [--workers W]`
 *
 * Random HR histories delivered with duplicates, retries and reordering,
 * Connect faults and dying workers; then one reconciliation and the
 * convergence check. Prints the seed and the figures; exits 1 when a run did
 * not converge. A failing seed is rerun with `--seed S`.
 */
// Powertools reads these when its modules load: quiet logs, no metrics or traces on stdout.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
process.env.POWERTOOLS_TRACE_ENABLED ??= "false";
process.env.POWERTOOLS_DEV ??= "false";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { main } = await import("./chaos/cli");
process.exit(await main(process.argv.slice(2)));

export {};
