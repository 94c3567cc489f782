import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { CANONICAL_SOURCE, employeeKey } from "../../domain/employee-key";
import type { HrEvent } from "../../domain/hr";
import { newStandardWebhookSecret, signStandardWebhook } from "../../hr/signatures";
import { sqsSafeJson } from "../../queue/publisher";
import type { EmployeeHistory, RawMessage } from "./history";
import type { Random } from "./random";

/**
 * How the HR histories reach the service: through the real webhook (signed
 * Standard Webhooks requests of 1 to several events), or straight onto the
 * FIFO queue; with events of one employee sent out of order, duplicate
 * deliveries (the same eventId again, through the webhook or as an SQS
 * redelivery with another deduplication id, which only the worker's
 * idempotency can catch), webhook retries (the very same signed request sent
 * again), garbage on the queue, and requests the webhook must refuse.
 * Deliveries are sent one at a time, so each employee's processing order is
 * the order planned here, whatever the timing.
 */

export type HostileMode = "forged" | "expired" | "tampered" | "invalid";

export type Delivery =
  | { kind: "webhook"; request: number; events: HrEvent[] }
  /** The same signed request as an earlier one, byte for byte: a sender's retry. */
  | { kind: "resend"; request: number }
  | { kind: "queue"; event: HrEvent; deduplicationId: string }
  | { kind: "raw"; message: RawMessage }
  | { kind: "hostile"; mode: HostileMode; events: unknown[] };

export interface DeliveryPlan {
  deliveries: Delivery[];
  counts: {
    events: number;
    webhookRequests: number;
    webhookResends: number;
    queueMessages: number;
    duplicates: number;
    sqsRedeliveries: number;
    reorderedEmployees: number;
    garbageMessages: number;
    hostileRequests: number;
  };
}

export interface DeliveryOptions {
  /** Share of employees whose events are sent in a shuffled order. */
  reorder: number;
  /** Share of events delivered a second time. */
  duplicate: number;
  /** Share of webhook requests sent again as they were. */
  resend: number;
  /** Share of events put straight on the queue instead of through the webhook. */
  direct: number;
  maxEventsPerRequest: number;
  garbage: RawMessage[];
  hostileRequests: number;
}

interface Item {
  event: HrEvent;
  channel: "webhook" | "queue";
  deduplicationId: string;
}

export function planDeliveries(
  random: Random,
  histories: readonly EmployeeHistory[],
  options: DeliveryOptions,
): DeliveryPlan {
  const counts: DeliveryPlan["counts"] = {
    events: 0,
    webhookRequests: 0,
    webhookResends: 0,
    queueMessages: 0,
    duplicates: 0,
    sqsRedeliveries: 0,
    reorderedEmployees: 0,
    garbageMessages: options.garbage.length,
    hostileRequests: options.hostileRequests,
  };

  // Per employee: the send order, the channel of each event, and the duplicates.
  const lanes: (Item | Delivery)[][] = histories.map((history) => {
    counts.events += history.events.length;
    let order = history.events;
    if (!history.keepOrder && history.events.length > 1 && random.chance(options.reorder)) {
      order = random.shuffle(history.events);
      if (order.some((e, i) => e !== history.events[i])) counts.reorderedEmployees += 1;
    }
    const items: Item[] = order.map((event) => ({
      event,
      channel: random.chance(options.direct) ? "queue" : "webhook",
      deduplicationId: event.eventId,
    }));
    for (const original of [...items]) {
      if (!random.chance(options.duplicate)) continue;
      counts.duplicates += 1;
      const after = items.indexOf(original) + 1;
      const redelivery = random.chance(0.5);
      if (redelivery) counts.sqsRedeliveries += 1;
      items.splice(random.int(after, items.length), 0, {
        event: original.event,
        // Past SQS's five-minute deduplication window, a redelivery arrives with
        // the same eventId: only the worker's idempotency stops it.
        channel: redelivery ? "queue" : "webhook",
        deduplicationId: redelivery ? `${original.event.eventId}-again` : original.event.eventId,
      });
    }
    return items;
  });
  for (const message of options.garbage) lanes.push([{ kind: "raw", message }]);
  for (let i = 0; i < options.hostileRequests; i++)
    lanes.push([{ kind: "hostile", ...hostileRequest(random, i) }]);

  // Interleave the lanes at random, keeping each lane's own order.
  const merged: (Item | Delivery)[] = [];
  const open = lanes.filter((lane) => lane.length > 0).map((lane) => [...lane]);
  while (open.length > 0) {
    const index = random.int(0, open.length - 1);
    const lane = open[index] as (Item | Delivery)[];
    merged.push(lane.shift() as Item | Delivery);
    if (lane.length === 0) open.splice(index, 1);
  }

  // Consecutive webhook events share requests of up to maxEventsPerRequest.
  const deliveries: Delivery[] = [];
  let current: Extract<Delivery, { kind: "webhook" }> | undefined;
  const resends: { at: number; request: number }[] = [];
  const close = () => {
    if (!current) return;
    deliveries.push(current);
    if (random.chance(options.resend)) {
      counts.webhookResends += 1;
      resends.push({ at: deliveries.length + random.int(0, 20), request: current.request });
    }
    current = undefined;
  };
  for (const entry of merged) {
    if ("kind" in entry) {
      close();
      deliveries.push(entry);
      continue;
    }
    if (entry.channel === "queue") {
      close();
      counts.queueMessages += 1;
      deliveries.push({
        kind: "queue",
        event: entry.event,
        deduplicationId: entry.deduplicationId,
      });
      continue;
    }
    const fits =
      current !== undefined &&
      current.events.length < options.maxEventsPerRequest &&
      !current.events.some((e) => e.eventId === entry.event.eventId) &&
      random.chance(0.7);
    if (!fits) {
      close();
      counts.webhookRequests += 1;
      current = { kind: "webhook", request: counts.webhookRequests, events: [] };
    }
    current?.events.push(entry.event);
  }
  close();
  // Retries go in later, between other deliveries.
  for (const resend of resends.sort((a, b) => b.at - a.at)) {
    deliveries.splice(Math.min(resend.at, deliveries.length), 0, {
      kind: "resend",
      request: resend.request,
    });
  }
  return { deliveries, counts };
}

