import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUNDLE_LIMIT_BYTES,
  bundleSizes,
  checkBundle,
  largestParts,
  type Metafile,
  packageOf,
  report,
  sizeProblem,
} from "../../scripts/bundle-report";

/** A metafile of these inputs (path -> format), each 100 bytes, all in one output. */
function metafile(inputs: Record<string, "esm" | "cjs" | undefined>): Metafile {
  return {
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([path, format]) => [path, { bytes: 100, format }]),
    ),
    outputs: {
      "handlers/sync-worker.mjs": {
        bytes: 100 * Object.keys(inputs).length,
        inputs: Object.fromEntries(Object.keys(inputs).map((p) => [p, { bytesInOutput: 100 }])),
      },
    },
  };
}

const CLEAN = {
  "handlers/sync-worker.ts": "esm",
  "src/app/worker.ts": "esm",
  "node_modules/@aws-sdk/client-connect/dist-es/ConnectClient.js": "esm",
  "node_modules/@smithy/core/dist-es/index.js": "esm",
  "node_modules/@aws-sdk/client-connect/package.json": undefined,
  "node_modules/zod/v4/core/core.js": "esm",
} as const;

describe("the bundle check", () => {
  it("passes a bundle with one copy of each SDK package and no test code", () => {
    expect(checkBundle(metafile(CLEAN))).toEqual([]);
  });

  it("refuses a second copy of an SDK package, naming both places", () => {
    const meta = metafile({
      ...CLEAN,
      "node_modules/@aws-sdk/client-sqs/node_modules/@smithy/core/dist-es/index.js": "esm",
    });

    expect(checkBundle(meta)).toEqual([
      "AWS SDK twice: @smithy/core from node_modules/@smithy/core and node_modules/@aws-sdk/client-sqs/node_modules/@smithy/core",
    ]);
  });

  it("refuses an SDK package bundled as both its ES module and its CommonJS build", () => {
    const meta = metafile({ ...CLEAN, "node_modules/@smithy/core/dist-cjs/index.js": "cjs" });

    expect(checkBundle(meta)).toEqual([
      "AWS SDK twice: @smithy/core as both ES module and CommonJS",
    ]);
  });

  it("refuses SDK v2 beside v3", () => {
    const meta = metafile({ ...CLEAN, "node_modules/aws-sdk/lib/core.js": "cjs" });

    expect(checkBundle(meta)).toEqual(["AWS SDK twice: v2 (aws-sdk) beside v3"]);
  });

  it("refuses test dependencies and test or local-only code", () => {
    const meta = metafile({
      ...CLEAN,
      "node_modules/fast-check/lib/esm/fast-check.js": "esm",
      "node_modules/@vitest/spy/dist/index.js": "esm",
      "node_modules/dynalite/index.js": "cjs",
      "node_modules/@cloud-copilot/iam-policy/dist/esm/index.js": "esm",
      "src/local/connect-emulator/server.ts": "esm",
      "test/support/worker-stack.ts": "esm",
    });

    expect(checkBundle(meta)).toEqual([
      "test or development dependency: fast-check",
      "test or development dependency: @vitest/spy",
      "test or development dependency: dynalite",
      "test or development dependency: @cloud-copilot/iam-policy",
      "test or local-only code: src/local/connect-emulator/server.ts",
      "test or local-only code: test/support/worker-stack.ts",
    ]);
  });

  it("refuses whatever devDependencies it is given", () => {
    const meta = metafile({ ...CLEAN, "node_modules/left-pad/index.js": "cjs" });

    expect(checkBundle(meta, ["left-pad"])).toEqual(["test or development dependency: left-pad"]);
  });

  it("names the package of an input, scoped or not, however deep", () => {
    expect(packageOf("../../x/node_modules/@smithy/core/dist-es/index.js")).toEqual({
      name: "@smithy/core",
      dir: "../../x/node_modules/@smithy/core",
    });
    expect(packageOf("node_modules/a/node_modules/zod/index.js")?.name).toBe("zod");
    expect(packageOf("src/app/worker.ts")).toBeUndefined();
  });

  it("reports the largest parts of a bundle", () => {
    const meta = metafile(CLEAN);

    expect(largestParts(meta, 2)).toEqual([
      { part: "@aws-sdk/client-connect", bytes: 200 },
      { part: "handlers/sync-worker.ts", bytes: 100 },
    ]);
  });
});

