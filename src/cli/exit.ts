import type { Command, CommanderError } from "commander";

/** Exit codes every command uses; scripts rely on them. */
export const EXIT = {
  ok: 0,
  /** The command ran and something needs a person: refused, not converged, held, findings. */
  failed: 1,
  /** Bad arguments, a bad rules, seed or roster file, missing configuration. */
  usage: 2,
  /** An endpoint (AWS or a local stand-in) could not be reached. */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code a command can end with means for it, as its --help lists them. */
export type ExitCodeMeanings = Partial<Record<ExitCode, string>>;

/** Commander's own outcome as an exit code: help and --version exit 0, every usage error 2. */
export function usageExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
}

/** For `exitOverride`: ends the process with the code `usageExitCode` gives. */
export function usageExit(error: CommanderError): never {
  process.exit(usageExitCode(error));
}

/**
 * Makes a command exit with the shared codes on its own usage errors
 * (unknown option, bad value, missing or extra argument) and lists what
 * each code means for it at the end of its --help.
 */
export function withExitCodes(command: Command, meanings: ExitCodeMeanings): Command {
  const lines = (Object.entries(meanings) as [string, string][]).map(
    ([code, meaning]) => `  ${code}  ${meaning}`,
  );
  return command.exitOverride(usageExit).addHelpText("after", `\nExit codes:\n${lines.join("\n")}`);
}

/** The meanings most commands share; each command says what its own 0 and 1 are. */
export const USAGE_MEANING = "bad arguments, rules or configuration";
export const UNREACHABLE_MEANING = "an endpoint (AWS or the local stack) could not be reached";