function hostileRequest(random: Random, index: number): { mode: HostileMode; events: unknown[] } {
  const mode = random.pick(["forged", "expired", "tampered", "invalid"] as const);
  const employeeId = `HOSTILE-${index}`;
  const event = {
    eventId: `hostile-${index}-${random.int(0, 1e9)}`,
    type: "joiner",
    employeeId,
    occurredAt: new Date().toISOString(),
    record: {
      employeeId,
      status: "active",
      firstName: "Mallory",
      lastName: "Intruder",
      email: `hostile-${index}@chaos.example.com`,
      department: "Support",
      location: "London",
      jobCode: random.chance(0.5) ? "TL1" : "AGT1",
    },
  };
  if (mode !== "invalid") return { mode, events: [event] };
  // Valid signature, invalid content: refused with 400, nothing queued.
  const broken = random.pick([
    { ...event, occurredAt: "yesterday" },
    { ...event, type: "hire" },
    { ...event, record: { ...event.record, email: "not-an-e-mail" } },
    { ...event, record: { ...event.record, employeeId: "someone-else" } },
  ]);
  return { mode, events: [event, broken] };
}

/** Where deliveries go. */
export interface DeliveryTarget {
  webhookUrl: string;
  secret: string;
  sqs: SQSClient;
  queueUrl: string;
}

export interface DeliveryResult {
  /** Requests answered otherwise than expected (a valid one not 202, a hostile one not refused). */
  anomalies: string[];
  statuses: Record<string, number>;
}

const EXPECTED_HOSTILE_STATUS: Record<HostileMode, number> = {
  forged: 401,
  expired: 401,
  tampered: 401,
  invalid: 400,
};

export async function deliver(plan: DeliveryPlan, target: DeliveryTarget): Promise<DeliveryResult> {
  const anomalies: string[] = [];
  const statuses: Record<string, number> = {};
  const sent = new Map<number, { body: string; headers: Record<string, string> }>();
  const post = async (body: string, headers: Record<string, string>, expected: number) => {
    const response = await fetch(target.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const text = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status !== expected)
      anomalies.push(
        `webhook answered ${response.status}, expected ${expected}: ${text.slice(0, 200)}`,
      );
  };

  for (const delivery of plan.deliveries) {
    switch (delivery.kind) {
      case "webhook": {
        const body = JSON.stringify(
          delivery.events.length === 1 ? delivery.events[0] : delivery.events,
        );
        const headers = signStandardWebhook(body, target.secret);
        sent.set(delivery.request, { body, headers });
        await post(body, headers, 202);
        break;
      }
      case "resend": {
        const original = sent.get(delivery.request);
        if (original) await post(original.body, original.headers, 202);
        break;
      }
      case "queue":
        await target.sqs.send(
          new SendMessageCommand({
            QueueUrl: target.queueUrl,
            // What the service's own publisher would queue: the event with its route's source.
            MessageBody: sqsSafeJson({ ...delivery.event, source: CANONICAL_SOURCE }),
            MessageGroupId: employeeKey({ ...delivery.event, source: CANONICAL_SOURCE }),
            MessageDeduplicationId: delivery.deduplicationId,
          }),
        );
        break;
      case "raw":
        await target.sqs.send(
          new SendMessageCommand({
            QueueUrl: target.queueUrl,
            MessageBody: delivery.message.body,
            MessageGroupId: delivery.message.groupId,
            MessageDeduplicationId: delivery.message.deduplicationId,
          }),
        );
        break;
      case "hostile": {
        const body = JSON.stringify(delivery.events);
        const expected = EXPECTED_HOSTILE_STATUS[delivery.mode];
        switch (delivery.mode) {
          case "forged":
            await post(body, signStandardWebhook(body, newStandardWebhookSecret()), expected);
            break;
          case "expired":
            await post(
              body,
              signStandardWebhook(body, target.secret, { at: new Date(Date.now() - 10 * 60_000) }),
              expected,
            );
            break;
          case "tampered":
            await post(
              body.replace("Mallory", "Mallorx"),
              signStandardWebhook(body, target.secret),
              expected,
            );
            break;
          case "invalid":
            await post(body, signStandardWebhook(body, target.secret), expected);
            break;
        }
        break;
      }
    }
  }
  return { anomalies, statuses };
}
