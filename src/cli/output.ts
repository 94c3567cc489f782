import { Presets, SingleBar } from "cli-progress";
import Table from "cli-table3";
import pc from "picocolors";
import { RulesFileError } from "../domain/rules";
import { ConfigError } from "../runtime/config";

/** Exit codes every command uses; scripts rely on them. */
export const EXIT = {
  ok: 0,
  /** The command ran and the outcome is bad: refused, not converged, problems found. */
  failed: 1,
  /** Bad arguments, a bad rules or seed file, missing configuration. */
  usage: 2,
  /** An endpoint (AWS or a local stand-in) could not be reached. */
  unreachable: 3,
} as const;

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
  if (error instanceof ConfigError || error instanceof RulesFileError) {
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

export function printTable(head: string[], rows: (string | number)[][]): void {
  const table = new Table({
    head: head.map((h) => pc.bold(h)),
    style: { head: [], border: [], compact: true },
  });
  table.push(...rows.map((row) => row.map(String)));
  process.stdout.write(`${table.toString()}\n`);
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
