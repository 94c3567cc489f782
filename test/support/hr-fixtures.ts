import { CANONICAL_SOURCE } from "../../src/domain/employee-key";
import type { HrEvent, HrRecord } from "../../src/domain/hr";
import { parseSyncRules, type SyncRules } from "../../src/domain/rules";
import type { SyncRequest } from "../../src/domain/sync-request";

/** Grace Hopper, the canonical example of the wire format, with overrides. */
export function hrRecord(overrides: Partial<HrRecord> = {}): HrRecord {
  return {
    employeeId: "E1001",
    status: "active",
    firstName: "Grace",
    lastName: "Hopper",
    email: "grace.hopper@example.com",
    username: null,
    department: "Support",
    location: "London",
    jobCode: "AGT1",
    managerId: null,
    startDate: "2026-01-05",
    endDate: null,
    phone: null,
    attributes: { costCenter: "CC-17" },
    ...overrides,
  };
}

/** Employee `id` with an e-mail (and so a user name) of its own, so that tests can share a stack. */
export function employeeRecord(id: string, overrides: Partial<HrRecord> = {}): HrRecord {
  return hrRecord({ employeeId: id, email: `${id.toLowerCase()}@example.com`, ...overrides });
}

let eventCounter = 0;

/**
 * A canonical HR event as the queue carries it (with the source its route
 * gives it). Posted as a webhook body, `source` is dropped: the route decides.
 */
export function hrEvent(
  overrides: Partial<SyncRequest> & { record?: HrRecord | undefined } = {},
): SyncRequest {
  eventCounter += 1;
  const record = "record" in overrides ? overrides.record : hrRecord();
  const event: SyncRequest = {
    eventId: `evt-${String(eventCounter).padStart(4, "0")}`,
    type: "joiner",
    employeeId: record?.employeeId ?? "E1001",
    source: CANONICAL_SOURCE,
    occurredAt: "2026-11-28T09:00:00Z",
    ...overrides,
  };
  if (record === undefined) delete event.record;
  else event.record = record;
  return event;
}

/** Employee `id`'s leaver event (see employeeRecord): terminated, with an end date past. */
export function leaverEvent(id: string): SyncRequest {
  return hrEvent({
    type: "leaver",
    occurredAt: "2026-11-28T13:00:00Z",
    record: employeeRecord(id, { status: "terminated", endDate: "2026-11-20" }),
  });
}

/** The same event as an HR system sends it: no source (its route gives it one). */
export function hrEventBody(
  overrides: Partial<SyncRequest> & { record?: HrRecord | undefined } = {},
): HrEvent {
  const { source: _, ...body } = hrEvent(overrides);
  return body;
}

/** Rules in the shape of config/sync-rules.yaml, small enough to read in a test. */
export const RULES_YAML = `
version: 1
identity: { mode: SAML, usernameTemplate: "{email}" }
scope:
  include: [{ department: { oneOf: [Support, Sales] } }]
  exclude: [{ jobCode: CONTRACTOR }]
defaults:
  routingProfile: Basic Routing Profile
  securityProfiles: [Agent]
  hierarchy: null
  phone: { type: SOFT_PHONE, autoAccept: false, afterContactWorkSeconds: 30 }
rules:
  - name: uk-support
    when: { department: Support, location: London }
    set: { routingProfile: UK Support, hierarchy: EMEA/London/Support }
  - name: team-leads
    when: { jobCode: TL1 }
    set: { securityProfiles: [Agent, CallCenterManager] }
protected:
  usernames: [admin]
  securityProfiles: [Admin]
`;

export function syncRules(yaml = RULES_YAML): SyncRules {
  return parseSyncRules(yaml, "test rules");
}
