import { Command } from "commander";
import { emulatorCommand } from "./commands/emulator";
import { sendCommand } from "./commands/send";

const program = new Command()
  .name("connect-hr-sync")
  .description("Keeps Amazon Connect agent accounts in step with the HR system of record.")
  .showHelpAfterError();

program.addCommand(emulatorCommand());
program.addCommand(sendCommand());

await program.parseAsync(process.argv);
