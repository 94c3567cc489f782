import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import {
  BASELINE_SOURCE,
  environment,
  FUNCTIONS,
  serverlessEsbuildOptions,
} from "../bench/benchmark/cold-start";
import { bundleSizes, packageOf, startupOutputs } from "./bundle-report";

/**
 * Where a function's cold start goes: the bytes it loads by package (esbuild
 * metafile) and the milliseconds of one import in a fresh process by package
 * (`node --cpu-prof`, self time mapped back through each file's source map). Parsing
 * the bundle shows up as "compile"; module-scope work under its package.
 * The numbers in docs/deploy.md ("Cold start") come from here.
 *
 *   tsx scripts/cold-start-profile.ts [function...] [--top N]
 */

const ROOT = new URL("../", import.meta.url).pathname;
const run = promisify(execFile);

interface Profile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** The package an input belongs to, or its app directory (src/connect, handlers, ...). */
function partOf(input: string): string {
  return packageOf(input)?.name ?? input.split("/").slice(0, 2).join("/");
}

/** The bytes of what a cold start loads (the handler's file and its startup chunks), by part. */
function bytesByPart(meta: Metafile, startup: Set<string>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [path, output] of Object.entries(meta.outputs)) {
    if (!startup.has(path)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      sizes.set(partOf(input), (sizes.get(partOf(input)) ?? 0) + bytesInOutput);
  }
  return sizes;
}

/** Self time by part; `maps` holds the source map of each of the bundle's files, by URL. */
function millisecondsByPart(profile: Profile, maps: Map<string, SourceMap>) {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const parts = new Map<string, number>();
  for (const { id, callFrame } of profile.nodes) {
    const ms = self.get(id);
    if (!ms) continue;
    let part: string;
    if (callFrame.functionName === "compileSourceTextModule") part = "compile (parse the bundle)";
    else if (maps.has(callFrame.url)) {
      const source = maps
        .get(callFrame.url)
        ?.findEntry(callFrame.lineNumber, callFrame.columnNumber);
      const file = source && "originalSource" in source ? source.originalSource : "";
      part = file ? partOf(file.replace(/^.*?\/(node_modules|src|handlers)\//, "$1/")) : "bundle";
    } else if (callFrame.url.startsWith("node:")) part = "node (built-in modules, loader)";
    else part = callFrame.functionName || "(vm)";
    parts.set(part, (parts.get(part) ?? 0) + ms);
  }
  return parts;
}

const top = (sizes: Map<string, number>, count: number) =>
  [...sizes].sort((a, b) => b[1] - a[1]).slice(0, count);

async function profileOne(dir: string, name: string, entry: string | undefined, count: number) {
  const options = await serverlessEsbuildOptions();
  // As shipped: split (lazy chunks beside the handler); the baseline, read from stdin, cannot split.
  const outdir = join(dir, name);
  const result = await build({
    ...options,
    ...(entry
      ? { entryPoints: [join(ROOT, entry)] }
      : {
          stdin: { contents: BASELINE_SOURCE, resolveDir: ROOT, loader: "js" },
          splitting: false,
        }),
    ...(entry ? { outdir } : { outfile: join(outdir, `${name}.mjs`) }),
    sourcemap: "external",
    metafile: true,
  });
  const entryOutput = entry
    ? bundleSizes(result.metafile, entry).entryOutput
    : Object.keys(result.metafile.outputs).find((path) => path.endsWith(".mjs"));
  if (!entryOutput) throw new Error(`no entry output for ${name}`);
  const outfile = resolve(ROOT, entryOutput);
  const profDir = join(dir, `${name}-profile`);
  const url = pathToFileURL(outfile).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const timed = await run(
    process.execPath,
    [
      "--cpu-prof",
      "--cpu-prof-interval",
      "100",
      "--cpu-prof-dir",
      profDir,
      "--input-type=module",
      "-e",
      script,
    ],
    { env: environment(), cwd: ROOT },
  );
  const [profileFile] = await readdir(profDir);
  const profile = JSON.parse(await readFile(join(profDir, profileFile as string), "utf8"));
  const startup = entry ? startupOutputs(result.metafile, entry) : new Set([entryOutput]);
  // Each file's map, where it has one (a chunk without mappings has none).
  const maps = new Map<string, SourceMap>();
  for (const path of Object.keys(result.metafile.outputs).filter((p) => p.endsWith(".mjs.map")))
    maps.set(
      pathToFileURL(resolve(ROOT, path.slice(0, -".map".length))).href,
      new SourceMap(JSON.parse(await readFile(resolve(ROOT, path), "utf8"))),
    );
  const bytes = bytesByPart(result.metafile, startup);
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  const ms = millisecondsByPart(profile, maps);
  console.log(
    `\n${name}: ${total} bytes (${(total / 1024).toFixed(0)} KiB), import ${Number(timed.stdout.trim()).toFixed(0)} ms`,
  );
  console.log(
    "  bytes:",
    top(bytes, count)
      .map(([p, b]) => `${p} ${(b / 1024).toFixed(0)} KiB`)
      .join(", "),
  );
  console.log(
    "  self ms:",
    top(ms, count)
      .map(([p, t]) => `${p} ${t.toFixed(1)}`)
      .join(", "),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--top");
  const count = at >= 0 ? Number(args.splice(at, 2)[1]) : 8;
  const names = args.length > 0 ? args : [...Object.keys(FUNCTIONS), "baseline"];
  const dir = await mkdtemp(join(tmpdir(), "cold-profile-"));
  try {
    for (const name of names)
      await profileOne(dir, name, (FUNCTIONS as Record<string, string>)[name], count);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
