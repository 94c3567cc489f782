import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverlessEsbuildOptions } from "../../bench/benchmark/cold-start";

/**
 * The X-Ray SDK bundled as serverless.yml bundles it (scripts/stack/esbuild-plugins.cjs,
 * required-when-used): semver and the centralized sampling load when first used, not as
 * the SDK loads, and behave as before once they do.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const run = promisify(execFile);
let dir: string;
let bundle: string;
let inputs: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "required-when-used-"));
  bundle = join(dir, "xray.mjs");
  const { metafile } = await build({
    ...(await serverlessEsbuildOptions(dir)),
    splitting: false,
    stdin: {
      contents: 'import AWSXRay from "aws-xray-sdk-core";\nexport const xray = AWSXRay;\n',
      resolveDir: ROOT,
      loader: "js",
    },
    outfile: bundle,
    absWorkingDir: ROOT,
  });
  inputs = Object.keys(metafile?.inputs ?? {});
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Imports the bundle in a fresh process, runs `script` with `xray`; answers what it printed. */
async function withXRay(script: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const source = `const { xray } = await import(${JSON.stringify(pathToFileURL(bundle).href)});\n${script}`;
  const { stderr } = await run(process.execPath, ["--input-type=module", "-e", source], {
    env: { PATH: process.env.PATH, ...env },
  });
  return stderr;
}

describe("the X-Ray SDK in a bundle", () => {
  it("loads semver only when the SDK v2 patcher checks a version, and still refuses an old SDK", async () => {
    // Act: semver traces what it builds on stderr when NODE_DEBUG names it.
    const printed = await withXRay(
      'console.error("imported");\n' +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the child's template, not ours
        'try { xray.captureAWS({ VERSION: "2.0.0" }); } catch (error) { console.error(`refused: ${error.message}`); }',
      { NODE_DEBUG: "semver" },
    );

    // Assess
    const [atImport = "", afterwards = ""] = printed.split("imported\n");
    expect(atImport).not.toContain("SEMVER");
    expect(afterwards).toContain("SEMVER");
    expect(afterwards).toContain("refused: AWS SDK version 2.7.15 or greater required.");
  });

  it("bundles a stand-in for each require it defers, semver's and the centralized sampler's", () => {
    // Assess
    expect(inputs.filter((input) => input.startsWith("required-when-used:")).sort()).toEqual([
      expect.stringMatching(
        /^required-when-used:\.\/sampling\/default_sampler from .*mw_utils\.js$/,
      ),
      expect.stringMatching(/^required-when-used:semver from .*aws_p\.js$/),
    ]);
  });

  it("fails the build when a listed module no longer requires what it defers", async () => {
    // Prepare: a patcher where the SDK keeps it, requiring semver no more.
    const moved = join(
      ROOT,
      "test/stack/fixtures/moved-require/aws-xray-sdk-core/dist/lib/patchers/aws_p.js",
    );

    // Act
    const building = build({
      ...(await serverlessEsbuildOptions(dir)),
      splitting: false,
      stdin: {
        contents: `export * from ${JSON.stringify(moved)};`,
        resolveDir: ROOT,
        loader: "js",
      },
      outfile: join(dir, "moved.mjs"),
      absWorkingDir: ROOT,
    });

    // Assess
    await expect(building).rejects.toThrow(
      /required-when-used: .*aws_p.* no longer requires "semver": update REQUIRED_WHEN_USED/,
    );
  });

  it("hands out the centralized sampler as before: its members, and what is written to it", async () => {
    // Act
    const printed = await withXRay(
      "const sampler = xray.middleware.sampler;\n" +
        'sampler.probe = "written";\n' +
        'console.error(JSON.stringify({ has: "shouldSample" in sampler, keys: Object.keys(sampler).includes("localSampler"), probe: xray.middleware.sampler.probe, type: typeof sampler.shouldSample }));',
    );

    // Assess
    expect(JSON.parse(printed)).toEqual({
      has: true,
      keys: true,
      probe: "written",
      type: "function",
    });
  });
});
