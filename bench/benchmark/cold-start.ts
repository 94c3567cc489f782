import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { parse } from "yaml";
import {
  BUNDLE_LIMIT_BYTES,
  type BundleSizes,
  bundleSizes,
  type Metafile,
} from "../../scripts/bundle-report";
import { SAMPLE_RULES_FILE } from "../../src/local/stack";
import { libraryFloors } from "./library-floors";

const { startupInOneChunk } = createRequire(import.meta.url)(
  "../../scripts/stack/startup-chunk.cjs",
) as { startupInOneChunk: (options: { treeshake: boolean }) => Plugin };

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

/** The functions of serverless.yml and their handler files. */
export const FUNCTIONS = {
  "sync-worker": "handlers/sync-worker.ts",
  "hr-webhook": "handlers/hr-webhook.ts",
  reconcile: "handlers/reconcile.ts",
  scim: "handlers/scim.ts",
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export interface ColdStart {
  /** What a cold start parses: the handler's file and the chunks it imports statically. */
  bundleBytes: number;
  /** Chunks loaded by `import()` only when first needed (not parsed at a cold start). */
  lazyBytes: number;
  /** Median milliseconds to import the bundle in a fresh process. */
  importMs: number;
  /** importMs divided by the bare Connect client's, as deployed (tracing on). */
  importRatio: number;
  /** The same with the `tracing` parameter false: the tracer and its X-Ray SDK not loaded. */
  importRatioWithoutTracing: number;
  /**
   * importMs divided by the bare client's bundled with all of serverless.yml's plugins, its
   * operation schemas tree-shaken as the functions' are (the bare client then keeps none).
   */
  importRatioOverTreeShakenClient: number;
  /** The same ratio for the function's libraries alone (library-floors.ts), with the tracer. */
  floorRatio?: number;
  /** ... and without the tracer. */
  floorRatioWithoutTracer?: number;
}

export interface ColdStartResult {
  functions: Record<FunctionName, ColdStart>;
  /** The bare client as the SDK ships it, the yardstick; and tree-shaken as the functions are. */
  baseline: { bundleBytes: number; importMs: number };
  treeShakenBaseline: { bundleBytes: number; importMs: number };
  /** The yardstick with its startup chunks joined (startup-in-one-chunk), nothing dropped. */
  joinedBaseline: { bundleBytes: number; importMs: number };
  repeats: number;
}

/** The most each function's import may take, as a multiple of the bare Connect client's (issue #20). */
export const IMPORT_RATIO_TARGETS: Partial<Record<FunctionName, number>> = {
  "sync-worker": 1.5,
  reconcile: 1.5,
  "hr-webhook": 1.3,
};

/** The cold-start rows of the report's Targets table: every bundle at most 1 MiB, the import ratios. */
export function coldStartTargets(
  functions: Partial<Record<FunctionName, ColdStart>>,
): Record<string, { target: string; value: number; holds: boolean }> {
  const out: Record<string, { target: string; value: number; holds: boolean }> = {};
  for (const [name, c] of Object.entries(functions) as [FunctionName, ColdStart][]) {
    out[`coldStart.${name}.bundleBytes`] = {
      target: `<= ${BUNDLE_LIMIT_BYTES}`,
      value: c.bundleBytes,
      holds: c.bundleBytes <= BUNDLE_LIMIT_BYTES,
    };
    const ratio = IMPORT_RATIO_TARGETS[name];
    if (ratio !== undefined)
      out[`coldStart.${name}.importRatio`] = {
        target: `<= ${ratio}`,
        value: c.importRatio,
        holds: c.importRatio <= ratio,
      };
  }
  return out;
}

/** serverless.yml's custom.esbuild, as esbuild options (its plugins too, writing into `serviceDir`). */
export async function serverlessEsbuildOptions(serviceDir = ROOT): Promise<BuildOptions> {
  const document = parse(await readFile(join(ROOT, "serverless.yml"), "utf8")) as {
    custom: { esbuild: Record<string, unknown> };
  };
  const options = document.custom.esbuild;
  const plugins = options.plugins
    ? (
        createRequire(import.meta.url)(join(ROOT, options.plugins as string)) as (sls: {
          serviceDir: string;
          service: { provider: { environment: Record<string, string | undefined> } };
        }) => Plugin[]
      )({
        serviceDir,
        // The rules file the functions name, as serverless.yml's SYNC_RULES_FILE does.
        service: { provider: { environment: { SYNC_RULES_FILE: environment().SYNC_RULES_FILE } } },
      })
    : [];
  return {
    bundle: options.bundle as boolean,
    minify: options.minify as boolean,
    target: options.target as string,
    platform: options.platform as BuildOptions["platform"],
    format: options.format as BuildOptions["format"],
    splitting: (options.splitting as boolean | undefined) ?? false,
    mainFields: options.mainFields as string[],
    banner: options.banner as Record<string, string>,
    outExtension: { ".js": (options.outputFileExtension as string) ?? ".js" },
    // The source map goes beside the bundle (`sourcemap: external`) and is not loaded at start.
    sourcemap: false,
    plugins,
    metafile: true,
    logLevel: "silent",
  };
}

/** Each function's environment, enough for its configuration to load at import. */
export function environment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "cold",
    AWS_SECRET_ACCESS_KEY: "cold",
    CONNECT_INSTANCE_ID: "00000000-0000-0000-0000-000000000000",
    EMPLOYEES_TABLE: "employees",
    AUDIT_TABLE: "audit",
    IDEMPOTENCY_TABLE: "idempotency",
    RECONCILE_RUNS_TABLE: "runs",
    SCIM_USERS_TABLE: "scim-users",
    QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/events.fifo",
    DLQ_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/events-dlq.fifo",
    SYNC_RULES_FILE: SAMPLE_RULES_FILE,
    LOCAL_MODE: "true",
    CANONICAL_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    SCIM_TOKEN: "cold-start-scim-token-0123456789abcdef",
    POWERTOOLS_SERVICE_NAME: "connect-hr-sync",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
    // As deployed (the `tracing` parameter's default): the tracer is loaded; outside Lambda it traces nothing.
    POWERTOOLS_TRACE_ENABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/**
 * The bare ConnectClient bundle's source: what every function's import is compared with. It is
 * bundled as the SDK ships it, without the plugins that would drop its operations' schemas (a
 * cut of ours, which would shrink the yardstick too: the bare client sends no command and keeps
 * none): the one that tree-shakes the clients' schemas, and the joining of the startup chunks,
 * whose tree-shaking drops them as well. Joined with nothing dropped (the joined-baseline below),
 * the bare client imports no faster (docs/deploy.md, "Cold start, After the fifth pass").
 */
export const YARDSTICK_LEAVES_OUT = ["sdk-schemas-tree-shakeable", "startup-in-one-chunk"];

export const BASELINE_SOURCE =
  'import { ConnectClient } from "@aws-sdk/client-connect";\nexport const client = new ConnectClient({});\n';

/** Imports the bundle once in a fresh Node process; answers the milliseconds the import took. */
export async function importOnce(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env,
    cwd: ROOT,
  });
  const ms = Number(stdout.trim().split("\n").at(-1));
  if (!Number.isFinite(ms)) throw new Error(`importing ${file} printed ${stdout}`);
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Each function bundled as `serverless package` bundles it, its size, and
 * how long a fresh process takes to import it (the handler's module scope
 * runs: clients built, configuration and rules loaded), against a bundle
 * holding nothing but a constructed ConnectClient, and beside the bundles of
 * the functions' libraries alone (library-floors.ts). Imports are
 * interleaved so that a busy machine slows every contender alike.
 */
