"use strict";

const { readFileSync } = require("node:fs");
const { join, resolve } = require("node:path");
const { require: tsxRequire } = require("tsx/cjs/api");

/**
 * What the rosters file (`rostersFile`, docs/deploy.md "HR rosters") lets the
 * reconciliation read, for the IAM statements in serverless.yml:
 *
 *   ${file(scripts/stack/rosters.cjs):grants}
 *
 * answers { hasReads, statements, packagePattern }. Each S3 roster's bucket
 * may be listed under its prefix only and only objects under that prefix
 * read; each secret an HTTPS roster names may be read; nothing else. The file is read with the parser the function uses: an
 * invalid one stops the packaging, as it would stop every run.
 */

const ROOT = join(__dirname, "..", "..");
/** `${AWS::Partition}` and the like, for Fn::Sub. */
const pseudo = (name) => `\${AWS::${name}}`;
const PARTITION = pseudo("Partition");
const REGION_ACCOUNT = `${pseudo("Region")}:${pseudo("AccountId")}`;
/** A statement in the branch CloudFormation drops (the condition says there is nothing to grant). */
const UNUSED = { Effect: "Deny", Action: "s3:GetObject", Resource: "*" };

let cached;

async function grants(resolveVariable) {
  const [rostersFile, store] = await Promise.all([
    resolveVariable("param:rostersFile"),
    resolveVariable("param:secretStore"),
  ]);
  cached ??= load(String(rostersFile ?? ""), String(store));
  return cached;
}

function load(rostersFile, store) {
  if (rostersFile === "") return describe([], [], "");
  const { parseRostersFile } = tsxRequire(join(ROOT, "src/domain/roster-settings.ts"), __filename);
  let text;
  try {
    text = readFileSync(resolve(ROOT, rostersFile), "utf8");
  } catch (error) {
    throw new Error(`rostersFile ${rostersFile} cannot be read: ${error.code ?? error}`);
  }
  const rosters = Object.entries(parseRostersFile(text, rostersFile));
  const s3 = rosters.filter(([, r]) => r.kind === "s3").map(([, r]) => r);
  const secrets = rosters
    .filter(([, r]) => r.kind === "https" && r.auth.type !== "none")
    .map(([source, r]) => secretResource(r.auth.secret, `rosters.${source}.auth.secret`, store));
  return describe(s3, secrets, rostersFile);
}

/** The ARN a secret reference names (`secretsmanager:`, `ssm:`, an ARN); `env:` is for local mode only. */
function secretResource(ref, at, store) {
  if (ref.startsWith("arn:")) return ref;
  const [kind, ...rest] = ref.split(":");
  const name = rest.join(":");
  if (kind === "secretsmanager")
    return { "Fn::Sub": `arn:${PARTITION}:secretsmanager:${REGION_ACCOUNT}:secret:${name}-??????` };
  if (kind === "ssm")
    return {
      "Fn::Sub": `arn:${PARTITION}:ssm:${REGION_ACCOUNT}:parameter/${name.replace(/^\//, "")}`,
    };
  throw new Error(
    `${at} is ${ref}: env: secrets are for local mode only; name a Secrets Manager secret or an SSM parameter (secretStore is ${store})`,
  );
}

function describe(s3, secrets, rostersFile) {
  const statements = [];
  // One statement per bucket: a bucket is listed under its own rosters' prefixes only (a roster
  // without a prefix is the whole bucket's newest object, so it lists the whole bucket).
  for (const bucket of [...new Set(s3.map((r) => r.bucket))]) {
    const prefixes = s3.filter((r) => r.bucket === bucket).map((r) => r.prefix);
    statements.push({
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: { "Fn::Sub": `arn:${PARTITION}:s3:::${bucket}` },
      ...(prefixes.includes("")
        ? {}
        : { Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } } }),
    });
  }
  if (s3.length > 0)
    statements.push({
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: s3.map((r) => ({ "Fn::Sub": `arn:${PARTITION}:s3:::${r.bucket}/${r.prefix}*` })),
    });
  for (const [action, service] of [
    ["secretsmanager:GetSecretValue", ":secretsmanager:"],
    ["ssm:GetParameter", ":ssm:"],
  ]) {
    const resources = secrets.filter((s) => arnText(s).includes(service));
    if (resources.length > 0)
      statements.push({ Effect: "Allow", Action: action, Resource: resources });
  }
  return {
    hasReads: String(statements.length > 0),
    // Never granted when hasReads is false: the condition drops the policy that holds it.
    statements: statements.length > 0 ? statements : [UNUSED],
    // In the zip as the record of what was bundled (the function reads its bundled copy);
    // with none, the rules file stands in.
    packagePattern: rostersFile || "config/sync-rules.yaml",
  };
}

const arnText = (resource) => (typeof resource === "string" ? resource : resource["Fn::Sub"]);

module.exports = {
  load,
  grants: async ({ resolveVariable }) => grants(resolveVariable),
};
