import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { PARTS, type Part } from "./bench-report";
import { markdown, summary } from "./report";
import { runBench } from "./run";

const USAGE = `usage: npm run bench -- [--json] [--no-write] [--rps N] [--burst N] [--workers N]
                        [--employees N] [--reconcile-users N] [--quota-scale N]
                        [--reorg-employees N] [--single-worker-moves N]
                        [--only drain,baselines,reorg,single-worker,reconcile,cold-start]

  --json                  one JSON object on stdout
  --no-write              leave BENCHMARKS.md as it is (written by default)
  --rps, --burst          the one shared bucket of the drain, baselines and reconcile parts
                          (default 50 requests/s, burst 100)
  --workers               concurrent sync-worker containers (default 4)
  --employees             employees in the drain's backlog, about 2.3 events each (default 900)
  --reconcile-users       managed users in the reconciliation (default 10000)
  --quota-scale           reorg and single-worker: Connect's per-operation quotas times this
                          (default 5: 10 writes/s of each operation, burst 25)
  --reorg-employees       employees in the reorganisation (default 150)
  --single-worker-moves   moves of each of the single-worker part's 3 employees (default 40)
  --only                  run only these parts`;

const BENCHMARKS_FILE = new URL("../../BENCHMARKS.md", import.meta.url);

function whole(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let options: Parameters<typeof runBench>[0];
  let json: boolean;
  let write: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean", default: false },
        "no-write": { type: "boolean", default: false },
        rps: { type: "string" },
        burst: { type: "string" },
        workers: { type: "string" },
        employees: { type: "string" },
        "reconcile-users": { type: "string" },
        "cold-start-repeats": { type: "string" },
        "quota-scale": { type: "string" },
        "reorg-employees": { type: "string" },
        "single-worker-moves": { type: "string" },
        only: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const parts = (values.only?.split(",").map((p) => p.trim()) ?? [...PARTS]) as Part[];
    const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
    if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(", ")}`);
    json = values.json;
    write = !values["no-write"];
    options = {
      seed: whole("--seed", values.seed, 8, 0),
      quota: { rps: whole("--rps", values.rps, 50), burst: whole("--burst", values.burst, 100) },
      workers: whole("--workers", values.workers, 4),
      employees: whole("--employees", values.employees, 900),
      reconcileUsers: whole("--reconcile-users", values["reconcile-users"], 10_000),
      coldStartRepeats: whole("--cold-start-repeats", values["cold-start-repeats"], 7),
      quotaScale: whole("--quota-scale", values["quota-scale"], 5),
      reorgEmployees: whole("--reorg-employees", values["reorg-employees"], 150),
      singleWorker: {
        employees: 3,
        moves: whole("--single-worker-moves", values["single-worker-moves"], 40),
      },
      parts,
      onProgress: json ? undefined : (step) => console.error(`… ${step}`),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  const command = ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" ");
  const report = await runBench(options, command);
  if (json) console.log(JSON.stringify(report));
  else console.log(summary(report).join("\n"));
  if (write) {
    await writeFile(BENCHMARKS_FILE, markdown(report));
    // Formatted as `npm run lint` expects (tables aligned); left as written if Biome is missing.
    const biome = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));
    await promisify(execFile)(biome, ["format", "--write", fileURLToPath(BENCHMARKS_FILE)]).catch(
      () => undefined,
    );
    if (!json) console.error("… written to BENCHMARKS.md");
  }
  return Object.values(report.targets).every((t) => t.holds) ? 0 : 1;
}
