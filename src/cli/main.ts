import { Command } from "commander";
import { demoCommand } from "./commands/demo";
import { emulatorCommand } from "./commands/emulator";
import { localCommand } from "./commands/local";
import { approveCommand, reconcileCommand } from "./commands/reconcile";
import { sendCommand } from "./commands/send";
import { syncCommand } from "./commands/sync";

const program = new Command()
  .name("connect-hr-sync")
  .description("Keeps Amazon Connect agent accounts in step with the HR system of record.")
  .showHelpAfterError();

program.addCommand(demoCommand());
program.addCommand(localCommand());
program.addCommand(emulatorCommand());
program.addCommand(sendCommand());
program.addCommand(reconcileCommand());
program.addCommand(approveCommand());
program.addCommand(syncCommand());

await program.parseAsync(process.argv);
