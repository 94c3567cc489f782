import { Command } from "commander";
import { emulatorCommand } from "./commands/emulator";

const program = new Command()
  .name("connect-hr-sync")
  .description("Keeps Amazon Connect agent accounts in step with the HR system of record.")
  .showHelpAfterError();

program.addCommand(emulatorCommand());

await program.parseAsync(process.argv);
