import type { BenchReport } from "./bench-report";
import type { ColdStart, FunctionName } from "./cold-start";
import { f2, kib } from "./format";

/** BENCHMARKS.md's cold-start section: how it was measured, and a row per function. */
export function coldStartSection(
  functions: Partial<Record<FunctionName, ColdStart>>,
  ref: NonNullable<BenchReport["coldStartReference"]>,
): string[] {
  return [
    "## 5. Cold start",
    "",
    "Each function bundled with serverless.yml's `custom.esbuild` options (bundle, minify, ESM, node22,",
    "platform node, the createRequire banner, its plugins, `splitting`; the external source map left",
    "out), then",
    `imported in a fresh Node process ${ref.repeats} times, median, interleaved with a bundle holding nothing`,
    `but a constructed \`ConnectClient\` as the SDK ships it (${kib(ref.bundleBytes)}, ${ref.importMs.toFixed(0)} ms). The import runs the`,
    "handler's module scope: configuration parsed (the rules are bundled at packaging), clients built. `bundleBytes` is what",
    "the import parses (the handler's file and the chunks it imports); lazy chunks load on first use.",
    "`importRatio` is as deployed, tracing on; `importRatioWithoutTracing` the same bundle with the",
    "`tracing` parameter false (the tracer and its X-Ray SDK not loaded). The functions' bundles keep only",
    "the SDK operation schemas of the commands they send (the `sdk-schemas-tree-shakeable` plugin); the",
    "yardstick is bundled without that plugin, as the issue measured it, and without",
    "`startup-in-one-chunk`, which joins the chunks a cold start loads into one file and whose",
    "tree-shaking would drop the schemas as well.",
    ...(ref.joined
      ? [
          `Joined with nothing dropped (Rolldown's tree-shaking off, its runtime helpers kept), the bare client takes ${ref.joined.importMs.toFixed(0)} ms (${kib(ref.joined.bundleBytes)}).`,
        ]
      : []),
    "Bundled with every plugin (its startup chunks joined too), the bare client",
    `keeps no schema (${kib(ref.treeShaken.bundleBytes)}, ${ref.treeShaken.importMs.toFixed(0)} ms): \`importRatioOverTreeShakenClient\` is each import over that one.`,
    "`floorRatio` is the ratio of",
    "a bundle of the function's libraries alone, constructed, without the service's code, bundled as the functions are",
    "(bench/benchmark/library-floors.ts), with Powertools' tracer and without it: what no change to our",
    "code can go below.",
    "",
    "| function | `bundleBytes` | lazy chunks | import | `importRatio` | without tracing | over the tree-shaken client | `floorRatio` | floor without the tracer |",
    "|---|---|---|---|---|---|---|---|---|",
    ...Object.entries(functions).map(
      ([name, c]) =>
        `| ${name} | ${c.bundleBytes} (${kib(c.bundleBytes)}) | ${kib(c.lazyBytes)} | ${c.importMs.toFixed(0)} ms | **${f2(c.importRatio)}** | ${f2(c.importRatioWithoutTracing)} | ${f2(c.importRatioOverTreeShakenClient)} | ${c.floorRatio === undefined ? "" : f2(c.floorRatio)} | ${c.floorRatioWithoutTracer === undefined ? "" : f2(c.floorRatioWithoutTracer)} |`,
    ),
    "",
  ];
}

/** ", libraries alone 1.52 (1.23 without the tracer)" where the function's floor was measured. */
export function floorText(c: ColdStart): string {
  if (c.floorRatio === undefined || c.floorRatioWithoutTracer === undefined) return "";
  return `, libraries alone ${f2(c.floorRatio)} (${f2(c.floorRatioWithoutTracer)} without the tracer)`;
}
