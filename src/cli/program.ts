import { readFileSync } from "node:fs";
import { Command } from "commander";
import { demoCommand } from "./commands/demo";
import { emulatorCommand } from "./commands/emulator";
import { importCommand } from "./commands/import";
import { localCommand } from "./commands/local";
import { approveCommand, reconcileCommand } from "./commands/reconcile";
import { redriveCommand } from "./commands/redrive";
import { sendCommand } from "./commands/send";
import { statusCommand } from "./commands/status";
import { syncCommand } from "./commands/sync";
import { validateRulesCommand } from "./commands/validate-rules";
import { EXIT, USAGE_MEANING, withExitCodes } from "./exit";

const PACKAGE = new URL("../../package.json", import.meta.url);

/** The version in package.json, as `--version` prints it. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE, "utf8")) as { version: string }).version;
}

/** Every command of `connect-hr-sync`, with the shared exit codes on every usage error. */
export function buildProgram(): Command {
  const program = withExitCodes(
    new Command()
      .name("connect-hr-sync")
      .description("Keeps Amazon Connect agent accounts in step with the HR system of record.")
      .version(packageVersion(), "-V, --version", "print the version")
      .showHelpAfterError()
      .showSuggestionAfterError(),
    {
      [EXIT.ok]: "done",
      [EXIT.failed]: "the command ran and something needs a person (see each command's --help)",
      [EXIT.usage]: `${USAGE_MEANING}; an unknown command or none`,
      [EXIT.unreachable]: "an endpoint (AWS or the local stack) could not be reached",
    },
  );
  for (const command of [
    demoCommand(),
    localCommand(),
    emulatorCommand(),
    sendCommand(),
    importCommand(),
    redriveCommand(),
    validateRulesCommand(),
    statusCommand(),
    reconcileCommand(),
    approveCommand(),
    syncCommand(),
  ]) {
    program.addCommand(command.showHelpAfterError());
  }
  return program;
}
