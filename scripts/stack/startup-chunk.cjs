"use strict";

const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const {
  basename,
  dirname,
  extname,
  isAbsolute,
  join,
  posix,
  relative,
  resolve,
  sep,
} = require("node:path");

/**
 * startup-in-one-chunk: with `splitting`, esbuild puts the code a function's
 * handler shares with each set of its lazily imported chunks (a secret
 * store's client, the SDK's credential providers, the tracer) into chunks
 * of their own: 13 to 15 files, each imported statically and so loaded at
 * every cold start, a module that Node resolves, reads, compiles and links
 * by itself, with hundreds of bindings imported between them. After each
 * build, this plugin joins the chunks a cold start loads into one,
 * `<handler>.chunks/startup.mjs`, with Rolldown. The handler's own file
 * stays as it is, and the lazily imported chunks stay lazy, importing the
 * startup chunk instead of its parts. Joined, the functions' imports take 3
 * to 6 ms less (docs/deploy.md, "Cold start, After the fifth pass").
 *
 * Rolldown prints the code again, without compressing or mangling it: top-
 * level names that collide between chunks are renamed, strings are printed
 * between backquotes, constants imported between chunks are inlined, and
 * its tree-shaking drops what nothing uses (next to nothing is left after
 * esbuild's and sdk-schemas-tree-shakeable's: the unused `require` of each
 * chunk's banner, and esbuild's chunk for `bowser`, which nothing imports).
 * Every file is taken to have side effects, whatever a package.json near
 * the build folder says (the service's names one module only), so that no
 * chunk imported for its side effects alone is dropped.
 *
 * Source maps are carried through: each new map leads back to the
 * original sources through esbuild's. The kept metafile (keep-metafile)
 * describes the files as written (their bytes, imports and exports), so
 * that the bundle report measures what ships; each output's inputs are those
 * of the esbuild chunks it holds, at esbuild's sizes.
 *
 * A module with top-level await must stay in the handler's file (as
 * src/runtime/tracing.ts does): joined into the startup chunk, it could wait
 * for a lazy chunk that imports the startup chunk, which would never finish
 * loading. Such a build fails.
 */
const NAME = "startup-in-one-chunk";
const STARTUP = "startup";

/** No compression, no mangling: the code printed again, without whitespace as esbuild left it. */
const PRINTED_AGAIN = { compress: false, mangle: false, codegen: { removeWhitespace: true } };

const posixPath = (path) => path.split(sep).join(posix.sep);
/** A file as esbuild's metafile names it: relative to the build's working directory. */
const metafilePath = (cwd, file) => posixPath(relative(cwd, file));

/** esbuild's `sourcemap` as Rolldown's: none, or `external` (a map file, no comment naming it). */
function rolldownSourcemap(esbuildSourcemap) {
  if (!esbuildSourcemap) return false;
  if (esbuildSourcemap === "external") return "hidden";
  throw new Error(`${NAME}: sourcemap "${esbuildSourcemap}" is not supported, only "external"`);
}

/** The outputs `entryOutput` imports statically, directly or through each other. */
function staticImports(outputs, entryOutput) {
  const found = new Set();
  const pending = [entryOutput];
  for (let path = pending.pop(); path !== undefined; path = pending.pop())
    for (const next of outputs[path]?.imports ?? [])
      if (next.kind === "import-statement" && !next.external && !found.has(next.path)) {
        found.add(next.path);
        pending.push(next.path);
      }
  return found;
}

/** Whether a program awaits outside any function (top-level await). */
function awaitsAtTopLevel(program) {
  // Iterative: a minified expression can nest deeper than the call stack allows.
  const pending = [program];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (/Function/.test(node.type ?? "")) continue;
    if (node.type === "AwaitExpression" || (node.type === "ForOfStatement" && node.await))
      return true;
    pending.push(...Object.values(node));
  }
  return false;
}

/** The handler's own output in the metafile: its single entry point, or stdin's. */
function entryOutputOf(build, outputs, cwd) {
  const { entryPoints, stdin } = build.initialOptions;
  const entries = Array.isArray(entryPoints) ? entryPoints : [];
  if (entries.length > 1 || (entries.length === 0 && !stdin)) return undefined;
  const [entry] = entries;
  const file = typeof entry === "string" ? entry : entry?.in;
  const wanted = file === undefined ? "<stdin>" : metafilePath(cwd, resolve(cwd, file));
  return Object.keys(outputs).find((path) => outputs[path].entryPoint === wanted);
}

