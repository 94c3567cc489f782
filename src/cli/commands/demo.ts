import { Command, InvalidArgumentError } from "commander";
import { type AgentRow, type DemoSummary, runDemo } from "../../local/demo";
import { EXIT, USAGE_MEANING, withExitCodes } from "../exit";
import { outcomeText } from "../outcome-text";
import { action, colour, printJson, printTable } from "../output";

const positive = (value: string) => {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError("must be a number above 0");
  return n;
};

export function demoCommand(): Command {
  const command = new Command("demo")
    .description(
      "Watch HR events become Connect agents on this machine, then a reconciliation repair drift (npm start)",
    )
    .option(
      "--rps <n>",
      "one emulated Connect quota shared by every operation, requests per second (default: Connect's own quota per operation)",
      positive,
    )
    .option("--burst <n>", "that shared quota's burst (default 5)", positive)
    .option("--json", "print only the summary and the agents as one JSON object")
    .action(
      action(async (flags: { rps?: number; burst?: number; json?: boolean }) => {
        const say = (line: string) => {
          if (!flags.json) process.stdout.write(`${line}\n`);
        };
        const { summary, agents } = await runDemo(
          {
            say,
            progress: (outcome, phase) =>
              say(`   ${phase === "reconcile" ? "repair: " : ""}${outcomeText(outcome)}`),
          },
          flags.rps === undefined && flags.burst === undefined
            ? {}
            : { quota: { rps: flags.rps ?? 2, burst: flags.burst ?? 5 } },
        );
        if (flags.json) {
          printJson({ summary, agents });
        } else printDemoResult(summary, agents);
        return summary.converged ? EXIT.ok : EXIT.failed;
      }),
    );
  return withExitCodes(command, {
    [EXIT.ok]: "the story ran and Connect matches HR",
    [EXIT.failed]: "Connect does not match HR at the end",
    [EXIT.usage]: USAGE_MEANING,
  });
}

/** The end of the story for people: the agents as Connect holds them, what happened, and whether Connect matches HR. */
export function printDemoResult(summary: DemoSummary, agents: readonly AgentRow[]): void {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say("");
  printTable(
    ["user name", "routing profile", "security profiles", "hierarchy", "status"],
    agents.map((a) => [a.username, a.routingProfile, a.securityProfiles, a.hierarchy, a.status]),
  );
  say(
    `created ${summary.created}, updated ${summary.updated}, deleted ${summary.deleted}, ` +
      `disabled ${summary.disabled}, re-enabled ${summary.reEnabled}, ` +
      `duplicates skipped ${summary.duplicatesSkipped}, stale ignored ${summary.staleIgnored}, ` +
      `refused ${summary.refused}, drift repaired ${summary.driftRepaired} ` +
      `(${(summary.durationMs / 1000).toFixed(1)} s)`,
  );
  say(
    summary.converged
      ? colour.green("Connect matches HR.")
      : colour.red(`Connect does NOT match HR: ${JSON.stringify(summary.remainingDrift)}`),
  );
}
