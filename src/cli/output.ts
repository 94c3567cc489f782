import { Presets, SingleBar } from "cli-progress";
import pc from "picocolors";
import { UnknownNameError } from "../app/errors";
import { RostersFileError } from "../domain/roster-settings";
import { RulesFileError } from "../domain/rules";
import { RosterFileError } from "../hr/roster/parse";
import { QueueNotFoundError } from "../queue/queue-depth";
import { ConfigError } from "../runtime/config";
import { EXIT } from "./exit";
import { renderTable, terminalWidth } from "./table";

/** A failure the command explains itself; the message is printed as is, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = "CliError";
  }
}

const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|TimeoutError/;

/** Maps any error to a readable line and an exit code. */
export function explain(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  // The rules name what the instance lacks (a protected profile, a routing profile): configuration.
  if (
    error instanceof ConfigError ||
    error instanceof RulesFileError ||
    error instanceof RostersFileError ||
    error instanceof UnknownNameError ||
    error instanceof QueueNotFoundError ||
    error instanceof RosterFileError
  ) {
    return { message: error.message, exitCode: EXIT.usage };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: string }).code ?? "";
  if (UNREACHABLE.test(`${err.name} ${code} ${err.message}`)) {
    const host = (err as { hostname?: string }).hostname ?? (err as { address?: string }).address;
    return {
      message:
        `cannot reach ${host ?? "an endpoint"} (${code || err.name}). ` +
        "Is `connect-hr-sync local` running and its environment exported, or are AWS credentials and region set?",
      exitCode: EXIT.unreachable,
    };
  }
  if (err.name === "CredentialsProviderError" || err.name === "ExpiredTokenException") {
    return { message: `no usable AWS credentials: ${err.message}`, exitCode: EXIT.unreachable };
  }
  return { message: `${err.name}: ${err.message}`, exitCode: EXIT.failed };
}

/**
 * Runs a command's action: prints a readable message instead of a stack
 * trace and sets the exit code. The action answers its own exit code.
 */
export function action<A extends unknown[]>(run: (...args: A) => Promise<number | undefined>) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = (await run(...args)) ?? EXIT.ok;
    } catch (error) {
      const { message, exitCode } = explain(error);
      process.stderr.write(`${pc.red("error")} ${message}\n`);
      process.exitCode = exitCode;
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A table on stdout, fitted to the terminal's width. */
export function printTable(head: string[], rows: (string | number)[][]): void {
  process.stdout.write(`${renderTable(head, rows, terminalWidth())}\n`);
}

/** A progress bar on stderr for people; silent when stderr is not a terminal (pipes, CI, tests). */
export function progressBar(
  total: number,
  label: string,
): { tick(n?: number): void; stop(): void } {
  if (!process.stderr.isTTY || total === 0) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (n = 1) => bar.increment(n), stop: () => bar.stop() };
}

/** `pc` with colours only when stdout is a terminal (picocolors checks that itself). */
export const colour = pc;
