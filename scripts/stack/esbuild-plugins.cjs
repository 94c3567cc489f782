"use strict";

const { mkdirSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");

/**
 * esbuild plugins for serverless-esbuild (`custom.esbuild.plugins`).
 *
 * keep-metafile: each bundle's esbuild metafile (every input, its size and
 * module format) is written to .esbuild/meta/<entry>-meta.json, where
 * scripts/bundle-report.ts reads it after `serverless package`. It lives
 * outside serverless-esbuild's work folder, which is removed after every
 * packaging, so that no file of an earlier build can reach a zip.
 */
const META_DIR = join(".esbuild", "meta");

function keepMetafile(serviceDir) {
  return {
    name: "keep-metafile",
    setup(build) {
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (!result.metafile) return;
        for (const output of Object.values(result.metafile.outputs)) {
          if (!output.entryPoint) continue;
          const entry = output.entryPoint.replace(/\.[^./]+$/, "");
          const file = join(serviceDir, META_DIR, `${entry}-meta.json`);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, JSON.stringify(result.metafile));
        }
      });
    },
  };
}

module.exports = (serverless) => [keepMetafile(serverless.serviceDir ?? process.cwd())];