/** A split bundle: the handler, a chunk it imports, and a chunk only `import()` loads. */
function splitMetafile(handlerBytes: number): Metafile {
  const output = (
    bytes: number,
    imports: Metafile["outputs"][string]["imports"],
    entry?: string,
  ) => ({
    bytes,
    inputs: {},
    imports,
    ...(entry ? { entryPoint: entry } : {}),
  });
  return {
    inputs: {},
    outputs: {
      "handlers/sync-worker.mjs": output(
        handlerBytes,
        [
          { path: "handlers/sync-worker.chunks/chunk-A.mjs", kind: "import-statement" },
          { path: "handlers/sync-worker.chunks/ssm-B.mjs", kind: "dynamic-import" },
          { path: "node:fs", kind: "import-statement", external: true },
        ],
        "handlers/sync-worker.ts",
      ),
      "handlers/sync-worker.mjs.map": output(5_000_000, []),
      "handlers/sync-worker.chunks/chunk-A.mjs": output(1_000, []),
      "handlers/sync-worker.chunks/ssm-B.mjs": output(
        80_000,
        [{ path: "handlers/sync-worker.chunks/chunk-A.mjs", kind: "import-statement" }],
        "src/runtime/sdk/ssm.ts",
      ),
    },
  };
}

describe("the bundle size limit", () => {
  it("counts what a cold start parses, the handler and the chunks it imports, apart from lazy chunks and source maps", () => {
    const sizes = bundleSizes(splitMetafile(500_000), "handlers/sync-worker");

    expect(sizes).toEqual({
      startupBytes: 501_000,
      lazyBytes: 80_000,
      entryOutput: "handlers/sync-worker.mjs",
    });
  });

  it("counts the tracer's chunk, which a function loads while it starts when tracing is on, as startup", () => {
    // Prepare: the handler loads the tracer's chunk with import(), as src/runtime/tracing.ts does.
    const meta = splitMetafile(500_000);
    meta.outputs["handlers/sync-worker.mjs"]?.imports?.push({
      path: "handlers/sync-worker.chunks/powertools-tracing-C.mjs",
      kind: "dynamic-import",
    });
    meta.outputs["handlers/sync-worker.chunks/powertools-tracing-C.mjs"] = {
      bytes: 120_000,
      inputs: {},
      imports: [{ path: "handlers/sync-worker.chunks/chunk-A.mjs", kind: "import-statement" }],
      entryPoint: "src/runtime/powertools-tracing.ts",
    };

    // Act
    const sizes = bundleSizes(meta, "handlers/sync-worker");

    // Assess
    expect(sizes).toMatchObject({ startupBytes: 621_000, lazyBytes: 80_000 });
  });

  it("lets a bundle of exactly 1 MiB pass and fails one byte more, naming the function, its size and the limit", () => {
    const at = bundleSizes(splitMetafile(BUNDLE_LIMIT_BYTES - 1_000), "handlers/sync-worker");
    const over = bundleSizes(splitMetafile(BUNDLE_LIMIT_BYTES - 999), "handlers/sync-worker");

    expect(sizeProblem("sync-worker", at)).toBeUndefined();
    expect(sizeProblem("sync-worker", over)).toBe(
      "sync-worker: the bundle is 1048577 bytes (1024 KiB), over the 1 MiB limit of 1048576 bytes",
    );
  });

  it("fails the package report when a bundle is over the limit", () => {
    const dir = mkdtempSync(join(tmpdir(), "bundle-report-"));
    const handler = "handlers/sync-worker.handler";
    writeFileSync(
      join(dir, "serverless-state.json"),
      JSON.stringify({ service: { functions: { "sync-worker": { handler } } } }),
    );
    writeFileSync(join(dir, "sync-worker.zip"), "zip");
    mkdirSync(join(dir, "meta", "handlers"), { recursive: true });
    const writeMeta = (meta: Metafile) =>
      writeFileSync(join(dir, "meta", "handlers", "sync-worker-meta.json"), JSON.stringify(meta));
    const lines: string[] = [];

    writeMeta(splitMetafile(900_000));
    const small = report(dir, join(dir, "meta"), () => undefined);
    writeMeta(splitMetafile(1_100_000));
    const big = report(dir, join(dir, "meta"), (line) => lines.push(line));

    expect(small).toBe(true);
    expect(big).toBe(false);
    expect(lines).toContain(
      "  FAIL sync-worker: the bundle is 1101000 bytes (1075 KiB), over the 1 MiB limit of 1048576 bytes",
    );
    expect(lines.at(-1)).toBe("bundles: FAILED");
    rmSync(dir, { recursive: true, force: true });
  });
});
