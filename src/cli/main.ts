import { Command } from "commander";

const program = new Command()
  .name("connect-hr-sync")
  .description("Keeps Amazon Connect agent accounts in step with the HR system of record.")
  .showHelpAfterError();

await program.parseAsync(process.argv);