export async function coldStartBenchmark(repeats = 7): Promise<ColdStartResult> {
  const dir = await mkdtemp(join(tmpdir(), "cold-start-"));
  try {
    const options = await serverlessEsbuildOptions(dir);
    const files: Record<string, string> = {};
    const sizes: Record<string, BundleSizes> = {};
    // Each into its own folder, as serverless-esbuild does: the handler's file beside its chunks.
    const bundle = async (name: string, entry: string, input: BuildOptions) => {
      const outdir = join(dir, name);
      const { metafile } = await build({ ...options, ...input, outdir, absWorkingDir: ROOT });
      const found = bundleSizes(metafile as Metafile, entry);
      if (!found.entryOutput) throw new Error(`no output for ${entry} in the metafile`);
      files[name] = join(ROOT, found.entryOutput);
      sizes[name] = found;
    };
    for (const [name, entry] of Object.entries(FUNCTIONS))
      await bundle(name, entry, { entryPoints: [join(ROOT, entry)] });
    const fromSource = (name: string, contents: string, input: BuildOptions = {}) =>
      bundle(name, "<stdin>", { stdin: { contents, resolveDir: ROOT, loader: "js" }, ...input });
    const yardstickPlugins =
      options.plugins?.filter((plugin) => !YARDSTICK_LEAVES_OUT.includes(plugin.name)) ?? [];
    await fromSource("baseline", BASELINE_SOURCE, { plugins: yardstickPlugins });
    // The yardstick's startup chunks joined as the functions' are, nothing dropped.
    await fromSource("joined-baseline", BASELINE_SOURCE, {
      plugins: [startupInOneChunk({ treeshake: false }), ...yardstickPlugins],
    });
    await fromSource("tree-shaken-baseline", BASELINE_SOURCE);
    const floors = libraryFloors();
    for (const [name, floor] of Object.entries(floors)) {
      await fromSource(`floor:${name}`, floor.withTracer);
      await fromSource(`floor-without-tracer:${name}`, floor.withoutTracer);
    }

    // Each function once more as deployed with `tracing: false`: the same bundle, the tracer not loaded.
    const untraced = { ...environment(), POWERTOOLS_TRACE_ENABLED: "false" };
    const contenders = [
      ...Object.entries(files).map(([name, file]) => ({ name, file, env: environment() })),
      ...Object.keys(FUNCTIONS).map((name) => ({
        name: `untraced:${name}`,
        file: files[name] ?? "",
        env: untraced,
      })),
    ];
    const times: Record<string, number[]> = {};
    for (let i = 0; i < repeats; i++) {
      for (const { name, file, env } of contenders) {
        const ms = await importOnce(file, env);
        times[name] = [...(times[name] ?? []), ms];
      }
    }
    const baselineMs = median(times.baseline ?? []);
    const treeShakenMs = median(times["tree-shaken-baseline"] ?? []);
    const joinedMs = median(times["joined-baseline"] ?? []);
    const functions = {} as Record<FunctionName, ColdStart>;
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const importMs = median(times[name] ?? []);
      const { startupBytes, lazyBytes } = sizes[name] as BundleSizes;
      const ratioOf = (contender: string) =>
        times[contender] ? median(times[contender]) / baselineMs : undefined;
      functions[name] = {
        bundleBytes: startupBytes,
        lazyBytes,
        importMs,
        importRatio: importMs / baselineMs,
        importRatioOverTreeShakenClient: importMs / treeShakenMs,
        importRatioWithoutTracing: ratioOf(`untraced:${name}`) ?? Number.NaN,
        ...(floors[name]
          ? {
              floorRatio: ratioOf(`floor:${name}`),
              floorRatioWithoutTracer: ratioOf(`floor-without-tracer:${name}`),
            }
          : {}),
      };
    }
    return {
      functions,
      baseline: { bundleBytes: sizes.baseline?.startupBytes ?? 0, importMs: baselineMs },
      treeShakenBaseline: {
        bundleBytes: sizes["tree-shaken-baseline"]?.startupBytes ?? 0,
        importMs: treeShakenMs,
      },
      joinedBaseline: {
        bundleBytes: sizes["joined-baseline"]?.startupBytes ?? 0,
        importMs: joinedMs,
      },
      repeats,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
