import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Runs `serverless package` the way CI does (offline, no AWS credentials)
 * on a copy of the service in a temporary directory, so that tests never
 * touch the working tree's .serverless or .esbuild and may run side by side.
 */

const ROOT = new URL("../..", import.meta.url).pathname;
const SERVERLESS = join(ROOT, "node_modules/osls/bin/serverless.js");
/** What the copy leaves out: nothing a Lambda bundle or serverless.yml reads. */
const SKIPPED = new Set(["node_modules", "coverage", "test", "bench"]);

export type Template = {
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
};
export type Resource = {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties: Record<string, unknown>;
};

export interface PackagedStack {
  template: Template;
  /** The copy of the service; its .esbuild/meta holds the bundles' metafiles. */
  serviceDir: string;
  /** Where the zips, the templates and serverless-state.json are. */
  packageDir: string;
  /** What `serverless package` printed (its warnings among it). */
  output: string;
  cleanUp(): Promise<void>;
}

export interface PackageOptions {
  /** Files to add to the copy of the service, by path inside it (e.g. a rules file). */
  files?: Record<string, string>;
}

/** Copies the service, without credentials in reach: no AWS_* variables, an empty HOME. */
async function copyService(
  files: Record<string, string> = {},
): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), "connect-hr-sync-stack-"));
  const serviceDir = join(dir, "service");
  await mkdir(serviceDir);
  for (const entry of await readdir(ROOT)) {
    if (entry.startsWith(".") || SKIPPED.has(entry)) continue;
    await cp(join(ROOT, entry), join(serviceDir, entry), { recursive: true });
  }
  await symlink(join(ROOT, "node_modules"), join(serviceDir, "node_modules"), "dir");
  for (const [path, text] of Object.entries(files)) await writeFile(join(serviceDir, path), text);
  const home = join(dir, "home");
  await mkdir(home);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    SLS_TELEMETRY_DISABLED: "1",
    // No credential source answers: a deploy that gets past the checks fails at once, offline.
    AWS_EC2_METADATA_DISABLED: "true",
  };
  return { dir, env };
}

async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return promisify(execFile)(process.execPath, [SERVERLESS, ...args], {
    cwd,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** `serverless package` with these options (e.g. `--stage prod --param instanceId=...`). */
export async function packageStack(
  args: string[] = [],
  options: PackageOptions = {},
): Promise<PackagedStack> {
  const { dir, env } = await copyService(options.files);
  const serviceDir = join(dir, "service");
  const packageDir = join(dir, "package");
  const { stdout, stderr } = await run(
    ["package", "--package", packageDir, ...args],
    serviceDir,
    env,
  );
  const template = JSON.parse(
    await readFile(join(packageDir, "cloudformation-template-update-stack.json"), "utf8"),
  ) as Template;
  return {
    template,
    serviceDir,
    packageDir,
    output: `${stdout}\n${stderr}`,
    cleanUp: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs `serverless package` expecting it to fail; answers what it printed. */
export function packageFailure(args: string[], options: PackageOptions = {}): Promise<string> {
  return failure(["package", "--package", "<dir>/package", ...args], options);
}

/**
 * Runs `serverless deploy` expecting it to fail; answers what it printed.
 * Without credentials nothing can reach AWS: a deploy fails either at the
 * stack's own checks or, past them, where osls first needs credentials.
 */
export function deployFailure(args: string[]): Promise<string> {
  return failure(["deploy", ...args], {});
}

async function failure(args: string[], options: PackageOptions): Promise<string> {
  const { dir, env } = await copyService(options.files);
  try {
    await run(
      args.map((a) => a.replace("<dir>", dir)),
      join(dir, "service"),
      env,
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return `${stdout}\n${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  throw new Error(`serverless ${args.join(" ")} succeeded`);
}

/** The template with every Fn::If decided by its Conditions and AWS::NoValue removed. */
export function decideConditions(template: Template): Template {
  const conditions = template.Conditions ?? {};
  const holds = (name: string): boolean => evaluate(conditions[name]);
  const evaluate = (expression: unknown): boolean => {
    const e = expression as { Condition?: string } & Record<string, unknown>;
    const args = (fn: string) => e[fn] as unknown[] | undefined;
    const [equals, not, and, or] = ["Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"].map(args);
    if (typeof e.Condition === "string") return holds(e.Condition);
    if (equals) return JSON.stringify(equals[0]) === JSON.stringify(equals[1]);
    if (not) return !evaluate(not[0]);
    if (and) return and.every(evaluate);
    if (or) return or.some(evaluate);
    throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
  };
  const NO_VALUE = Symbol("NoValue");
  const decide = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decide).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object.Ref === "AWS::NoValue") return NO_VALUE;
    if (Array.isArray(object["Fn::If"])) {
      const [name, yes, no] = object["Fn::If"] as [string, unknown, unknown];
      return decide(holds(name) ? yes : no);
    }
    const entries = Object.entries(object)
      .map(([k, v]) => [k, decide(v)] as const)
      .filter(([, v]) => v !== NO_VALUE);
    return Object.fromEntries(entries);
  };
  const resources = Object.fromEntries(
    Object.entries(template.Resources).filter(([, r]) => !r.Condition || holds(r.Condition)),
  );
  return { ...template, Resources: decide(resources) as Template["Resources"] };
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

/** Every IAM statement in the template, wherever it is (roles, managed policies, both branches of an Fn::If). */
export function allStatements(value: unknown): Statement[] {
  if (Array.isArray(value)) return value.flatMap(allStatements);
  if (value === null || typeof value !== "object") return [];
  const object = value as Record<string, unknown>;
  const own = "Effect" in object && ("Action" in object || "NotAction" in object);
  return [
    ...(own ? [object as unknown as Statement] : []),
    ...Object.values(object).flatMap(allStatements),
  ];
}

/** The statements of one role's inline policies. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (role?.Type !== "AWS::IAM::Role") throw new Error(`${roleId} is not a role`);
  const policies = role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** The actions a role may take on one resource (a logical id of Fn::GetAtt [id, Arn]). */
export function actionsOn(statements: Statement[], logicalId: string): string[] {
  return statements
    .filter((s) =>
      resourcesOf(s).some(
        (r) => JSON.stringify(r) === JSON.stringify({ "Fn::GetAtt": [logicalId, "Arn"] }),
      ),
    )
    .flatMap(actionsOf)
    .sort();
}

export function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The one resource of this logical id, or a readable failure. */
export function resource(template: Template, logicalId: string): Resource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`the template has no ${logicalId}`);
  return found;
}
