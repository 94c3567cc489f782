"use strict";

const { mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const { basename, dirname, join, normalize, posix, relative, resolve, sep } = require("node:path");
const { require: tsxRequire } = require("tsx/cjs/api");
const { startupInOneChunk } = require("./startup-chunk.cjs");

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
 * sdk-schemas-tree-shakeable: an AWS SDK client describes every operation
 * of its service in one module (dist-es/schemas/schemas_0.js), with keys
 * such as `{ [_h]: ["POST", "/users/{InstanceId}", 200] }`, `_h` a string
 * constant of the same module. esbuild cannot tell a computed key from one
 * with side effects, so it keeps every schema, used or not: 182 KiB of the
 * Connect client's 195. Each such key is written as the string it names
 * (`{ "http": [...] }`, the same object), so a bundle keeps only the
 * schemas of the commands it sends.
 *
 * required-when-used: a CommonJS module that a dependency requires at its
 * top but uses only from functions the service never calls is loaded when
 * first used, not at every cold start. The X-Ray SDK requires semver (the
 * whole package, whose ranges and regular expressions are built as it loads:
 * about 4 ms) for one version check in its AWS SDK v2 patcher (`captureAWS`),
 * and the centralized sampling of servers (pollers, a client of the X-Ray
 * API), which it replaces with local sampling as it starts on Lambda; the
 * Tracer patches SDK v3 clients, which needs neither. Each such require gets
 * a stand-in object that loads the module on its first use and forwards
 * every use to it (so the module's export must be a plain object, not a
 * function or class); the module stays in the bundle. A build that loads an
 * importer listed here but never sees its require (a new version of the SDK
 * moved it) fails, rather than quietly bundle the module eagerly again.
 *
 * startup-in-one-chunk (startup-chunk.cjs): the chunks a cold start loads
 * are joined into one, after each build; it runs before keep-metafile, so
 * that the kept metafile describes the files as written.
 *
 * files-ahead-of-time: the files a function reads its settings from at
 * start (the rules file its SYNC_RULES_FILE names, the rosters file of
 * ROSTERS_FILE) are parsed and checked while bundling, with the service's own
 * parsers, and the bundle carries the result in place of the module that
 * would read them (src/runtime/rules-file.ts, rosters-file.ts): a cold start
 * neither loads the YAML parser and the files' schemas nor parses the files
 * (about 20 ms), and a broken file fails `serverless package` with its field
 * and line. A function whose variable names another file than the one
 * bundled refuses to start. An entry that is no function's handler stops the
 * packaging rather than bundle a function that could not start.
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

/**
 * The files read at start: the variable naming each, the module reading it,
 * its parser, and the file a function reads when the variable is unset
 * (src/runtime/config.ts's default; none: no file).
 */
const AHEAD_OF_TIME = [
  {
    variable: "SYNC_RULES_FILE",
    module: /[\\/]src[\\/]runtime[\\/]rules-file\.ts$/,
    reader: "loadRulesFile",
    parser: ["src/domain/rules.ts", "parseSyncRules"],
    fallback: "config/sync-rules.yaml",
  },
  {
    variable: "ROSTERS_FILE",
    module: /[\\/]src[\\/]runtime[\\/]rosters-file\.ts$/,
    reader: "readRostersFile",
    parser: ["src/domain/roster-settings.ts", "parseRostersFile"],
  },
];

const withoutExtension = (path) => posix.normalize(path).replace(/\.[^./]+$/, "");

/** The function whose handler is this file (`handlers/sync-worker`), if any. */
function functionOf(service, handlerFile) {
  return Object.values(service.functions ?? {}).find(
    (f) => typeof f?.handler === "string" && withoutExtension(f.handler) === handlerFile,
  );
}

/** One of the service's parsers (TypeScript), loaded through tsx as the other stack plugins do. */
function parserOf([file, name]) {
  return tsxRequire(join(__dirname, "../..", file), __filename)[name];
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

const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

function sdkSchemasTreeShakeable() {
  return {
    name: "sdk-schemas-tree-shakeable",
    setup(build) {
      build.onLoad({ filter: SDK_SCHEMAS }, (args) => {
        const source = readFileSync(args.path, "utf8");
        const strings = new Map();
        for (const [, name, literal] of source.matchAll(
          /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm,
        ))
          strings.set(name, literal);
        // A key naming anything but one of these constants stays computed (and its schema kept).
        const contents = source.replace(/\[(_\w+)\]:/g, (key, name) => {
          const literal = strings.get(name);
          return literal === undefined ? key : `${literal}:`;
        });
        return { contents, loader: "js" };
      });
    },
  };
}

/** Modules that `importer` requires at its top and uses only in a function. */
const REQUIRED_WHEN_USED = [
  {
    importer: /[\\/]aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]patchers[\\/]aws_p\.js$/,
    module: "semver",
  },
  {
    importer: /[\\/]aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]middleware[\\/]mw_utils\.js$/,
    module: "./sampling/default_sampler",
  },
];
/** What an object's user can do with it: each is forwarded to the module once loaded. */
const FORWARDED = [
  "get",
  "set",
  "has",
  "ownKeys",
  "getOwnPropertyDescriptor",
  "defineProperty",
  "deleteProperty",
];
const WHEN_USED = "required-when-used";

