/**
 * `connect-hr-sync validate-rules`: checks a sync rules file before the
 * worker meets it. The file must parse; rules that can never decide anything
 * are findings; every routing profile, security profile and hierarchy path
 * it names must exist in the Connect instance (with a did-you-mean when not).
 *
 * Exit codes: 0 rules OK; 1 findings; 2 the file is invalid or
 * CONNECT_INSTANCE_ID is not set (use --offline), or the instance does not
 * exist; 3 Connect could not be reached.
 */
import { Command } from "commander";
import * as z from "zod";
import { ConnectPermanentError, ConnectTransientError } from "../../connect/errors";
import type { NameResolver } from "../../connect/resolver";
import { RulesFileError, type SyncRules } from "../../domain/rules";
import { type NamedReference, namesInRules, unreachableRules } from "../../domain/rules-analysis";
import { connectEnv, connectSettings, loadRulesFile, parseEnv } from "../../runtime/config";
import { connectAdapters } from "../../runtime/connect-adapters";
import { clientsFor, type TargetOptions, targetEnv } from "../context";
import { EXIT, USAGE_MEANING, withExitCodes } from "../exit";
import { action, CliError, colour, printJson, printTable, progressBar } from "../output";

export interface ValidateRulesFlags extends TargetOptions {
  json?: boolean;
  offline?: boolean;
}

export type RulesFinding =
  | { kind: "unreachable-rule"; path: string; name: string; message: string }
  | {
      kind: "unknown-name";
      nameKind: NamedReference["kind"];
      path: string;
      name: string;
      message: string;
      suggestion?: string;
    };

export interface RulesReport {
  rulesFile: string;
  /** The instance the names were checked against; null with --offline. */
  instanceId: string | null;
  offline: boolean;
  ok: boolean;
  checked: { rules: number; names: number };
  findings: RulesFinding[];
}

/** The settings the Connect calls of this command read; fewer attempts than the worker, for a quick answer. */
const connectEnvSchema = z.object(connectEnv);
const CLI_CONNECT_MAX_ATTEMPTS = "3";

const CONNECTION_ERRORS =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|TimeoutError/;

export function validateRulesCommand(): Command {
  const command = new Command("validate-rules")
    .description(
      "Check a sync rules file: it parses, every rule can match, every name exists in the Connect instance",
    )
    .option("--rules <file>", "sync rules file (default SYNC_RULES_FILE or config/sync-rules.yaml)")
    .option("--offline", "check the file and its rules only, without the Connect instance")
    .option("--json", "print one JSON object instead of text")
    .option("--stage <name>", "deployment stage (default dev)")
    .addHelpText(
      "after",
      "\nNeeds CONNECT_INSTANCE_ID (and AWS credentials, or AWS_ENDPOINT_URL_CONNECT for the emulator) unless --offline.",
    )
    .action(action((flags: ValidateRulesFlags) => runValidateRules(flags)));
  return withExitCodes(command, {
    [EXIT.ok]: "the rules are OK",
    [EXIT.failed]: "findings: unknown names, rules that can never decide anything",
    [EXIT.usage]: `${USAGE_MEANING} (an invalid rules file, no CONNECT_INSTANCE_ID, no such instance)`,
    [EXIT.unreachable]: "Connect could not be reached",
  });
}

/** The command without commander: answers the exit code, throws what `action` explains. */
export async function runValidateRules(
  flags: ValidateRulesFlags,
  base: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const env = await targetEnv({ stage: flags.stage, rules: flags.rules }, base);
  const rulesFile = env.SYNC_RULES_FILE ?? "config/sync-rules.yaml";
  let rules: SyncRules;
  try {
    rules = loadRulesFile(rulesFile);
  } catch (error) {
    if (flags.json && error instanceof RulesFileError)
      printJson({ rulesFile, ok: false, invalid: true, problems: error.problems });
    throw error;
  }

  const findings: RulesFinding[] = unreachableRules(rules).map((rule) => ({
    kind: "unreachable-rule",
    path: `rules[${rule.index}]`,
    name: rule.name,
    message: `rule "${rule.name}" can never decide anything: ${rule.reason}`,
  }));
  const names = namesInRules(rules);
  let instanceId: string | null = null;
  if (!flags.offline) {
    if (!env.CONNECT_INSTANCE_ID?.trim()) {
      throw new CliError(
        "CONNECT_INSTANCE_ID is not set: it names the Connect instance to check the rules' names against " +
          "(`connect-hr-sync local` prints it for the emulator). To check the file alone, add --offline.",
        EXIT.usage,
      );
    }
    const settings = connectSettings(
      parseEnv(connectEnvSchema, {
        ...env,
        CONNECT_MAX_ATTEMPTS: env.CONNECT_MAX_ATTEMPTS ?? CLI_CONNECT_MAX_ATTEMPTS,
      }),
    );
    instanceId = settings.instanceId;
    const clients = clientsFor(env);
    try {
      const { names: resolver } = connectAdapters(settings, clients.connect, clients.documents);
      findings.push(
        ...(await unknownNames(resolver, names, !flags.json).catch((error: unknown) => {
          throw connectProblem(error, settings.instanceId, env);
        })),
      );
    } finally {
      clients.close();
    }
  }

  const report: RulesReport = {
    rulesFile,
    instanceId,
    offline: flags.offline === true,
    ok: findings.length === 0,
    checked: { rules: rules.rules.length, names: flags.offline ? 0 : names.length },
    findings,
  };
  if (flags.json) printJson(report);
  else printRulesReport(report, rules);
  return report.ok ? EXIT.ok : EXIT.failed;
}

