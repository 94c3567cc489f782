import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import type { Command, CommanderError } from "commander";
import { vi } from "vitest";
import { usageExitCode } from "../../src/cli/exit";
import { explain } from "../../src/cli/output";

const CLI = new URL("../../bin/connect-hr-sync.mjs", import.meta.url).pathname;

/** What a command printed and the exit code it set. */
export interface CommandRun {
  code: number;
  out: string;
  err: string;
  /** stdout parsed as the one JSON object `--json` prints. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `node bin/connect-hr-sync.mjs ...args` as users do, to completion; never rejects. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, NODE_NO_WARNINGS: "1", NO_COLOR: "1", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, out: stdout, err: stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}

/** Captures what runs in this process writes to stdout and stderr. */
async function capture(run: () => Promise<number>): Promise<CommandRun> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await run();
    return { code, out, err, json: () => JSON.parse(out) };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/**
 * Runs a command's core in this process as its `action()` wrapper would:
 * a thrown error explained into a message and an exit code.
 */
export function runInProcess(run: () => Promise<number | undefined>): Promise<CommandRun> {
  return capture(async () => {
    try {
      return (await run()) ?? 0;
    } catch (error) {
      const explained = explain(error);
      process.stderr.write(`error ${explained.message}\n`);
      return explained.exitCode;
    }
  });
}

/**
 * Runs a whole command (options, action, exit code) in this process, with
 * `env` as its environment: cheaper than a process for error paths.
 */
export function runCommand(
  command: Command,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandRun> {
  return capture(async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    process.exitCode = undefined;
    // Commander's usage errors throw instead of ending the process, in every subcommand too.
    const throwing = (c: Command): void => {
      c.exitOverride();
      for (const sub of c.commands) throwing(sub);
    };
    throwing(command);
    try {
      await command.parseAsync(args, { from: "user" });
      return Number(process.exitCode ?? 0);
    } catch (error) {
      // It has printed the message; the process would exit with the code the command's own override gives.
      return usageExitCode(error as CommanderError);
    } finally {
      process.env = saved;
      process.exitCode = undefined;
    }
  });
}

/** Starts a long-running command; resolves with its first line of output and a reader for the next ones. */
export async function startCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{
  child: ChildProcessWithoutNullStreams;
  firstLine: string;
  lines: { next(): Promise<string> };
}> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NODE_NO_WARNINGS: "1", NO_COLOR: "1", ...env },
  });
  const reader = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const exited = once(child, "exit").then(([code]) => {
      throw new Error(`connect-hr-sync ${args.join(" ")} exited with ${code}`);
    });
    const line = await Promise.race([reader.next(), exited]);
    if (line.done) throw new Error(`connect-hr-sync ${args.join(" ")} closed its output`);
    return line.value;
  };
  return { child, firstLine: await next(), lines: { next } };
}

/** Stops a long-running command and waits for it to exit. */
export async function stopCli(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}

/** A loopback URL where nothing listens. */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
