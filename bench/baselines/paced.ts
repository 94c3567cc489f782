import { setTimeout as sleep } from "node:timers/promises";
import { ConnectClient } from "@aws-sdk/client-connect";
import type { ConnectUser } from "../../src/domain/connect-user";
import { planCalls, userOrNone } from "../../src/domain/plan";
import { LOCAL_CREDENTIALS } from "../../src/local/aws-stand-ins";
import { runCall } from "./connect-calls";
import type { BaselineOptions, BaselineRun } from "./naive";

/**
 * Baseline 2, written for the benchmark: the fixed pacing of AWS's bulk
 * user upload sample, one caller that sleeps 600 ms after every Connect call
 * so as to stay under the default 2 requests/s. Scaled with the quota
 * (600 ms x 2 / rps) so that the ratio holds at the benchmark's faster
 * quota. Given the best call pattern to be fair to it: the planner's fewest
 * writes, from what it remembers having set, no reads. SDK default retries.
 */
export const SAMPLE_PAUSE_MS = 600;
export const SAMPLE_QUOTA_RPS = 2;

export async function pacedDrain(
  options: BaselineOptions & { quotaRps: number; maxTries?: number },
): Promise<BaselineRun> {
  const pauseMs = (SAMPLE_PAUSE_MS * SAMPLE_QUOTA_RPS) / options.quotaRps;
  const maxTries = options.maxTries ?? 10;
  const client = new ConnectClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const current = new Map<string, ConnectUser>();
  let lost = 0;
  try {
    for (const event of options.events) {
      const desired = options.desired(event);
      const calls = planCalls(userOrNone(desired), current.get(event.employeeId) ?? null, {
        manageIdentity: true,
      });
      let failed = false;
      for (const call of calls) {
        let done = false;
        for (let attempt = 1; !done && attempt <= maxTries; attempt++) {
          try {
            const userId = await runCall(client, options.instanceId, event, call);
            if (call.op === "CreateUser" && userId && desired)
              current.set(event.employeeId, { ...desired, userId, tags: {} });
            done = true;
          } catch {
            // The sample logs and goes on after its pause.
          }
          await sleep(pauseMs);
        }
        if (!done) failed = true;
      }
      if (failed) lost += 1;
      else if (desired === null) current.delete(event.employeeId);
      else {
        const known = current.get(event.employeeId);
        if (known) current.set(event.employeeId, { ...desired, userId: known.userId, tags: {} });
      }
    }
  } finally {
    client.destroy();
  }
  return { eventsLost: lost };
}
