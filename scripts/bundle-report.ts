import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * After `serverless package`: each function's zipped size and bundle size,
 * its largest parts, and a check of what the bundle holds, read from the
 * esbuild metafile that scripts/stack/esbuild-plugins.cjs keeps in .esbuild/meta. A
 * bundle fails when what a cold start loads is over 1 MiB, or it holds the
 * AWS SDK twice (two copies of a package, or one package as both its ES
 * module and CommonJS build, or SDK v2 beside v3), a test or development
 * dependency, or test or local-only code. Exits 1 when any bundle fails.
 *
 *   tsx scripts/bundle-report.ts [packageDir=.serverless] [metaDir=.esbuild/meta]
 */

export interface Metafile {
  inputs: Record<string, { bytes: number; format?: "esm" | "cjs" }>;
  outputs: Record<
    string,
    {
      bytes: number;
      inputs: Record<string, { bytesInOutput: number }>;
      entryPoint?: string;
      imports?: { path: string; kind: string; external?: boolean }[];
    }
  >;
}

/** The most a cold start may parse (issue #20): the handler's file and the chunks it imports. */
export const BUNDLE_LIMIT_BYTES = 1_048_576;

export interface BundleSizes {
  /** The handler's file, every chunk it imports statically and those it loads while starting (LOADED_AT_START): what a cold start parses. */
  startupBytes: number;
  /** The chunks only `import()` loads, when first needed (a secret store's client, S3 rosters). */
  lazyBytes: number;
  /** The handler's file, as the metafile names it (undefined: the entry is not in the metafile). */
  entryOutput?: string;
}

const withoutExtension = (path: string) => path.replace(/\.[^./]+$/, "");

/**
 * Modules a function imports with `import()` while it starts, not when first
 * needed: their chunks count as startup. The tracer loads so when tracing is
 * on (src/runtime/tracing.ts), as deployed by default.
 */
export const LOADED_AT_START = ["src/runtime/powertools-tracing.ts"];

/** The JavaScript outputs one entry (`handlers/sync-worker`, any extension) was bundled into. */
function scriptsOf(meta: Metafile, entry: string) {
  const scripts = Object.entries(meta.outputs).filter(([path]) => /\.[cm]?js$/.test(path));
  const wanted = withoutExtension(entry);
  const main = scripts.find(([, { entryPoint }]) => {
    const from = entryPoint === undefined ? "" : withoutExtension(entryPoint);
    return from === wanted || from.endsWith(`/${wanted}`);
  });
  return { scripts, main: main?.[0] };
}

/**
 * What a cold start of the entry loads: its file, every chunk it imports statically and those
 * it loads while starting (LOADED_AT_START), as the metafile names them.
 */
export function startupOutputs(meta: Metafile, entry: string): Set<string> {
  const { scripts, main } = scriptsOf(meta, entry);
  const atStart = scripts
    .filter(
      ([, { entryPoint }]) => entryPoint !== undefined && LOADED_AT_START.includes(entryPoint),
    )
    .map(([path]) => path);
  const startup = new Set<string>();
  const pending = main ? [main, ...atStart] : [];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (startup.has(path)) continue;
    startup.add(path);
    for (const next of meta.outputs[path]?.imports ?? [])
      if (next.kind === "import-statement" && !next.external) pending.push(next.path);
  }
  return startup;
}

/** The sizes of the JavaScript one entry (`handlers/sync-worker`, any extension) was bundled into. */
export function bundleSizes(meta: Metafile, entry: string): BundleSizes {
  const { scripts, main } = scriptsOf(meta, entry);
  const startup = startupOutputs(meta, entry);
  let startupBytes = 0;
  let lazyBytes = 0;
  for (const [path, { bytes }] of scripts) {
    if (startup.has(path)) startupBytes += bytes;
    else lazyBytes += bytes;
  }
  return { startupBytes, lazyBytes, ...(main ? { entryOutput: main } : {}) };
}

/** A bundle's size problem, undefined when a cold start loads at most `limit` bytes. */
export function sizeProblem(
  name: string,
  sizes: BundleSizes,
  limit = BUNDLE_LIMIT_BYTES,
): string | undefined {
  if (sizes.startupBytes <= limit) return undefined;
  return `${name}: the bundle is ${sizes.startupBytes} bytes (${kib(sizes.startupBytes)}), over the 1 MiB limit of ${limit} bytes`;
}

/** Never in a Lambda bundle, besides every devDependency. */
export const TEST_DEPENDENCIES = [
  "vitest",
  "@vitest/*",
  "vite",
  "fast-check",
  "aws-sdk-client-mock",
  "aws-sdk-client-mock-vitest",
  "sinon",
  "dynalite",
  "fauxqs",
  "tsx",
  "osls",
  "serverless",
  "serverless-esbuild",
  "esbuild",
  "typescript",
  "@biomejs/*",
  // The IAM simulator of the stack tests and its AGPL parts: never shipped.
  "@cloud-copilot/*",
];

