import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
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
  cleanUp(): Promise<void>;
}

/** Copies the service, without credentials in reach: no AWS_* variables, an empty HOME. */
async function copyService(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), "connect-hr-sync-stack-"));
  const serviceDir = join(dir, "service");
  await mkdir(serviceDir);
  for (const entry of await readdir(ROOT)) {
    if (entry.startsWith(".") || SKIPPED.has(entry)) continue;
    await cp(join(ROOT, entry), join(serviceDir, entry), { recursive: true });
  }
  await symlink(join(ROOT, "node_modules"), join(serviceDir, "node_modules"), "dir");
  const home = join(dir, "home");
  await mkdir(home);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    SLS_TELEMETRY_DISABLED: "1",
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
export async function packageStack(args: string[] = []): Promise<PackagedStack> {
  const { dir, env } = await copyService();
  const serviceDir = join(dir, "service");
  const packageDir = join(dir, "package");
  await run(["package", "--package", packageDir, ...args], serviceDir, env);
  const template = JSON.parse(
    await readFile(join(packageDir, "cloudformation-template-update-stack.json"), "utf8"),
  ) as Template;
  return {
    template,
    serviceDir,
    packageDir,
    cleanUp: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs `serverless package` expecting it to fail; answers what it printed. */
export async function packageFailure(args: string[]): Promise<string> {
  const { dir, env } = await copyService();
  try {
    await run(["package", "--package", join(dir, "package"), ...args], join(dir, "service"), env);
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return `${stdout}\n${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  throw new Error(`serverless package ${args.join(" ")} succeeded`);
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
