import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  environment,
  FUNCTIONS,
  type FunctionName,
  serverlessEsbuildOptions,
} from "../../bench/benchmark/cold-start";
import { bundleSizes } from "../../scripts/bundle-report";

/**
 * Each function bundled as `serverless package` bundles it (its settings
 * files parsed ahead of time), started in a fresh Node process the way
 * Lambda starts it: importing the handler's file runs its module scope.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const run = promisify(execFile);

let dir: string;
const bundles: Partial<Record<FunctionName, string>> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bundled-"));
  const options = await serverlessEsbuildOptions(dir);
  for (const [name, entry] of Object.entries(FUNCTIONS) as [FunctionName, string][]) {
    const { metafile } = await build({
      ...options,
      entryPoints: [join(ROOT, entry)],
      outdir: join(dir, name),
      absWorkingDir: ROOT,
    });
    if (!metafile) throw new Error(`no metafile for ${entry}`);
    bundles[name] = resolve(ROOT, bundleSizes(metafile, entry).entryOutput ?? "");
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Imports the bundle in a fresh process; answers what its handler export is
 * and whether the X-Ray SDK was loaded (it creates cls-hooked's AWSXRay namespace).
 */
async function start(name: FunctionName, env: NodeJS.ProcessEnv = environment()) {
  const url = pathToFileURL(bundles[name] ?? "").href;
  const script = `const { handler } = await import(${JSON.stringify(url)}); console.log(typeof handler, process.namespaces?.AWSXRay ? "xray" : "no-xray");`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env,
    cwd: ROOT,
  });
  return stdout.trim();
}

describe("the bundled functions", () => {
  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s starts and exports its handler, with tracing and without (the tracer not loaded)",
    async (name) => {
      const traced = await start(name, { ...environment(), POWERTOOLS_TRACE_ENABLED: "true" });
      const untraced = await start(name, { ...environment(), POWERTOOLS_TRACE_ENABLED: "false" });

      expect([traced, untraced]).toEqual(["function xray", "function no-xray"]);
    },
  );

  it("refuses to start when SYNC_RULES_FILE names another rules file than the one it carries", async () => {
    // Act
    const starting = start("sync-worker", {
      ...environment(),
      SYNC_RULES_FILE: "config/other.yaml",
    });

    // Assess
    await expect(starting).rejects.toThrow(
      /SYNC_RULES_FILE is config\/other\.yaml, but this bundle carries .*sync-rules.*: package the function again/,
    );
  });
});
