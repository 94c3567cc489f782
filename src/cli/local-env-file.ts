import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * Where a running `connect-hr-sync local` leaves its environment for
 * `connect-hr-sync local --env` in another shell: one file per user, readable
 * by that user only (it holds the local signing secret), removed on exit.
 */
export function localEnvFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.CONNECT_HR_SYNC_LOCAL_FILE ?? join(tmpdir(), `connect-hr-sync-local-${userInfo().uid}.json`)
  );
}

interface LocalEnvRecord {
  pid: number;
  env: Record<string, string>;
}

export function writeLocalEnv(file: string, env: Record<string, string>): void {
  const record: LocalEnvRecord = { pid: process.pid, env };
  writeFileSync(file, JSON.stringify(record), { mode: 0o600 });
}

/** Removes the file when this process wrote it (a newer `local` may have taken it over). */
export function removeLocalEnv(file: string): void {
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as LocalEnvRecord;
    if (record.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // Gone already, or never written.
  }
}

/** The environment of the local stack that is running; undefined when none is. */
export function readLocalEnv(file: string): Record<string, string> | undefined {
  let record: LocalEnvRecord;
  try {
    record = JSON.parse(readFileSync(file, "utf8")) as LocalEnvRecord;
  } catch {
    return undefined;
  }
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    // EPERM: it runs, as someone else; ESRCH: it is gone and left the file behind.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return record.env;
}

/** `export NAME='value'` lines a POSIX shell can eval. */
export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replaceAll("'", `'\\''`)}'`)
    .join("\n");
}
