/**
 * The emulator's seed (fields in seed-schema.ts), checked with zod plus the
 * model's own constraints; every problem names the field path (e.g.
 * `users[2].routingProfile`). Parsing from objects and from JSON files.
 */
import { readFile } from "node:fs/promises";
import type * as z from "zod";
import { checkSeedReferences } from "./seed-checks";
import { baseSeedSchema } from "./seed-schema";

export {
  DEFAULT_QUICK_CONNECT_LIMIT,
  DEFAULT_USER_LIMIT,
  hierarchyGroupPath,
  resourceName,
  type SeedHierarchyGroup,
  type SeedNamedResource,
  type SeedQuickConnect,
  type SeedUser,
  splitHierarchyPath,
} from "./seed-schema";

export const emulatorSeedSchema = baseSeedSchema.superRefine((seed, ctx) => {
  const report = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  checkSeedReferences(seed, report);
});

/** A seed after defaults are applied. */
export type EmulatorSeed = z.output<typeof emulatorSeedSchema>;
/** A seed as written (defaults may be left out). */
export type EmulatorSeedInput = z.input<typeof emulatorSeedSchema>;

export class EmulatorSeedError extends Error {
  readonly problems: readonly string[];

  /** `summary` says what failed; `problems` name each invalid field. */
  constructor(summary: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(problems.length > 0 ? `${summary}:\n  - ${problems.join("\n  - ")}` : summary, options);
    this.name = "EmulatorSeedError";
    this.problems = problems;
  }
}

export function parseEmulatorSeed(input: unknown, source = "the seed"): EmulatorSeed {
  const result = emulatorSeedSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${formatPath(issue.path) || "(root)"}: ${issue.message}`,
  );
  throw new EmulatorSeedError(`${source} is not a valid emulator seed`, problems, {
    cause: result.error,
  });
}

export async function loadEmulatorSeedFile(path: string): Promise<EmulatorSeed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "unreadable";
    throw new EmulatorSeedError(`cannot read seed file ${path} (${reason})`, [], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw new EmulatorSeedError(`seed file ${path} is not valid JSON (${reason})`, [], {
      cause: error,
    });
  }
  return parseEmulatorSeed(json, `seed file ${path}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    const name = String(part);
    if (name.startsWith("[")) return `${text}${name}`;
    return text ? `${text}.${name}` : name;
  }, "");
}
