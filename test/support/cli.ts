import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

const ROOT = new URL("../../", import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `connect-hr-sync ARGS` as a user would, to completion. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/connect-hr-sync.mjs", ...args],
      { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: "1", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
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
  const child = spawn(process.execPath, ["bin/connect-hr-sync.mjs", ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: "1", ...env },
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
