"use strict";

const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, dirname, join, normalize, relative, resolve, sep } = require("node:path");

/**
 * esbuild plugins for serverless-esbuild (`custom.esbuild.plugins`).
 *
 * keep-metafile: each bundle's esbuild metafile (every input, its size and
 * module format) is written to .esbuild/meta/<entry>-meta.json, where
 * scripts/bundle-report.ts reads it after `serverless package`. It lives
 * outside serverless-esbuild's work folder, which is removed after every
 * packaging, so that no file of an earlier build can reach a zip. Only the
 * function's own entry gets one: with `splitting`, each lazily imported
 * chunk is an entry point of the metafile too.
 *
 * chunks-of-their-handler: with `splitting`, each function's chunks go to
 * <handler>.chunks/ beside its handler (handlers/sync-worker.chunks/...).
 * serverless-esbuild builds every function into one folder and zips all of
 * it for each, except what starts with another function's handler name and
 * a dot (as it leaves out handlers/reconcile.mjs.map): so no zip carries
 * another function's chunks.
 *
 * connect-model-without-docs: the Connect model extract
 * (src/connect/model/connect-user-ops.json) goes into a bundle without its
 * documentation strings, which only people read (31 of its 81 KiB).
 *
 * files-ahead-of-time: the files a function reads its settings from at
 * start (the rules file its SYNC_RULES_FILE names, the rosters file of
 * ROSTERS_FILE) are parsed and checked while bundling, with the service's own
 * parsers, and the bundle carries the result in place of the module that
 * would read them (src/runtime/rules-file.ts, rosters-file.ts): a cold start
 * neither loads the YAML parser and the files' schemas nor parses the files
 * (about 20 ms), and a broken file fails `serverless package` with its field
 * and line. A function whose variable names another file than the one
 * bundled refuses to start.
 */
const META_DIR = join(".esbuild", "meta");

function keepMetafile(serviceDir) {
  return {
    name: "keep-metafile",
    setup(build) {
      build.initialOptions.metafile = true;
      const entries = new Set((build.initialOptions.entryPoints ?? []).map((e) => normalize(e)));
      build.onEnd((result) => {
        if (!result.metafile) return;
        for (const output of Object.values(result.metafile.outputs)) {
          if (!output.entryPoint || !entries.has(normalize(output.entryPoint))) continue;
          const entry = output.entryPoint.replace(/\.[^./]+$/, "");
          const file = join(serviceDir, META_DIR, `${entry}-meta.json`);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, JSON.stringify(result.metafile));
        }
      });
    },
  };
}

function chunksOfTheirHandler() {
  return {
    name: "chunks-of-their-handler",
    setup(build) {
      const [entry, ...others] = build.initialOptions.entryPoints ?? [];
      if (typeof entry !== "string" || others.length > 0) return;
      const handler = basename(entry).replace(/\.[^.]+$/, "");
      build.initialOptions.chunkNames = `${handler}.chunks/[name]-[hash]`;
    },
  };
}

function connectModelWithoutDocs() {
  return {
    name: "connect-model-without-docs",
    setup(build) {
      build.onLoad({ filter: /[\\/]connect-user-ops\.json$/ }, (args) => {
        const model = JSON.parse(readFileSync(args.path, "utf8"));
        const contents = JSON.stringify(model, (key, value) => (key === "doc" ? undefined : value));
        return { contents, loader: "json" };
      });
    },
  };
}

/** The files read at start: the variable naming each, the module reading it, its parser. */
const AHEAD_OF_TIME = [
  {
    variable: "SYNC_RULES_FILE",
    module: /[\\/]src[\\/]runtime[\\/]rules-file\.ts$/,
    reader: "loadRulesFile",
    parser: ["src/domain/rules.ts", "parseSyncRules"],
  },
  {
    variable: "ROSTERS_FILE",
    module: /[\\/]src[\\/]runtime[\\/]rosters-file\.ts$/,
    reader: "readRostersFile",
    parser: ["src/domain/roster-settings.ts", "parseRostersFile"],
  },
];

/** The function's variable (its own environment first, then the provider's), by its handler file. */
function variableOf(service, handlerFile, variable) {
  const fn = Object.values(service.functions ?? {}).find(
    (f) => typeof f?.handler === "string" && f.handler.replace(/\.[^./\\]+$/, "") === handlerFile,
  );
  return fn?.environment?.[variable] ?? service.provider?.environment?.[variable];
}

/** One of the service's parsers (TypeScript), bundled to CommonJS and loaded here. */
async function loadParser(esbuild, [file, name]) {
  const dir = mkdtempSync(join(tmpdir(), "settings-parser-"));
  try {
    const outfile = join(dir, "parser.cjs");
    await esbuild.build({
      entryPoints: [join(__dirname, "../..", file)],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile,
      logLevel: "silent",
    });
    return require(outfile)[name];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reader's module, bundled: the parsed file it answers, and nothing for any other path. */
function readerSource(reader, variable, file, parsed) {
  return [
    'import { ConfigError } from "./env-settings";',
    `const bundled = ${JSON.stringify({ file, parsed })};`,
    `export function ${reader}(path) {`,
    "  if (path !== bundled.file)",
    `    throw new ConfigError(\`${variable} is \${path}, but this bundle carries \${bundled.file ?? "no file"}: package the function again\`);`,
    "  return bundled.parsed;",
    "}",
  ].join("\n");
}

function filesAheadOfTime(serverless) {
  const serviceDir = serverless.serviceDir ?? process.cwd();
  return {
    name: "files-ahead-of-time",
    setup(build) {
      const [entry] = build.initialOptions.entryPoints ?? [];
      if (typeof entry !== "string" || !serverless.service) return;
      // serverless.yml names a handler by its file relative to the service, without extension.
      const at = resolve(build.initialOptions.absWorkingDir ?? process.cwd(), entry);
      const handlerFile = relative(serviceDir, at)
        .replace(/\.[^./\\]+$/, "")
        .split(sep)
        .join("/");
      for (const { variable, module, reader, parser } of AHEAD_OF_TIME) {
        const file = variableOf(serverless.service, handlerFile, variable) || undefined;
        build.onLoad({ filter: module }, async (args) => {
          let parsed = null;
          if (file) {
            try {
              const parse = await loadParser(build.esbuild, parser);
              parsed = parse(readFileSync(resolve(serviceDir, file), "utf8"), file);
            } catch (error) {
              return { errors: [{ text: error instanceof Error ? error.message : String(error) }] };
            }
          }
          return {
            contents: readerSource(reader, variable, file, parsed),
            loader: "js",
            resolveDir: dirname(args.path),
            watchFiles: file ? [resolve(serviceDir, file)] : [],
          };
        });
      }
    },
  };
}

module.exports = (serverless) => [
  keepMetafile(serverless.serviceDir ?? process.cwd()),
  chunksOfTheirHandler(),
  connectModelWithoutDocs(),
  filesAheadOfTime(serverless),
];
