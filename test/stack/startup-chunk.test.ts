import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FUNCTIONS,
  type FunctionName,
  serverlessEsbuildOptions,
} from "../../bench/benchmark/cold-start";

/**
 * The functions bundled as serverless.yml bundles them (source maps beside the files), the chunks
 * a cold start loads joined into one (scripts/stack/startup-chunk.cjs, startup-in-one-chunk).
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const NAMES: FunctionName[] = ["hr-webhook", "sync-worker"];
const run = promisify(execFile);
let dir: string;
const metafiles: Partial<Record<FunctionName, Metafile>> = {};

/** Where a function's files go; its kept metafile (keep-metafile) goes to the folder above. */
const outdirOf = (name: string) => join(dir, name, "handlers");
const internal = (imports: Metafile["outputs"][string]["imports"], kind: string) =>
  imports.filter((i) => i.kind === kind && !i.external).map((i) => i.path);
const named = (name: FunctionName, file: string) =>
  Object.keys(metafiles[name]?.outputs ?? {}).find((path) => path.endsWith(file)) ?? "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "startup-chunk-"));
  for (const name of NAMES) {
    const options = await serverlessEsbuildOptions(join(dir, name));
    const { metafile } = await build({
      ...options,
      sourcemap: "external",
      entryPoints: [FUNCTIONS[name]],
      outdir: outdirOf(name),
      absWorkingDir: ROOT,
    });
    metafiles[name] = metafile;
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the chunks a cold start loads, joined", () => {
  it.each(NAMES)(
    "%s's handler file imports one startup chunk, which imports no other; the rest stay lazy",
    (name) => {
      // Prepare
      const outputs = metafiles[name]?.outputs ?? {};
      const entry = named(name, `${name}.mjs`);
      const startup = named(name, `${name}.chunks/startup.mjs`);

      // Assess
      expect(internal(outputs[entry]?.imports ?? [], "import-statement")).toEqual([startup]);
      expect(internal(outputs[startup]?.imports ?? [], "import-statement")).toEqual([]);
      const tracer = internal(outputs[entry]?.imports ?? [], "dynamic-import").find((path) =>
        path.includes("powertools-tracing"),
      );
      expect(outputs[tracer ?? ""]?.entryPoint).toBe("src/runtime/powertools-tracing.ts");
      expect(internal(outputs[tracer ?? ""]?.imports ?? [], "import-statement")).toEqual([startup]);
    },
  );

  it.each(NAMES)("%s's metafile names every file written, at its size", async (name) => {
    // Prepare
    const written: Record<string, number> = {};
    for (const file of await readdir(outdirOf(name), { recursive: true })) {
      const at = join(outdirOf(name), file);
      if ((await stat(at)).isFile()) written[relative(ROOT, at)] = (await stat(at)).size;
    }

    // Assess
    const described = Object.fromEntries(
      Object.entries(metafiles[name]?.outputs ?? {}).map(([path, { bytes }]) => [path, bytes]),
    );
    expect(described).toEqual(written);
  });

  it("leads each source map back to the original source, through esbuild's", async () => {
    // Prepare: a literal of src/runtime/observability.ts, which hr-webhook's startup chunk holds
    // (Rolldown writes it between backquotes).
    const startup = resolve(ROOT, named("hr-webhook", "hr-webhook.chunks/startup.mjs"));
    const lines = (await readFile(startup, "utf8")).split("\n");
    const line = lines.findIndex((text) => text.includes("ConnectHrSync"));
    const column = (lines[line]?.indexOf("ConnectHrSync") ?? 0) - 1;
    const original = (await readFile(join(ROOT, "src/runtime/observability.ts"), "utf8")).split(
      "\n",
    );

    // Act
    const map = new SourceMap(JSON.parse(await readFile(`${startup}.map`, "utf8")));
    const found = map.findEntry(line, column) as { originalSource: string; originalLine: number };

    // Assess
    expect(resolve(join(startup, ".."), found.originalSource)).toBe(
      join(ROOT, "src/runtime/observability.ts"),
    );
    expect(original[found.originalLine]).toContain('"ConnectHrSync"');
  });

  it("keeps a chunk imported for its side effect alone, built inside the service as serverless-esbuild builds", async () => {
    // Prepare: the service's package.json names one module with side effects, and its build
    // folder (.esbuild/) is under it; the fixture's own package.json declares none.
    await mkdir(join(ROOT, ".esbuild"), { recursive: true });
    const inside = await mkdtemp(join(ROOT, ".esbuild", "startup-chunk-"));
    try {
      const { metafile } = await build({
        ...(await serverlessEsbuildOptions(inside)),
        entryPoints: ["test/stack/fixtures/side-effect-import/handler.js"],
        outdir: join(inside, "handlers"),
        absWorkingDir: ROOT,
      });
      const entry = Object.keys(metafile?.outputs ?? {}).find((path) =>
        path.endsWith("/handler.mjs"),
      );

      // Act
      const url = pathToFileURL(resolve(ROOT, entry ?? "")).href;
      const { stdout } = await run(process.execPath, [
        "--input-type=module",
        "-e",
        `const { handler } = await import(${JSON.stringify(url)}); console.log(JSON.stringify(await handler()));`,
      ]);

      // Assess
      expect(JSON.parse(stdout)).toEqual({
        registered: "at start",
        lazy: ["at start", true],
        now: true,
      });
    } finally {
      await rm(inside, { recursive: true, force: true });
    }
  });

  it("fails the build when a module to join awaits at its top level, naming it", async () => {
    // Prepare
    const fixture = "test/stack/fixtures/top-level-await";

    // Act
    const building = build({
      ...(await serverlessEsbuildOptions(join(dir, "top-level-await"))),
      entryPoints: [`${fixture}/handler.js`],
      outdir: outdirOf("top-level-await"),
      absWorkingDir: ROOT,
    });

    // Assess
    await expect(building).rejects.toThrow(
      /startup-in-one-chunk: the chunk of test\/stack\/fixtures\/top-level-await\/settings\.js awaits at its top level/,
    );
  });
});
