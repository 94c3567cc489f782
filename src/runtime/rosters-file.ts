import { readFileSync } from "node:fs";
import { parseRostersFile, type RosterSettings } from "../domain/roster-settings";
import { ConfigError } from "./env-settings";

/**
 * Reads and checks the rosters file (ROSTERS_FILE), by HR source. As with the
 * rules file (rules-file.ts), a function bundle carries the file already
 * parsed and checked in place of this module.
 */
export function readRostersFile(path: string): Record<string, RosterSettings> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the rosters file ${path} (ROSTERS_FILE): ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseRostersFile(text, path);
}
