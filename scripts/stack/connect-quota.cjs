"use strict";

/**
 * How the Amazon Connect quota is shared, for serverless.yml:
 *
 *   ${file(scripts/stack/connect-quota.cjs):workerConcurrency}   SQS maximumConcurrency
 *   ${file(scripts/stack/connect-quota.cjs):callerRps}           CONNECT_RPS of each caller
 *   ${file(scripts/stack/connect-quota.cjs):callerBurst}         CONNECT_BURST of each caller
 *
 * The user operations share one rate (connectQuotaRps) and burst
 * (connectQuotaBurst) per account and Region. The callers are the
 * workerConcurrency sync-workers plus the reconcile function; each paces
 * itself to an equal share, rounded down, so that all of them together stay
 * at or under the quota. Bad values stop `serverless package` with a
 * message that names the parameter.
 */

/** The largest number with at most two decimals that is not above value. */
const floor2 = (value) => Math.floor(value * 100 + 1e-9) / 100;

function shareQuota({ quotaRps, quotaBurst, workerConcurrency }) {
  if (!Number.isFinite(quotaRps) || quotaRps <= 0)
    throw new Error(`connectQuotaRps must be a positive number of requests a second`);
  if (!Number.isInteger(quotaBurst) || quotaBurst < 1)
    throw new Error(`connectQuotaBurst must be a whole number of at least 1`);
  if (!Number.isInteger(workerConcurrency) || workerConcurrency < 2 || workerConcurrency > 1000)
    throw new Error(
      `workerConcurrency must be a whole number from 2 to 1000 (the range of an SQS event source's maximum concurrency)`,
    );
  const callers = workerConcurrency + 1;
  const rps = floor2(quotaRps / callers);
  const burst = Math.floor(quotaBurst / callers);
  if (rps < 0.01)
    throw new Error(
      `connectQuotaRps ${quotaRps} shared by ${callers} callers (workerConcurrency ${workerConcurrency} + reconcile) leaves less than 0.01 requests a second each`,
    );
  if (burst < 1)
    throw new Error(
      `connectQuotaBurst ${quotaBurst} shared by ${callers} callers (workerConcurrency ${workerConcurrency} + reconcile) leaves less than one request each: lower workerConcurrency`,
    );
  return { callers, rps, burst, workerConcurrency };
}

async function fromParams(resolveVariable) {
  const number = async (name) => Number(await resolveVariable(`param:${name}`));
  return shareQuota({
    quotaRps: await number("connectQuotaRps"),
    quotaBurst: await number("connectQuotaBurst"),
    workerConcurrency: await number("workerConcurrency"),
  });
}

module.exports = {
  shareQuota,
  workerConcurrency: async ({ resolveVariable }) =>
    (await fromParams(resolveVariable)).workerConcurrency,
  callerRps: async ({ resolveVariable }) => String((await fromParams(resolveVariable)).rps),
  callerBurst: async ({ resolveVariable }) => String((await fromParams(resolveVariable)).burst),
};
