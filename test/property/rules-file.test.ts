import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseSyncRules, RulesFileError } from "../../src/domain/rules";
import { ConfigError, loadRulesFile } from "../../src/runtime/config";

/**
 * The rules file loader under hostile and broken input: whatever the text,
 * it answers valid rules or a RulesFileError naming each problem (never
 * another exception, never a hang), and parsing pollutes no prototype.
 */

const SAMPLE = readFileSync(new URL("../../config/sync-rules.yaml", import.meta.url), "utf8");

/** Either valid rules or a RulesFileError whose problems all name a place. */
function loadsOrExplains(text: string): "valid" | "refused" {
  try {
    parseSyncRules(text, "rules.yaml");
    return "valid";
  } catch (error) {
    expect(error).toBeInstanceOf(RulesFileError);
    const problems = (error as RulesFileError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.path).not.toBe("");
      expect(problem.message).not.toBe("");
    }
    return "refused";
  } finally {
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }
}

/** A random change somewhere in the sample rules: a key dropped, replaced, added or poisoned. */
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("drop", "replace", "add", "proto", "constructor", "deep"),
  value: fc.jsonValue({ maxDepth: 3 }),
  key: fc.string({ minLength: 1, maxLength: 12 }),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(rules: unknown, change: Mutation): unknown {
  // Every object in the document, in a stable order: pick one.
  const objects: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== "object") return;
    if (!Array.isArray(node)) objects.push(node as Record<string, unknown>);
    for (const child of Object.values(node)) walk(child);
  };
  walk(rules);
  const target = objects[change.at % objects.length] as Record<string, unknown>;
  const keys = Object.keys(target);
  const key = keys[change.at % Math.max(1, keys.length)] ?? change.key;
  switch (change.kind) {
    case "drop":
      delete target[key];
      break;
    case "replace":
      target[key] = change.value;
      break;
    case "add":
      target[change.key] = change.value;
      break;
    case "proto":
      Object.defineProperty(target, "__proto__", {
        value: { polluted: true },
        enumerable: true,
        configurable: true,
        writable: true,
      });
      break;
    case "constructor":
      Object.assign(target, { constructor: { prototype: { polluted: true } } });
      break;
    case "deep": {
      let deep: unknown = 1;
      for (let i = 0; i < 200; i++) deep = { a: deep };
      target[key] = deep;
      break;
    }
  }
  return rules;
}

describe("rules file loader under hostile input", () => {
  it("answers rules or a RulesFileError for any text", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: "binary", maxLength: 400 }),
      // Fragments of YAML syntax in random order: anchors, aliases, tags, flow and block.
      fc
        .array(
          fc.constantFrom(
            "version: 1\n",
            "identity:\n  mode: SAML\n",
            "- ",
            "  ",
            "&a ",
            "*a ",
            "!!binary ",
            "!!js/function ",
            "!custom ",
            "<<: *a\n",
            "{",
            "}",
            "[",
            "]",
            ": ",
            "? ",
            "|\n",
            ">-\n",
            "---\n",
            "...\n",
            "%YAML 1.1\n",
            '"\\u0000"',
            "'",
            "#",
            "\n",
            "__proto__: ",
            "constructor: ",
          ),
          { maxLength: 40 },
        )
        .map((parts) => parts.join("")),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(text, (source) => {
        loadsOrExplains(source);
      }),
      { numRuns: 400 },
    );
  });

  it("explains every broken variant of the sample rules, in YAML and in JSON", () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), (change, json) => {
        const rules = mutate(structuredClone(parseYamlSample()), change);
        const text = json ? JSON.stringify(rules) : stringify(rules);
        loadsOrExplains(text);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses alias bombs and other resource-exhaustion YAML with a RulesFileError", () => {
    const bomb = fc.record({
      fanOut: fc.integer({ min: 2, max: 12 }),
      levels: fc.integer({ min: 2, max: 9 }),
    });
    fc.assert(
      fc.property(bomb, ({ fanOut, levels }) => {
        const lines = ['l0: &l0 ["lol"]'];
        for (let level = 1; level <= levels; level++) {
          const refs = Array.from({ length: fanOut }, () => `*l${level - 1}`).join(", ");
          lines.push(`l${level}: &l${level} [${refs}]`);
        }
        const started = performance.now();
        loadsOrExplains(`${SAMPLE}\n${lines.join("\n")}\n`);
        expect(performance.now() - started).toBeLessThan(2_000);
      }),
      { numRuns: 30 },
    );
  });

  it("reads a rules file in any encoding to rules or a RulesFileError, never a crash", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rules-encoding-"));
    const encodings = fc.oneof(
      fc.constantFrom("utf16le", "latin1", "utf8-bom").map((encoding) => {
        const text = SAMPLE.replace("Basic Routing Profile", "Basic Routing Profilé");
        if (encoding === "utf8-bom")
          return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
        return Buffer.from(text, encoding as BufferEncoding);
      }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    );
    let file = 0;
    await fc.assert(
      fc.asyncProperty(encodings, async (bytes) => {
        file += 1;
        const path = join(dir, `rules-${file}.yaml`);
        await writeFile(path, bytes);
        try {
          loadRulesFile(path);
        } catch (error) {
          expect(error instanceof RulesFileError || error instanceof ConfigError).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});

function parseYamlSample(): unknown {
  return parseSyncRulesInput(SAMPLE);
}

/** The sample as plain data, so that it can be mutated and written again. */
function parseSyncRulesInput(text: string): unknown {
  return JSON.parse(JSON.stringify(parseSyncRules(text)));
}
