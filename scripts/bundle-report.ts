import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Prints each function's package size after `serverless package`. */
const dir = process.argv[2] ?? ".serverless";
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".zip"))
  .sort()) {
  const kib = statSync(join(dir, file)).size / 1024;
  console.log(`${file.replace(/\.zip$/, "").padEnd(16)} ${kib.toFixed(0).padStart(6)} KiB zipped`);
}
