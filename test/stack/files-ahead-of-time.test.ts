import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRostersFile } from "../../src/domain/roster-settings";
import { parseSyncRules } from "../../src/domain/rules";
import { SAMPLE_RULES_FILE } from "../../src/local/stack";

/**
 * scripts/stack/esbuild-plugins.cjs, files-ahead-of-time: a function bundle
 * carries its rules and rosters files parsed and checked at packaging, in
 * place of the modules that would read them at a cold start.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const ENTRY = "test/stack/fixtures/reads-settings.ts";
const plugins = createRequire(import.meta.url)("../../scripts/stack/esbuild-plugins.cjs") as (
  serverless: unknown,
) => Plugin[];

interface Readers {
  loadRulesFile(path: string): unknown;
  readRostersFile(path: string): unknown;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ahead-of-time-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Bundles the fixture as serverless-esbuild bundles a function with this environment. */
async function bundle(
  environment: Record<string, string>,
  name: string,
  handler = "./test/stack/fixtures/reads-settings.handler",
) {
  const serverless = {
    serviceDir: ROOT,
    service: { functions: { reader: { handler, environment } } },
  };
  const outfile = join(dir, `${name}.mjs`);
  const result = await build({
    entryPoints: [join(ROOT, ENTRY)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    metafile: true,
    logLevel: "silent",
    plugins: plugins(serverless).filter((p) => p.name === "files-ahead-of-time"),
  });
  const readers = (await import(pathToFileURL(outfile).href)) as Readers;
  return { readers, inputs: Object.keys(result.metafile.inputs) };
}

const ROSTERS_YAML = `version: 1
rosters:
  canonical: { kind: s3, bucket: acme-hr-exports, prefix: connect/ }
`;

describe("settings files read ahead of time", () => {
  it("answer the files' parsed settings without the YAML parser or the files in the bundle", async () => {
    // Prepare
    const rostersFile = join(dir, "rosters.yaml");
    await writeFile(rostersFile, ROSTERS_YAML);

    // Act
    const { readers, inputs } = await bundle(
      { SYNC_RULES_FILE: SAMPLE_RULES_FILE, ROSTERS_FILE: rostersFile },
      "both",
    );

    // Assess
    expect(readers.loadRulesFile(SAMPLE_RULES_FILE)).toEqual(
      parseSyncRules(readFileSync(SAMPLE_RULES_FILE, "utf8")),
    );
    expect(readers.readRostersFile(rostersFile)).toEqual(parseRostersFile(ROSTERS_YAML));
    expect(inputs.filter((input) => input.includes("node_modules/yaml/"))).toEqual([]);
    expect(inputs).not.toContain("src/domain/rules.ts");
  });

  it("refuse to start a function whose variable names another file than the one bundled", async () => {
    // Act
    const { readers } = await bundle({ SYNC_RULES_FILE: SAMPLE_RULES_FILE }, "other");

    // Assess
    expect(() => readers.loadRulesFile("config/other-rules.yaml")).toThrow(
      `Invalid configuration: SYNC_RULES_FILE is config/other-rules.yaml, but this bundle carries ${SAMPLE_RULES_FILE}: package the function again`,
    );
    expect(() => readers.readRostersFile("rosters.yaml")).toThrow(
      "Invalid configuration: ROSTERS_FILE is rosters.yaml, but this bundle carries no file: package the function again",
    );
  });

  it("read the rules file a function names by default when its SYNC_RULES_FILE is unset", async () => {
    // Act
    const { readers } = await bundle({}, "default");

    // Assess
    expect(readers.loadRulesFile("config/sync-rules.yaml")).toEqual(
      parseSyncRules(readFileSync(join(ROOT, "config/sync-rules.yaml"), "utf8")),
    );
  });

  it("stop the packaging of an entry that is no function's handler, rather than guess its files", async () => {
    // Act
    const packaging = bundle(
      { SYNC_RULES_FILE: SAMPLE_RULES_FILE },
      "unknown",
      "handlers/other.handler",
    );

    // Assess
    await expect(packaging).rejects.toThrow(
      "is no function's handler in serverless.yml: cannot tell which SYNC_RULES_FILE it reads",
    );
  });

  it("stop the packaging at a broken rules file, naming the field and the line", async () => {
    // Prepare: the sample rules with a misspelt key.
    const broken = join(dir, "broken-rules.yaml");
    await writeFile(
      broken,
      readFileSync(SAMPLE_RULES_FILE, "utf8").replace("identity:", "identity:\n  modes: SAML"),
    );

    // Act
    const packaging = bundle({ SYNC_RULES_FILE: broken }, "broken");

    // Assess
    await expect(packaging).rejects.toThrow(
      `${broken} is not a valid rules file:\n  - identity.modes (line 7, column 3): is not a key here (did you mean "mode"?)`,
    );
  });
});
