"use strict";

/**
 * The Amazon Connect quota parameters, checked for serverless.yml:
 *
 *   ${file(scripts/stack/connect-quota.cjs):quotas}              CONNECT_QUOTAS of each caller
 *   ${file(scripts/stack/connect-quota.cjs):share}               CONNECT_QUOTA_SHARE of each caller
 *   ${file(scripts/stack/connect-quota.cjs):workerConcurrency}   SQS maximumConcurrency
 *
 * Connect throttles each operation on its own, per account and Region. Every
 * caller (the sync-workers and the reconcile function) draws from one budget
 * per operation kept in the ConnectBudgetTable, so nothing is split ahead:
 * connectQuotas names the operations whose quota differs from the documented
 * default (src/connect/quotas.ts), connectQuotaShare the fraction the service
 * may use. Bad values stop `serverless package` with a message that names the
 * parameter. docs/deploy.md, "Connect quotas".
 */

const { readFileSync } = require("node:fs");
const { join } = require("node:path");

/** The operations of our extract of the Connect model: the names a quota may be given for. */
const OPERATIONS = Object.keys(
  JSON.parse(readFileSync(join(__dirname, "../../src/connect/model/connect-user-ops.json"), "utf8"))
    .operations,
);

function checkQuotas(spec) {
  const items = String(spec)
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  const seen = new Set();
  for (const item of items) {
    const match = /^([A-Za-z]+)\s*=\s*([^/\s]+)(?:\s*\/\s*(\S+))?$/.exec(item);
    if (!match)
      throw new Error(`connectQuotas: "${item}" must look like CreateUser=2/5 (rate/burst)`);
    const [, name, rate, burst] = match;
    if (!OPERATIONS.includes(name))
      throw new Error(
        `connectQuotas: unknown operation "${name}" (known: ${OPERATIONS.join(", ")})`,
      );
    if (seen.has(name)) throw new Error(`connectQuotas: ${name} is given twice`);
    seen.add(name);
    if (!(Number(rate) > 0)) throw new Error(`connectQuotas: ${name}'s rate must be a number > 0`);
    if (burst !== undefined && !(Number.isInteger(Number(burst)) && Number(burst) >= 1))
      throw new Error(`connectQuotas: ${name}'s burst must be a whole number >= 1`);
  }
  return items.join(",");
}

function connectQuota({ quotas, share, workerConcurrency }) {
  if (!Number.isFinite(share) || share <= 0 || share > 1)
    throw new Error(`connectQuotaShare must be a number above 0 and at most 1`);
  if (!Number.isInteger(workerConcurrency) || workerConcurrency < 2 || workerConcurrency > 1000)
    throw new Error(
      `workerConcurrency must be a whole number from 2 to 1000 (the range of an SQS event source's maximum concurrency)`,
    );
  return { quotas: checkQuotas(quotas), share, workerConcurrency };
}

async function fromParams(resolveVariable) {
  return connectQuota({
    quotas: (await resolveVariable("param:connectQuotas")) ?? "",
    share: Number(await resolveVariable("param:connectQuotaShare")),
    workerConcurrency: Number(await resolveVariable("param:workerConcurrency")),
  });
}

module.exports = {
  connectQuota,
  workerConcurrency: async ({ resolveVariable }) =>
    (await fromParams(resolveVariable)).workerConcurrency,
  quotas: async ({ resolveVariable }) => (await fromParams(resolveVariable)).quotas,
  share: async ({ resolveVariable }) => String((await fromParams(resolveVariable)).share),
};
