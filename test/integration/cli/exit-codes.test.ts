import { describe, expect, it } from "vitest";
import { buildProgram, packageVersion } from "../../../src/cli/program";
import { runCommand } from "../../support/cli";

/** Every command and flag typo an operator may make: none may start anything, all exit 2. */
const USAGE_ERRORS: [string, string[]][] = [
  ["no command at all", []],
  ["an unknown command", ["reconcil"]],
  ["reconcile --dryrun", ["reconcile", "--dryrun"]],
  ["reconcile extra-arg", ["reconcile", "extra-arg"]],
  ["approve x --bogus", ["approve", "x", "--bogus"]],
  ["approve without a run id", ["approve"]],
  ["sync E2001 --dryrun", ["sync", "E2001", "--dryrun"]],
  ["sync without an id", ["sync"]],
  ["status E2001 --jsn", ["status", "E2001", "--jsn"]],
  ["import roster.csv --dryrun", ["import", "roster.csv", "--dryrun"]],
  ["import --delimiter x", ["import", "roster.csv", "--delimiter", "x"]],
  ["import --wait-timeout soon", ["import", "roster.csv", "--wait", "--wait-timeout", "soon"]],
  ["redrive --dryrun", ["redrive", "--dryrun"]],
  ["redrive --max ten", ["redrive", "--max", "ten"]],
  ["validate-rules --offlin", ["validate-rules", "--offlin"]],
  ["demo --bogus", ["demo", "--bogus"]],
  ["demo --rps zero", ["demo", "--rps", "zero"]],
  ["local --bogus", ["local", "--bogus"]],
  ["local --port 99999", ["local", "--port", "99999"]],
  ["emulator --bogus", ["emulator", "--bogus"]],
  ["emulator --port 99999", ["emulator", "--port", "99999"]],
  ["send events.json --bogus", ["send", "events.json", "--bogus"]],
  ["send --source workday", ["send", "events.json", "--source", "workday"]],
];

describe("connect-hr-sync exit codes", () => {
  it.each(USAGE_ERRORS)("%s exits 2 and says what is wrong", async (_, args) => {
    const { code, err, out } = await runCommand(buildProgram(), args);

    expect(code).toBe(2);
    expect(`${err}${out}`).toMatch(/error|Usage/);
  });

  it.each([["--help"], ["reconcile", "--help"], ["help", "sync"]])(
    "%s exits 0",
    async (...args) => {
      expect((await runCommand(buildProgram(), args)).code).toBe(0);
    },
  );

  it("--version prints the package's version and exits 0", async () => {
    const { code, out } = await runCommand(buildProgram(), ["--version"]);

    expect(code).toBe(0);
    expect(out.trim()).toBe(packageVersion());
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("every command's --help lists its exit codes", async () => {
    const names = buildProgram().commands.map((c) => c.name());

    for (const name of names) {
      const { code, out } = await runCommand(buildProgram(), [name, "--help"]);

      expect(code, name).toBe(0);
      expect(out, name).toMatch(/Exit codes:\n {2}0 {2}\S/);
      expect(out, name).toMatch(/\n {2}2 {2}bad arguments/);
    }
    expect(names).toHaveLength(11);
  });
});
