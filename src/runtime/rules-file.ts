import { parseSyncRules, type SyncRules } from "../domain/rules";
import { readSettingsFile } from "./env-settings";

/**
 * Reads and checks the rules file a function names (SYNC_RULES_FILE). A
 * function bundle does not carry this module: `serverless package` puts in
 * its place the rules file already parsed and checked (the files-ahead-of-time
 * plugin, scripts/stack/esbuild-plugins.cjs), so that a cold start neither
 * loads the YAML parser nor parses the file, and a broken rules file stops
 * the packaging instead of a function.
 */
export function loadRulesFile(path: string): SyncRules {
  return parseSyncRules(readSettingsFile(path, `the rules file ${path}`), path);
}
