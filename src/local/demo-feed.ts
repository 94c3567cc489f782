import { readFileSync } from "node:fs";
import type { HrEvent } from "../domain/hr";
import { parseRoster } from "../hr/roster/parse";

/** The demo's HR feed: the deliveries, in order, and the samples they are read from. */
export const sample = (path: string) =>
  readFileSync(new URL(`../../events/hr/${path}`, import.meta.url), "utf8");

/**
 * HR's nightly export of the canonical feed's employees (import's columns), which the
 * local stack serves from its S3 as `local --roster FILE` does. It lists Joan Clarke,
 * whose joiner webhook was never sent, and leaves out Grace Hopper, hired by webhook,
 * whose leaver webhook was lost.
 *
 * The roster's graceMinutes (60 by default, and what `local --roster` configures) leaves
 * an employee whose newest event is younger than that to the event. Every event of the
 * demo's feed is dated days before the run (the samples on 28 November 2026, Ada's rehire
 * on 1 December), so the nightly run judges all of them by the roster.
 */
export const DEMO_ROSTER = new URL("../../events/hr/canonical/demo-roster.csv", import.meta.url)
  .pathname;

/** The sample rules, but a leaver's agent is disabled rather than deleted, so that a rehire gets it back. */
export const DEMO_LEAVERS = {
  action: "disable",
  disable: { securityProfiles: ["No Access"], routingProfile: "Disabled" },
  deleteAfterDays: 30,
};

/**
 * The user names HR's data makes for the demo's employees by source and id (the sample
 * rules' template is {email}): the reconciliation names a user it has yet to create by id only.
 */
export function hrUsernames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const { record } of parseRoster(readFileSync(DEMO_ROSTER, "utf8"), DEMO_ROSTER).valid)
    if (record.email) names.set(`canonical#${record.employeeId}`, record.email);
  const bambooHr = JSON.parse(sample("bamboohr/employees.json")) as {
    id: string;
    workEmail: string;
  }[];
  for (const e of bambooHr) names.set(`bamboohr#${e.id}`, e.workEmail);
  return names;
}

/** Ada's termination was a mistake: three days after the leaver, HR hires her again. */
export function rehire(): HrEvent {
  const leaver = JSON.parse(sample("canonical/leaver.json")) as HrEvent;
  const { endDate: _, ...record } = leaver.record ?? { employeeId: leaver.employeeId };
  return {
    ...leaver,
    eventId: "hr-20261201-0001",
    type: "joiner",
    occurredAt: "2026-12-01T09:00:00Z",
    record: { ...record, status: "active", startDate: "2026-12-01" } as HrEvent["record"],
  };
}

/** One delivery of the sample HR feed, and what the story expects of it. */
export interface Delivery {
  label: string;
  source: "canonical" | "bamboohr";
  body: string;
  /** Signed with the wrong secret: the webhook must refuse it. */
  forged?: boolean;
  contentType?: string;
}

/**
 * The sample HR feed, in the order an HR system might send it: joiners,
 * a mover, the same delivery twice, an event that arrives after a newer one,
 * a BambooHR hire (a thin event: the record is read from BambooHR), a request
 * signed with the wrong secret, and a leaver.
 */
export function demoFeed(): Delivery[] {
  const mover = JSON.parse(sample("canonical/mover.json")) as HrEvent;
  // Sent after the 10:30 move, but it happened at 10:00: it must not undo the move.
  const late: HrEvent = {
    ...mover,
    eventId: "hr-20261128-0002-late",
    occurredAt: "2026-11-28T10:00:00Z",
    record: mover.record && { ...mover.record, department: "Support" },
  };
  return [
    { label: "joiner (Ada)", source: "canonical", body: sample("canonical/joiner.json") },
    {
      label: "three joiners in one request",
      source: "canonical",
      body: sample("canonical/batch.json"),
    },
    {
      label: "a joiner in a CloudEvents envelope",
      source: "canonical",
      body: sample("canonical/cloudevent.json"),
      contentType: "application/cloudevents+json",
    },
    {
      label: "the same joiner delivered again",
      source: "canonical",
      body: sample("canonical/joiner.json"),
    },
    {
      label: "mover (Ada moves to Sales)",
      source: "canonical",
      body: sample("canonical/mover.json"),
    },
    { label: "an older change arriving late", source: "canonical", body: JSON.stringify(late) },
    {
      label: "BambooHR: employee.created",
      source: "bamboohr",
      body: sample("bamboohr/employee-created.json"),
    },
    {
      label: "a request signed with the wrong secret",
      source: "canonical",
      body: sample("canonical/batch.json"),
      forged: true,
    },
    { label: "leaver (Ada leaves)", source: "canonical", body: sample("canonical/leaver.json") },
  ];
}

/** A Connect user as the story shows it: names, not ids (but its id, to tell one user from another). */
