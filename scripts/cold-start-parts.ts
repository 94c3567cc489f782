import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import {
  environment,
  FUNCTIONS,
  type FunctionName,
  importOnce,
  median,
  serverlessEsbuildOptions,
} from "../bench/benchmark/cold-start";
import { libraryFloors } from "../bench/benchmark/library-floors";
import { bundleSizes } from "./bundle-report";

/**
 * What each layer of a function's own code adds to its cold start: the
 * function's libraries alone (bench/benchmark/library-floors.ts), then the
 * same with its configuration loaded, then with the schemas its first
 * request parses, then the whole handler. Each is bundled as serverless.yml
 * bundles the functions and imported in fresh processes, interleaved; the
 * medians and the step between them are printed. Tracing off unless
 * `--traced` (the tracer is a library, measured by the bench). The layers
 * in docs/deploy.md ("Cold start") come from here.
 *
 *   tsx scripts/cold-start-parts.ts [function...] [--repeats N] [--traced]
 */

const ROOT = new URL("../", import.meta.url).pathname;

/** Each function's layers, each a module on top of the libraries (`@/`: the repository). */
const LAYERS: Record<string, [string, string][]> = {
  "sync-worker": [
    [
      "+ configuration",
      'import { loadWorkerConfig } from "@/src/runtime/config";\nexport const config = loadWorkerConfig();',
    ],
    [
      "+ the queue message's schemas",
      'export { queueMessageSchema } from "@/src/app/process-message";',
    ],
  ],
  "hr-webhook": [
    [
      "+ configuration",
      'import { loadWebhookConfig } from "@/src/runtime/webhook-config";\nexport const config = loadWebhookConfig();',
    ],
    ["+ the canonical source's schemas", 'export { canonicalSource } from "@/src/hr/canonical";'],
  ],
  reconcile: [
    [
      "+ configuration",
      'import { loadReconcileConfig } from "@/src/runtime/config";\nexport const config = loadReconcileConfig();',
    ],
  ],
};
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { traced: { type: "boolean", default: false }, repeats: { type: "string" } },
  });
  const traced = values.traced;
  const repeats = Number(values.repeats ?? 11);
  const names = positionals.length > 0 ? positionals : Object.keys(LAYERS);
  const env = { ...environment(), POWERTOOLS_TRACE_ENABLED: traced ? "true" : "false" };
  const floors = libraryFloors();
  const dir = await mkdtemp(join(tmpdir(), "cold-start-parts-"));
  // The entries sit in the repository (ignored by git) so that the plugins treat them as handlers.
  const entries = join(ROOT, ".esbuild", "parts");
  await mkdir(entries, { recursive: true });
  try {
    for (const name of names) {
      const floor = floors[name];
      const layers = LAYERS[name];
      if (!floor || !layers)
        throw new Error(`no layers for ${name}: ${Object.keys(LAYERS).join(", ")}`);
      // Each step keeps the layers before it; the last is the handler itself.
      let source = traced ? floor.withTracer : floor.withoutTracer;
      const steps: [string, string][] = [["libraries alone", source]];
      for (const [label, layer] of layers) {
        source = `${source}\n${layer}`;
        steps.push([label, source]);
      }
      steps.push([
        "the whole handler",
        `export { handler } from "@/${FUNCTIONS[name as FunctionName]}";`,
      ]);
      const files: string[] = [];
      for (const [index, [, contents]] of steps.entries()) {
        const entry = join(entries, `${name}-${index}.ts`);
        await writeFile(entry, contents.replaceAll('"@/', '"../../'));
        try {
          const outdir = join(dir, `${name}-${index}`);
          const { metafile } = await build({
            ...(await serverlessEsbuildOptions(outdir)),
            entryPoints: [entry],
            outdir,
            absWorkingDir: ROOT,
          });
          if (!metafile) throw new Error(`no metafile for ${name}`);
          const output = bundleSizes(metafile, entry.slice(ROOT.length)).entryOutput;
          files.push(join(ROOT, output ?? ""));
        } finally {
          await rm(entry, { force: true });
        }
      }
      const times: number[][] = steps.map(() => []);
      for (let i = 0; i < repeats; i++)
        for (const [index, file] of files.entries())
          times[index]?.push(await importOnce(file, env));
      console.log(`${name} (${traced ? "traced" : "tracing off"}, median of ${repeats})`);
      let previous: number | undefined;
      for (const [index, [label]] of steps.entries()) {
        const ms = median(times[index] ?? []);
        const step = previous === undefined ? "" : `  (+${(ms - previous).toFixed(1)} ms)`;
        console.log(`  ${label.padEnd(34)} ${ms.toFixed(1).padStart(6)} ms${step}`);
        previous = ms;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(entries, { recursive: true, force: true });
  }
}

await main();
