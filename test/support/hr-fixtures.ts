import type { HrEvent, HrRecord } from "../../src/domain/hr";
import { parseSyncRules, type SyncRules } from "../../src/domain/rules";

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

export function hrEvent(
  overrides: Partial<HrEvent> & { record?: HrRecord | undefined } = {},
): HrEvent {
  eventCounter += 1;
  const record = "record" in overrides ? overrides.record : hrRecord();
  const event: HrEvent = {
    eventId: `evt-${String(eventCounter).padStart(4, "0")}`,
    type: "joiner",
    employeeId: record?.employeeId ?? "E1001",
    occurredAt: "2026-11-28T09:00:00Z",
    ...overrides,
  };
  if (record === undefined) delete event.record;
  else event.record = record;
  return event;
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
