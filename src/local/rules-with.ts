/** A copy of a rules file with some top-level keys replaced, for the local stack's test runs. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";

/** Writes the copy to a fresh temporary directory and answers its path; comments are kept. */
export function rulesWith(rulesFile: string, replaced: Record<string, unknown>): string {
  const document = parseDocument(readFileSync(rulesFile, "utf8"));
  for (const [key, value] of Object.entries(replaced)) document.set(key, value);
  const file = join(mkdtempSync(join(tmpdir(), "rules-")), "rules.yaml");
  writeFileSync(file, document.toString());
  return file;
}