function requiredWhenUsed() {
  const names = [...new Set(REQUIRED_WHEN_USED.map(({ module }) => module))];
  const filter = new RegExp(`^(${names.join("|").replaceAll(".", "\\.")})$`);
  return {
    name: WHEN_USED,
    setup(build) {
      const importersSeen = new Set();
      const replaced = new Set();
      for (const entry of REQUIRED_WHEN_USED)
        build.onLoad({ filter: entry.importer }, () => {
          importersSeen.add(entry);
          return undefined;
        });
      build.onResolve({ filter }, (args) => {
        // The stand-in's own require (namespace WHEN_USED) resolves as usual.
        if (args.kind !== "require-call" || args.namespace === WHEN_USED) return undefined;
        const lazy = REQUIRED_WHEN_USED.find(
          ({ importer, module }) => module === args.path && importer.test(args.importer),
        );
        if (!lazy) return undefined;
        replaced.add(lazy);
        // One stand-in per importer: the same relative path may name other files elsewhere.
        const pluginData = { request: args.path, resolveDir: args.resolveDir };
        return { path: `${args.path} from ${args.importer}`, namespace: WHEN_USED, pluginData };
      });
      build.onLoad({ filter: /.*/, namespace: WHEN_USED }, (args) => ({
        contents: [
          "let loaded;",
          `const real = () => (loaded ??= require(${JSON.stringify(args.pluginData.request)}));`,
          `module.exports = new Proxy({}, { ${FORWARDED.map((trap) => `${trap}: (_, ...args) => Reflect.${trap}(real(), ...args)`).join(", ")} });`,
        ].join("\n"),
        resolveDir: args.pluginData.resolveDir,
        loader: "js",
      }));
      build.onEnd(() => ({
        errors: [...importersSeen]
          .filter((entry) => !replaced.has(entry))
          .map((entry) => ({
            text: `${WHEN_USED}: ${entry.importer} no longer requires "${entry.module}": update REQUIRED_WHEN_USED in scripts/stack/esbuild-plugins.cjs`,
          })),
      }));
    },
  };
}

function filesAheadOfTime(serverless) {
  const serviceDir = serverless.serviceDir ?? process.cwd();
  return {
    name: "files-ahead-of-time",
    setup(build) {
      const [entry] = build.initialOptions.entryPoints ?? [];
      const service = serverless.service;
      if (typeof entry !== "string" || !service) return;
      // serverless.yml names a handler by its file relative to the service, without extension.
      const at = resolve(build.initialOptions.absWorkingDir ?? process.cwd(), entry);
      const handlerFile = withoutExtension(relative(serviceDir, at).split(sep).join("/"));
      const fn = functionOf(service, handlerFile);
      // Without functions (the benchmark's build), the provider's environment stands for all.
      const environment = { ...service.provider?.environment, ...fn?.environment };
      for (const { variable, module, reader, parser, fallback } of AHEAD_OF_TIME) {
        build.onLoad({ filter: module }, (args) => {
          if (!fn && Object.keys(service.functions ?? {}).length > 0)
            return {
              errors: [
                {
                  text: `${entry} is no function's handler in serverless.yml: cannot tell which ${variable} it reads`,
                },
              ],
            };
          const file = environment[variable] || fallback;
          let parsed = null;
          if (file) {
            try {
              parsed = parserOf(parser)(readFileSync(resolve(serviceDir, file), "utf8"), file);
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
  startupInOneChunk(),
  keepMetafile(serverless.serviceDir ?? process.cwd()),
  chunksOfTheirHandler(),
  connectModelWithoutDocs(),
  sdkSchemasTreeShakeable(),
  requiredWhenUsed(),
  filesAheadOfTime(serverless),
];
