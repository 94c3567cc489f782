import { setTimeout as sleep } from "node:timers/promises";
import { ConnectClient } from "@aws-sdk/client-connect";
import type { ConnectUserSpec } from "../../src/domain/connect-user";
import type { HrEvent } from "../../src/domain/hr";
import { LOCAL_CREDENTIALS } from "../../src/local/aws-stand-ins";
import { createUser, deleteUser, describeUser, findUser, updateEverything } from "./connect-calls";

/**
 * Baseline 1, written for the benchmark: the worker one writes first. For
 * each event it reads the user (DescribeUser) and sends all five Update
 * calls, or CreateUser for someone new, or DeleteUser for a leaver; no
 * pacing, the SDK's default retries (standard mode, 3 attempts). Several
 * such workers share the backlog with the FIFO queue's rule (one event of an
 * employee at a time, in order); an event that still fails comes back after
 * `retryDelayMs` (kinder than SQS's visibility timeout) and is lost after
 * `maxReceives` tries.
 */
export interface BaselineOptions {
  events: readonly HrEvent[];
  /** The user an event asks for, in ids, or null for none. */
  desired(event: HrEvent): ConnectUserSpec | null;
  endpoint: string;
  region: string;
  instanceId: string;
}

export interface BaselineRun {
  /** Events given up after their last try. */
  eventsLost: number;
}

interface Lane {
  events: HrEvent[];
  busy: boolean;
  readyAt: number;
  tries: number;
}

export async function naiveDrain(
  options: BaselineOptions & { workers: number; retryDelayMs?: number; maxReceives?: number },
): Promise<BaselineRun> {
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const maxReceives = options.maxReceives ?? 10;
  const lanes = new Map<string, Lane>();
  for (const event of options.events) {
    const lane = lanes.get(event.employeeId) ?? { events: [], busy: false, readyAt: 0, tries: 0 };
    lane.events.push(event);
    lanes.set(event.employeeId, lane);
  }
  const userIds = new Map<string, string>();
  let lost = 0;

  const handle = async (client: ConnectClient, event: HrEvent) => {
    const spec = options.desired(event);
    const { instanceId } = options;
    let userId = userIds.get(event.employeeId);
    if (spec === null) {
      if (userId === undefined) return;
      await describeUser(client, instanceId, userId);
      await deleteUser(client, instanceId, userId);
      userIds.delete(event.employeeId);
      return;
    }
    if (userId === undefined) {
      try {
        userIds.set(event.employeeId, await createUser(client, instanceId, event, spec));
        return;
      } catch (error) {
        if ((error as Error).name !== "DuplicateResourceException") throw error;
        userId = await findUser(client, instanceId, spec.username);
        if (userId === undefined) throw error;
        userIds.set(event.employeeId, userId);
      }
    }
    await describeUser(client, instanceId, userId);
    await updateEverything(client, instanceId, userId, spec);
  };

  const worker = async () => {
    const client = new ConnectClient({
      endpoint: options.endpoint,
      region: options.region,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      for (;;) {
        const now = Date.now();
        let next: Lane | undefined;
        let pending = false;
        for (const lane of lanes.values()) {
          if (lane.events.length === 0) continue;
          pending = true;
          if (!lane.busy && lane.readyAt <= now) {
            next = lane;
            break;
          }
        }
        if (!pending) return;
        if (!next) {
          await sleep(10);
          continue;
        }
        const lane = next;
        lane.busy = true;
        try {
          await handle(client, lane.events[0] as HrEvent);
          lane.events.shift();
          lane.tries = 0;
        } catch {
          lane.tries += 1;
          if (lane.tries >= maxReceives) {
            lost += 1;
            lane.events.shift();
            lane.tries = 0;
          } else lane.readyAt = Date.now() + retryDelayMs;
        } finally {
          lane.busy = false;
        }
      }
    } finally {
      client.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return { eventsLost: lost };
}