/** Packages of the AWS SDK for JavaScript: one copy of each, one build of each. */
const isSdk = (name: string) => /^@(aws-sdk|smithy|aws-crypto)\//.test(name) || name === "aws-sdk";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Application code that only tests and the local stack use. */
const LOCAL_ONLY = /^(test|src\/local|bench)\//;

/** The package an input belongs to, and the directory it was read from. */
export function packageOf(input: string): { name: string; dir: string } | undefined {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const [scope = "", name = ""] = input.slice(at + "node_modules/".length).split("/");
  const fullName = scope.startsWith("@") ? `${scope}/${name}` : scope;
  return { name: fullName, dir: input.slice(0, at + "node_modules/".length) + fullName };
}

const matches = (name: string, patterns: readonly string[]) =>
  patterns.some((p) => (p.endsWith("/*") ? name.startsWith(p.slice(0, -1)) : name === p));

/** What is wrong with one bundle; empty when nothing is. */
export function checkBundle(
  meta: Metafile,
  testDependencies: readonly string[] = TEST_DEPENDENCIES,
): string[] {
  const problems = new Set<string>();
  const dirs = new Map<string, Set<string>>();
  const formats = new Map<string, Set<string>>();
  for (const [input, { format }] of Object.entries(meta.inputs)) {
    const found = packageOf(input);
    if (!found) {
      if (LOCAL_ONLY.test(input)) problems.add(`test or local-only code: ${input}`);
      continue;
    }
    const { name, dir } = found;
    if (matches(name, testDependencies)) problems.add(`test or development dependency: ${name}`);
    if (!isSdk(name)) continue;
    dirs.set(name, (dirs.get(name) ?? new Set()).add(dir));
    if (format) formats.set(name, (formats.get(name) ?? new Set()).add(format));
  }
  for (const [name, from] of dirs) {
    if (from.size > 1) problems.add(`AWS SDK twice: ${name} from ${[...from].join(" and ")}`);
  }
  for (const [name, built] of formats) {
    if (built.size > 1) problems.add(`AWS SDK twice: ${name} as both ES module and CommonJS`);
  }
  const names = [...dirs.keys()];
  if (names.includes("aws-sdk") && names.some((n) => n !== "aws-sdk"))
    problems.add("AWS SDK twice: v2 (aws-sdk) beside v3");
  return [...problems];
}

/** The bundle's bytes by package (or app directory), largest first. */
export function largestParts(meta: Metafile, count = 3): { part: string; bytes: number }[] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const part = packageOf(input)?.name ?? input.split("/").slice(0, 2).join("/");
      sizes.set(part, (sizes.get(part) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes]
    .map(([part, bytes]) => ({ part, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

interface ServerlessState {
  service: { functions: Record<string, { handler: string }> };
}

/** Prints the report for a packaged service; answers whether every bundle passed. */
export function report(
  packageDir: string,
  metaDir: string,
  print: (line: string) => void = console.log,
): boolean {
  const state = JSON.parse(
    readFileSync(join(packageDir, "serverless-state.json"), "utf8"),
  ) as ServerlessState;
  const testDependencies = [...TEST_DEPENDENCIES, ...devDependencies()];
  let passed = true;
  print("function          zipped     bundle  lazy chunks  source map");
  for (const [name, { handler }] of Object.entries(state.service.functions).sort()) {
    const entry = join(dirname(handler), basename(handler).replace(/\.[^.]+$/, ""));
    const metaPath = join(metaDir, `${entry}-meta.json`);
    if (!existsSync(metaPath)) {
      print(`${name}: no esbuild metafile at ${metaPath} (custom.esbuild.plugins)`);
      passed = false;
      continue;
    }
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Metafile;
    const outputBytes = (suffix: string) =>
      Object.entries(meta.outputs)
        .filter(([path]) => path.endsWith(suffix))
        .reduce((sum, [, output]) => sum + output.bytes, 0);
    const zipped = statSync(join(packageDir, `${name}.zip`)).size;
    const sizes = bundleSizes(meta, entry);
    print(
      `${name.padEnd(16)} ${kib(zipped).padStart(8)} ${kib(sizes.startupBytes).padStart(10)} ${kib(sizes.lazyBytes).padStart(12)} ${kib(outputBytes(".map")).padStart(11)}`,
    );
    print(
      `  largest: ${largestParts(meta)
        .map(({ part, bytes }) => `${part} ${kib(bytes)}`)
        .join(", ")}`,
    );
    const tooBig = sizeProblem(name, sizes);
    const problems = [...(tooBig ? [tooBig] : []), ...checkBundle(meta, testDependencies)];
    for (const problem of problems) print(`  FAIL ${problem}`);
    passed &&= problems.length === 0;
  }
  print(passed ? "bundles: ok" : "bundles: FAILED");
  return passed;
}

function devDependencies(): string[] {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
    devDependencies?: Record<string, string>;
  };
  return Object.keys(manifest.devDependencies ?? {});
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [packageDir = ".serverless", metaDir = ".esbuild/meta"] = process.argv.slice(2);
  process.exitCode = report(packageDir, metaDir) ? 0 : 1;
}
