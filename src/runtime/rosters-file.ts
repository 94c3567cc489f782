import { parseRostersFile, type RosterSettings } from "../domain/roster-settings";
import { readSettingsFile } from "./env-settings";

/**
 * Reads and checks the rosters file (ROSTERS_FILE), by HR source. As with the
 * rules file (rules-file.ts), a function bundle carries the file already
 * parsed and checked in place of this module.
 */
export function readRostersFile(path: string): Record<string, RosterSettings> {
  return parseRostersFile(readSettingsFile(path, `the rosters file ${path} (ROSTERS_FILE)`), path);
}
