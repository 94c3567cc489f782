"use strict";

/**
 * The Amazon Connect quota parameters, checked for serverless.yml:
 *
 *   ${file(scripts/stack/connect-quota.cjs):quotas}              CONNECT_QUOTAS of each caller
 *   ${file(scripts/stack/connect-quota.cjs):share}               CONNECT_QUOTA_SHARE of each caller
 *   ${file(scripts/stack/connect-quota.cjs):workerConcurrency}   SQS maximumConcurrency
 *   ${file(scripts/stack/connect-quota.cjs):recordReserveSeconds} WORKER_RECORD_RESERVE_SECONDS
 *   ${file(scripts/stack/connect-quota.cjs):batchSize}           the sync-worker's SQS batch size
 *
 * Connect throttles each operation on its own, per account and Region. Every
 * caller (the sync-workers and the reconcile function) draws from one budget
 * per operation kept in the ConnectBudgetTable, so nothing is split ahead:
 * connectQuotas names the operations whose quota differs from the documented
 * default (src/connect/quotas.ts), connectQuotaShare the fraction the service
 * may use. Bad values stop `serverless package` with a message that names the
 * parameter. docs/deploy.md, "Connect quotas".
 *
 * A batch and the clock: the sync-worker starts a record only while the time
 * left covers what one record can need at worst (recordReserveSeconds: its
 * Connect calls, each waiting behind every other caller for the slowest
 * operation's tokens, and one call's retries), and hands the rest back. Each
 * receive then moves an employee on by at least timeout / reserve records;
 * the batch size is that many times maxReceiveCount (at most 10), so that no
 * healthy message reaches the DLQ by running out of time. Settings where one
 * record may need more than the timeout stop the packaging. docs/deploy.md,
 * "Batches and the clock".
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

/** The Connect calls one record can make: read the user, the protected holders, five updates, tags or delete. */
const CALLS_PER_RECORD = 8;
/** One call's backoff over its retries (src/connect/caller.ts, DEFAULT_RETRY: 0.25 + 0.5 + ... + 4 s). */
const RETRY_SECONDS = 8;
/** The operations a record waits for, each 2/s by default (src/connect/quotas.ts). */
const RECORD_OPERATIONS = [
  "CreateUser",
  "DeleteUser",
  "SearchUsers",
  "UpdateUserRoutingProfile",
  "UpdateUserHierarchy",
  "UpdateUserSecurityProfiles",
  "UpdateUserIdentityInfo",
  "UpdateUserPhoneConfig",
  "TagResource",
  "UntagResource",
  "DeleteQuickConnect",
];
const DEFAULT_RATE = 2;

/** The slowest rate of a record's operations, with connectQuotas' raised ones, times the share. */
function slowestRate(quotas, share) {
  const rates = new Map(
    quotas
      .split(",")
      .filter(Boolean)
      .map((item) => {
        const [name, rest] = item.split("=");
        return [name.trim(), Number(rest.split("/")[0])];
      }),
  );
  return Math.min(...RECORD_OPERATIONS.map((name) => rates.get(name) ?? DEFAULT_RATE)) * share;
}

/**
 * What one record can need at worst: each of its calls behind every record in flight at once (a
 * worker syncs the employees of its batch at once, so up to batchSize per worker, and the
 * reconciliation), and one call's retries.
 */
function reserveSeconds(rate, workerConcurrency, batchSize) {
  const inFlight = workerConcurrency * batchSize + 1;
  return Math.ceil((CALLS_PER_RECORD * inFlight) / rate) + RETRY_SECONDS;
}

/** The most records an SQS event source hands a function at once here (SQS FIFO allows 10). */
const MAX_BATCH_SIZE = 10;

/**
 * The largest batch (at most 10) whose records all fit the timeout and whose
 * employees are worked through within maxReceiveCount receives: a record can
 * need `reserve`, each employee's first record of a batch always starts, and
 * a receive is sure of timeout / reserve records of each employee.
 */
function batchClock({ rate, workerConcurrency, maxReceiveCount, timeoutSeconds }) {
  for (let batchSize = MAX_BATCH_SIZE; batchSize >= 1; batchSize--) {
    const reserve = reserveSeconds(rate, workerConcurrency, batchSize);
    const perReceive = Math.floor(timeoutSeconds / reserve);
    if (perReceive >= 1 && Math.ceil(batchSize / perReceive) <= maxReceiveCount)
      return { recordReserveSeconds: reserve, batchSize };
  }
  const reserve = reserveSeconds(rate, workerConcurrency, 1);
  let fits = workerConcurrency;
  while (fits > 2 && reserveSeconds(rate, fits, 1) > timeoutSeconds) fits -= 1;
  const lower =
    reserveSeconds(rate, fits, 1) <= timeoutSeconds
      ? `Lower workerConcurrency to ${fits}, or raise`
      : "Raise";
  throw new Error(
    `workerConcurrency ${workerConcurrency}: one record can wait up to ${reserve} s for Connect at ${rate}/s ` +
      `(${CALLS_PER_RECORD} calls behind ${workerConcurrency} other records in flight, and retries), more ` +
      `than the sync-worker's ${timeoutSeconds} s timeout even in batches of 1. ${lower} the quotas ` +
      `(connectQuotas) or the share (connectQuotaShare). docs/deploy.md, "Batches and the clock"`,
  );
}

function connectQuota({
  quotas,
  share,
  workerConcurrency,
  maxReceiveCount = 5,
  timeoutSeconds = 60,
}) {
  if (!Number.isFinite(share) || share <= 0 || share > 1)
    throw new Error(`connectQuotaShare must be a number above 0 and at most 1`);
  if (!Number.isInteger(workerConcurrency) || workerConcurrency < 2 || workerConcurrency > 1000)
    throw new Error(
      `workerConcurrency must be a whole number from 2 to 1000 (the range of an SQS event source's maximum concurrency)`,
    );
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000)
    throw new Error(
      `maxReceiveCount must be a whole number from 1 to 1000 (the range of an SQS redrive policy)`,
    );
  const checked = checkQuotas(quotas);
  const clock = batchClock({
    rate: slowestRate(checked, share),
    workerConcurrency,
    maxReceiveCount,
    timeoutSeconds,
  });
  return { quotas: checked, share, workerConcurrency, ...clock };
}

async function fromParams(resolveVariable) {
  return connectQuota({
    quotas: (await resolveVariable("param:connectQuotas")) ?? "",
    share: Number(await resolveVariable("param:connectQuotaShare")),
    workerConcurrency: Number(await resolveVariable("param:workerConcurrency")),
    maxReceiveCount: Number(await resolveVariable("param:maxReceiveCount")),
    timeoutSeconds: Number(await resolveVariable("self:functions.sync-worker.timeout")),
  });
}

module.exports = {
  connectQuota,
  RECORD_OPERATIONS,
  workerConcurrency: async ({ resolveVariable }) =>
    (await fromParams(resolveVariable)).workerConcurrency,
  quotas: async ({ resolveVariable }) => (await fromParams(resolveVariable)).quotas,
  share: async ({ resolveVariable }) => String((await fromParams(resolveVariable)).share),
  recordReserveSeconds: async ({ resolveVariable }) =>
    String((await fromParams(resolveVariable)).recordReserveSeconds),
  batchSize: async ({ resolveVariable }) => (await fromParams(resolveVariable)).batchSize,
};
