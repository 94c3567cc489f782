import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house's rule (issue #12): no source file over 350 lines, so that each
 * keeps to one job. Tests are left out: a test file reads as a list of cases.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const SOURCE_DIRS = ["src", "handlers", "bench", "scripts"];
const MAX_LINES = 350;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|cjs|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

describe("the source files", () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    // Act
    const long = SOURCE_DIRS.flatMap(sourceFiles)
      .map((file) => ({
        file,
        lines: readFileSync(join(ROOT, file), "utf8").trimEnd().split("\n").length,
      }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${relative(".", file)}: ${lines} lines`);

    // Assess
    expect(long).toEqual([]);
  });
});