/** Each Rolldown chunk described as esbuild describes an output, from the esbuild outputs it holds. */
function describe(chunk, fileOf, outputs, cwd) {
  const parts = chunk.moduleIds.map((id) => outputs[metafilePath(cwd, id)]).filter(Boolean);
  const inputs = {};
  for (const part of parts)
    for (const [input, { bytesInOutput }] of Object.entries(part.inputs))
      inputs[input] = { bytesInOutput: (inputs[input]?.bytesInOutput ?? 0) + bytesInOutput };
  const link = (kind) => (target) =>
    fileOf.has(target)
      ? { path: fileOf.get(target), kind }
      : { path: target, kind, external: true };
  // Requires of externals (`node:` modules) as esbuild recorded them.
  const required = parts.flatMap((part) =>
    (part.imports ?? []).filter((i) => i.external && i.kind === "require-call"),
  );
  const facade = chunk.facadeModuleId && outputs[metafilePath(cwd, chunk.facadeModuleId)];
  return {
    bytes: Buffer.byteLength(chunk.code),
    inputs,
    imports: [
      ...chunk.imports.map(link("import-statement")),
      ...chunk.dynamicImports.map(link("dynamic-import")),
      ...required,
    ],
    exports: chunk.exports,
    ...(facade?.entryPoint ? { entryPoint: facade.entryPoint } : {}),
  };
}

/** The files of a Rolldown build, in memory; the build closed whatever happens. */
async function generatedThenClosed(bundle, options) {
  try {
    return (await bundle.generate(options)).output;
  } finally {
    await bundle.close();
  }
}

/**
 * `treeshake: false` keeps every statement too (and Rolldown's runtime helpers, in a chunk of
 * their own): the benchmark joins the bare client's chunks so, to show what joining alone does.
 */
function startupInOneChunk({ treeshake = true } = {}) {
  return {
    name: NAME,
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0 || !result.metafile || build.initialOptions.write === false)
          return;
        const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
        const outputs = result.metafile.outputs;
        const entryOutput = entryOutputOf(build, outputs, cwd);
        if (!entryOutput) return;
        const startup = staticImports(outputs, entryOutput);
        if (startup.size < 2) return;

        const { rolldown } = await import("rolldown");
        const { parseAst } = await import("rolldown/parseAst");
        const awaiting = [...startup].filter((path) =>
          awaitsAtTopLevel(parseAst(readFileSync(resolve(cwd, path), "utf8"))),
        );
        if (awaiting.length > 0)
          return {
            errors: awaiting.map((path) => ({
              text: `${NAME}: the chunk of ${Object.keys(outputs[path].inputs).join(", ")} awaits at its top level; keep top-level await in modules only the handler imports`,
            })),
          };
        const atStartup = new Set([...startup].map((path) => resolve(cwd, path)));

        const outdir = dirname(resolve(cwd, entryOutput));
        const chunksDir = posixPath(relative(outdir, dirname(resolve(cwd, [...startup][0]))));
        const warnings = [];
        const bundle = await rolldown({
          input: resolve(cwd, entryOutput),
          platform: "node",
          treeshake,
          // What esbuild left outside its outputs (`node:` modules) stays outside.
          external: (id) => !id.startsWith(".") && !isAbsolute(id),
          onLog: (level, log) => {
            if (level === "warn") warnings.push({ text: `${NAME}: ${log.message}` });
          },
          plugins: [
            {
              name: "esbuild-outputs",
              load(id) {
                if (!isAbsolute(id)) return null; // Rolldown's own modules
                const map = `${id}.map`;
                return {
                  code: readFileSync(id, "utf8"),
                  ...(existsSync(map) ? { map: readFileSync(map, "utf8") } : {}),
                  moduleSideEffects: true,
                };
              },
            },
          ],
        });
        const output = await generatedThenClosed(bundle, {
          // Where the files go, so that each map names its sources from there.
          dir: outdir,
          format: "esm",
          minify: PRINTED_AGAIN,
          sourcemap: rolldownSourcemap(build.initialOptions.sourcemap),
          entryFileNames: basename(entryOutput),
          chunkFileNames: posix.join(chunksDir, `[name]${extname(entryOutput)}`),
          codeSplitting: { groups: [{ name: STARTUP, test: (id) => atStartup.has(id) }] },
        });

        // esbuild's JavaScript and maps give way to Rolldown's.
        for (const path of Object.keys(outputs)) rmSync(resolve(cwd, path), { force: true });
        const fileOf = new Map(
          output.map((file) => [file.fileName, metafilePath(cwd, join(outdir, file.fileName))]),
        );
        const described = {};
        for (const file of output) {
          const at = join(outdir, file.fileName);
          mkdirSync(dirname(at), { recursive: true });
          const contents = file.type === "chunk" ? file.code : file.source;
          writeFileSync(at, contents);
          described[fileOf.get(file.fileName)] =
            file.type === "chunk"
              ? describe(file, fileOf, outputs, cwd)
              : { bytes: Buffer.byteLength(contents), inputs: {}, imports: [], exports: [] };
        }
        result.metafile.outputs = described;
        return { warnings };
      });
    },
  };
}

module.exports = { startupInOneChunk };