/** Every name the instance cannot resolve, each occurrence with its path; each name asked once. */
async function unknownNames(
  resolver: NameResolver,
  names: NamedReference[],
  showProgress: boolean,
): Promise<RulesFinding[]> {
  const asked = new Map<string, ReturnType<NameResolver["problemFor"]>>();
  const bar = progressBar(showProgress ? names.length : 0, "checking names");
  const findings: RulesFinding[] = [];
  try {
    for (const ref of names) {
      const key = `${ref.kind}\u0000${ref.name}`;
      let answer = asked.get(key);
      if (!answer) {
        answer = resolver.problemFor(ref.kind, ref.name);
        asked.set(key, answer);
      }
      const problem = await answer;
      bar.tick();
      if (!problem) continue;
      findings.push({
        kind: "unknown-name",
        nameKind: ref.kind,
        path: ref.path,
        name: ref.name,
        message: problem.problem,
        ...(problem.suggestion ? { suggestion: problem.suggestion } : {}),
      });
    }
  } finally {
    bar.stop();
  }
  return findings;
}

/** A Connect failure as an operator reads it: where it could not reach, or which setting is wrong. */
function connectProblem(error: unknown, instanceId: string, env: NodeJS.ProcessEnv): unknown {
  const cause = (error as { cause?: unknown }).cause;
  const where =
    env.AWS_ENDPOINT_URL_CONNECT ??
    env.AWS_ENDPOINT_URL ??
    `Amazon Connect in ${env.AWS_REGION ?? "the Region"}`;
  if (error instanceof ConnectTransientError) {
    const code = (cause as { code?: string } | undefined)?.code ?? error.errorName;
    if (CONNECTION_ERRORS.test(`${code} ${error.errorName}`)) {
      return new CliError(
        `cannot reach ${where} (${code}). Is \`connect-hr-sync local\` running and its environment exported, or are AWS credentials and Region set?`,
        EXIT.unreachable,
      );
    }
    return new CliError(`Connect kept failing: ${error.message}`, EXIT.failed);
  }
  if (error instanceof ConnectPermanentError) {
    if (error.errorName === "ResourceNotFoundException")
      return new CliError(
        `the Connect instance ${instanceId} does not exist at ${where}: check CONNECT_INSTANCE_ID`,
        EXIT.usage,
      );
    return new CliError(`Connect refused ${error.operation}: ${error.errorName}`, EXIT.failed);
  }
  return error;
}

/** `rules[4].set.x` as `rules["team-leads"].set.x`: a person knows a rule by its name. */
function namedPath(path: string, rules: SyncRules): string {
  return path.replace(/^rules\[(\d+)\]/, (whole, index: string) => {
    const name = rules.rules[Number(index)]?.name;
    return name ? `rules[${JSON.stringify(name)}]` : whole;
  });
}

export function printRulesReport(report: RulesReport, rules: SyncRules): void {
  const write = (text: string) => process.stdout.write(`${text}\n`);
  const against = report.offline
    ? "names not checked (--offline)"
    : `${report.checked.names} name(s) checked against instance ${report.instanceId}`;
  write(`${colour.bold(report.rulesFile)}: ${report.checked.rules} rule(s); ${against}`);
  if (report.ok) {
    write(`${colour.green("✓ rules OK")}`);
    return;
  }
  printTable(
    ["where", "finding"],
    report.findings.map((f) => [namedPath(f.path, rules), f.message]),
  );
  write(colour.red(`${report.findings.length} finding(s)`));
}
