"use strict";

const { mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const { basename, dirname, join, normalize } = require("node:path");

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

module.exports = (serverless) => [
  keepMetafile(serverless.serviceDir ?? process.cwd()),
  chunksOfTheirHandler(),
  connectModelWithoutDocs(),
];
