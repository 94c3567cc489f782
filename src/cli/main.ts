import { Command } from "commander";
import { demoCommand } from "./commands/demo";
import { emulatorCommand } from "./commands/emulator";
import { importCommand } from "./commands/import";
import { localCommand } from "./commands/local";
import { approveCommand, reconcileCommand } from "./commands/reconcile";
import { redriveCommand } from "./commands/redrive";
import { sendCommand } from "./commands/send";
import { statusCommand } from "./commands/status";
import { syncCommand } from "./commands/sync";
import { validateRulesCommand } from "./commands/validate-rules";

const program = new Command()
  .name("connect-hr-sync")
  .description("Keeps Amazon Connect agent accounts in step with the HR system of record.")
  .showHelpAfterError();

program.addCommand(demoCommand());
program.addCommand(localCommand());
program.addCommand(emulatorCommand());
program.addCommand(sendCommand());
program.addCommand(importCommand());
program.addCommand(redriveCommand());
program.addCommand(validateRulesCommand());
program.addCommand(statusCommand());
program.addCommand(reconcileCommand());
program.addCommand(approveCommand());
program.addCommand(syncCommand());

await program.parseAsync(process.argv);
