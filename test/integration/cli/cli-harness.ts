import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { vi } from "vitest";
import { explain } from "../../../src/cli/output";

/** What a command printed and the exit code it set. */
export interface CommandRun {
  code: number;
  out: string;
  err: string;
  /** stdout parsed as the one JSON object `--json` prints. */
  json<T = Record<string, unknown>>(): T;
}

const CLI = new URL("../../../bin/connect-hr-sync.mjs", import.meta.url).pathname;

/**
 * Runs a command's core in this process as its `action()` wrapper would:
 * stdout and stderr captured, a thrown error explained into a message and an
 * exit code.
 */
export async function runInProcess(run: () => Promise<number | undefined>): Promise<CommandRun> {
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
  let code: number;
  try {
    code = (await run()) ?? 0;
  } catch (error) {
    const explained = explain(error);
    err += `error ${explained.message}\n`;
    code = explained.exitCode;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return { code, out, err, json: () => JSON.parse(out) };
}

/** Runs `node bin/connect-hr-sync.mjs ...args` as users do; never rejects. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CommandRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env, NO_COLOR: "1" }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, out: stdout, err: stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}

/** A loopback URL where nothing listens. */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
