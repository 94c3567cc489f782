"use strict";

const { readFileSync } = require("node:fs");
const { join, resolve } = require("node:path");
const { require: tsxRequire } = require("tsx/cjs/api");

/**
 * The tag keys the sync-worker may put on Connect users and remove from
 * them, for the IAM conditions in serverless.yml:
 *
 *   ${file(scripts/stack/service-tags.cjs):createUserTagKeys}   CreateUser's aws:TagKeys
 *   ${file(scripts/stack/service-tags.cjs):tagResourceTagKeys}  TagResource's aws:TagKeys
 *   ${file(scripts/stack/service-tags.cjs):untagResourceTagKeys} UntagResource's aws:TagKeys
 *
 * The service's own keys (managed, employee id, source) come from
 * src/domain/managed.ts (SERVICE_TAG_KEYS), the rules' extra
 * `tags` from the rules file that is packaged with the functions
 * (`rulesFile`), read with the same parser the functions use: the stack and
 * the code cannot disagree, and an invalid rules file stops the packaging.
 */

const ROOT = join(__dirname, "..", "..");

let cached;

async function serviceTags(resolveVariable) {
  const rulesFile = await resolveVariable("param:rulesFile");
  cached ??= load(String(rulesFile));
  return cached;
}

function load(rulesFile) {
  const { parseSyncRules } = tsxRequire(join(ROOT, "src/domain/rules.ts"), __filename);
  const { SERVICE_TAG_KEYS, DISABLED_TAG } = tsxRequire(
    join(ROOT, "src/domain/managed.ts"),
    __filename,
  );
  let text;
  try {
    text = readFileSync(resolve(ROOT, rulesFile), "utf8");
  } catch (error) {
    throw new Error(`rulesFile ${rulesFile} cannot be read: ${error.code ?? error}`);
  }
  const rules = parseSyncRules(text, rulesFile);
  const ruleTags = Object.keys(rules.tags).sort();
  return {
    createUser: [...SERVICE_TAG_KEYS, ...ruleTags],
    tagResource: [...SERVICE_TAG_KEYS, DISABLED_TAG, ...ruleTags],
    untagResource: [DISABLED_TAG],
  };
}

module.exports = {
  createUserTagKeys: async ({ resolveVariable }) => (await serviceTags(resolveVariable)).createUser,
  tagResourceTagKeys: async ({ resolveVariable }) =>
    (await serviceTags(resolveVariable)).tagResource,
  untagResourceTagKeys: async ({ resolveVariable }) =>
    (await serviceTags(resolveVariable)).untagResource,
};
