import { describe, expect, it } from "vitest";
import type { AgentDecision } from "../../../src/domain/agent";
import type { ConnectUser, ConnectUserSpec } from "../../../src/domain/connect-user";
import { classifyDrift, type PersonView, RENAMED_PROBLEM } from "../../../src/domain/drift";
import { guardDeletions } from "../../../src/domain/guard";
import { managedTags } from "../../../src/domain/managed";
import { connectUser, connectUserSpec } from "../../support/connect-fixtures";

const TODAY = "2026-11-28";

const spec = (username: string, overrides: Partial<ConnectUserSpec> = {}): ConnectUserSpec =>
  connectUserSpec({ username, ...overrides });

const user = (userId: string, username: string, overrides: Partial<ConnectUser> = {}) =>
  connectUser(userId, { username, ...overrides });

const present = (username: string): AgentDecision => ({
  kind: "present",
  agent: {
    employeeId: "x",
    username,
    identity: { firstName: "Grace", lastName: "Hopper" },
    routingProfile: "UK Support",
    securityProfiles: ["Agent"],
    hierarchy: null,
    phone: spec(username).phone,
    rules: [],
  },
});

function person(employeeId: string, overrides: Partial<PersonView> = {}): PersonView {
  const username = `${employeeId.toLowerCase()}@example.com`;
  return {
    source: "canonical",
    employeeId,
    decision: present(username),
    desired: spec(username),
    ...overrides,
  };
}

const options = {
  today: TODAY,
  manageIdentity: true,
  isProtected: (u: ConnectUser) => u.username === "admin",
};

describe("drift classification", () => {
  it("finds each kind of drift in one pass", () => {
    const users = [
      user("u-sync", "e1@example.com"),
      user("u-drift", "e2@example.com", { routingProfileId: "rp-basic", hierarchyGroupId: null }),
      user("u-orphan", "e4@example.com"),
      user("u-admin", "admin"),
      user("u-legacy", "legacy.agent"),
      user("u-adopt", "e5@example.com"),
    ];
    const people = [
      person("E1", { managedUserId: "u-sync" }),
      person("E2", { managedUserId: "u-drift" }),
      person("E3"),
      person("E4", {
        managedUserId: "u-orphan",
        decision: { kind: "absent", reason: "terminated" },
        desired: undefined,
      }),
      person("E5"),
    ];

    const entries = classifyDrift(people, users, options);

    expect(entries).toEqual(
      expect.arrayContaining([
        {
          class: "in-sync",
          source: "canonical",
          employeeId: "E1",
          userId: "u-sync",
          dueDate: undefined,
        },
        {
          class: "drifted",
          source: "canonical",
          employeeId: "E2",
          userId: "u-drift",
          repair: "update",
          facets: ["routingProfile", "hierarchy"],
        },
        { class: "missing", source: "canonical", employeeId: "E3", repair: "create" },
        {
          class: "orphaned",
          source: "canonical",
          employeeId: "E4",
          userId: "u-orphan",
          repair: "delete",
        },
        {
          class: "adoptable",
          source: "canonical",
          employeeId: "E5",
          userId: "u-adopt",
          repair: "adopt",
          username: "e5@example.com",
          securityProfileIds: ["sp-agent"],
        },
        { class: "protected", userId: "u-admin" },
        { class: "unmanaged", userId: "u-legacy" },
      ]),
    );
    expect(entries).toHaveLength(7);
  });

  it("never plans a change to a protected user, even a managed one whose employee left", () => {
    const people = [
      person("E1", {
        managedUserId: "u-admin",
        decision: { kind: "absent", reason: "terminated" },
      }),
    ];

    const entries = classifyDrift(people, [user("u-admin", "admin")], options);

    expect(entries).toEqual([
      { class: "protected", source: "canonical", employeeId: "E1", userId: "u-admin" },
    ]);
  });

  it("recognises a user it created by its tags when the stored state lost it", () => {
    const tagged = user("u-1", "e1@example.com", {
      tags: managedTags({ source: "canonical", employeeId: "E1" }),
    });

    const entries = classifyDrift([person("E1")], [tagged], options);

    expect(entries).toEqual([
      {
        class: "in-sync",
        source: "canonical",
        employeeId: "E1",
        userId: "u-1",
        dueDate: undefined,
      },
    ]);
  });

  it("does not adopt a user created for another employee", () => {
    const other = user("u-1", "e1@example.com", {
      tags: managedTags({ source: "canonical", employeeId: "E9" }),
    });

    const [entry] = classifyDrift([person("E1")], [other], options);

    expect(entry).toMatchObject({
      class: "invalid",
      source: "canonical",
      employeeId: "E1",
      problem: expect.stringMatching(/another employee/),
    });
  });

  it("reports a user whose name HR changed as renamed, still repairing the facets that differ", () => {
    const users = [
      user("u-1", "old1@example.com"),
      user("u-2", "old2@example.com", { routingProfileId: "rp-basic" }),
    ];
    const people = [person("E1", { managedUserId: "u-1" }), person("E2", { managedUserId: "u-2" })];

    const entries = classifyDrift(people, users, options);

    expect(entries).toEqual([
      {
        class: "renamed",
        source: "canonical",
        employeeId: "E1",
        userId: "u-1",
        problem: RENAMED_PROBLEM,
      },
      {
        class: "renamed",
        source: "canonical",
        employeeId: "E2",
        userId: "u-2",
        repair: "update",
        facets: ["routingProfile"],
        problem: RENAMED_PROBLEM,
      },
    ]);
  });

  it("compares e-mail with the one the service applied, since SearchUsers shows none", () => {
    const identity = { firstName: "Grace", lastName: "Hopper" };
    const desired = (email: string) => spec(`${email}`, { identity: { ...identity, email } });
    const people = [
      // HR changed the e-mail (the user name stays) and the service never applied it.
      person("E1", {
        desired: { ...desired("new1@example.com"), username: "e1" },
        managedUserId: "u-1",
        appliedIdentity: { ...identity, email: "old1@example.com" },
      }),
      person("E2", {
        desired: { ...desired("e2@example.com"), username: "e2" },
        managedUserId: "u-2",
        appliedIdentity: { ...identity, email: "e2@example.com" },
      }),
      // Known by its tags alone, nothing applied on record: names only.
      person("E3", { desired: { ...desired("e3@example.com"), username: "e3" } }),
    ];
    const users = [
      user("u-1", "e1"),
      user("u-2", "e2"),
      user("u-3", "e3", { tags: managedTags({ source: "canonical", employeeId: "E3" }) }),
    ];

    const entries = classifyDrift(people, users, options);

    expect(entries.map((e) => [e.employeeId, e.class, e.facets])).toEqual([
      ["E1", "drifted", ["identity"]],
      ["E2", "in-sync", undefined],
      ["E3", "in-sync", undefined],
    ]);
  });

  it("ignores an applied e-mail where it decides nothing: SAML, the directory's instance, a user found by its tags", () => {
    const identity = { firstName: "Grace", lastName: "Hopper" };
    const applied = { ...identity, email: "old@example.com" };
    const saml = person("E1", {
      desired: { ...spec("e1"), identity },
      managedUserId: "u-1",
      appliedIdentity: applied,
    });
    const directory = person("E2", {
      desired: { ...spec("e2"), identity: { ...identity, email: "new@example.com" } },
      managedUserId: "u-2",
      appliedIdentity: applied,
    });
    const byTag = person("E3", {
      desired: { ...spec("e3"), identity: { ...identity, email: "new@example.com" } },
      managedUserId: "u-stale",
      appliedIdentity: applied,
    });
    const users = [
      user("u-1", "e1"),
      user("u-2", "e2"),
      user("u-3", "e3", { tags: managedTags({ source: "canonical", employeeId: "E3" }) }),
    ];

    const managed = classifyDrift([saml, byTag], users, options);
    const onDirectory = classifyDrift([directory], users.slice(0, 2), {
      ...options,
      manageIdentity: false,
    });

    expect([...managed, ...onDirectory].filter((e) => e.employeeId).map((e) => e.class)).toEqual([
      "in-sync",
      "in-sync",
      "in-sync",
    ]);
  });

  it("reads a user name that differs only in case as the same name", () => {
    const entries = classifyDrift(
      [person("E1", { managedUserId: "u-1" })],
      [user("u-1", "E1@Example.com")],
      options,
    );

    expect(entries[0]?.class).toBe("in-sync");
  });

  it("repairs the e-mail of a user renamed in HR while reporting the name it cannot change", () => {
    const identity = { firstName: "Grace", lastName: "Hopper" };
    const entries = classifyDrift(
      [
        person("E1", {
          desired: {
            ...spec("new@example.com"),
            identity: { ...identity, email: "new@example.com" },
          },
          managedUserId: "u-1",
          appliedIdentity: { ...identity, email: "old@example.com" },
        }),
      ],
      [user("u-1", "old@example.com")],
      options,
    );

    expect(entries[0]).toMatchObject({ class: "renamed", repair: "update", facets: ["identity"] });
  });

  it("says a scheduled start is not yet due, and a change whose date has come is due", () => {
    const future = person("E1", {
      decision: { kind: "absent", reason: "not-yet-started", dueDate: "2026-12-01" },
      desired: undefined,
    });
    const arrived = person("E2", { storedDueDate: "2026-11-28" });

    const entries = classifyDrift([future, arrived], [], options);

    expect(entries).toEqual([
      { class: "not-yet-due", source: "canonical", employeeId: "E1", dueDate: "2026-12-01" },
      { class: "due", source: "canonical", employeeId: "E2", repair: "create" },
    ]);
  });

  it("reports rules that name what the instance lacks instead of guessing", () => {
    const entries = classifyDrift(
      [
        person("E1", {
          desired: undefined,
          resolveProblems: ['routing profile "X" does not exist'],
        }),
      ],
      [],
      options,
    );

    expect(entries).toEqual([
      {
        class: "invalid",
        source: "canonical",
        employeeId: "E1",
        userId: undefined,
        problem: 'routing profile "X" does not exist',
      },
    ]);
  });
});

describe("deletion guard", () => {
  const managed = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      class: "in-sync" as const,
      employeeId: `E${i}`,
      userId: `u${i}`,
    }));
  const deletions = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      class: "orphaned" as const,
      employeeId: `L${i}`,
      userId: `l${i}`,
      repair: "delete" as const,
    }));

  it("lets deletions within both limits through", () => {
    expect(
      guardDeletions([...managed(95), ...deletions(5)], {
        maxDeletes: 25,
        maxDeletePercent: 10,
        minManagedForPercent: 100,
      }),
    ).toMatchObject({ held: false, deletions: 5 });
  });

  it("holds a run over the absolute limit", () => {
    const result = guardDeletions([...managed(1000), ...deletions(26)], {
      maxDeletes: 25,
      maxDeletePercent: 10,
      minManagedForPercent: 100,
    });

    expect(result).toMatchObject({ held: true, reason: "26 deletions exceed the limit of 25" });
  });

  it("holds a run over the percentage of managed users", () => {
    const result = guardDeletions([...managed(80), ...deletions(20)], {
      maxDeletes: 25,
      maxDeletePercent: 10,
      minManagedForPercent: 100,
    });

    expect(result).toMatchObject({
      held: true,
      reason: "20 deletions are 20.0% of 100 managed users, over the limit of 10%",
    });
  });

  it("does not hold one leaver of a small instance by the percentage", () => {
    const result = guardDeletions([...managed(3), ...deletions(1)], {
      maxDeletes: 25,
      maxDeletePercent: 10,
      minManagedForPercent: 100,
    });

    expect(result).toMatchObject({ held: false, deletions: 1, managed: 4 });
  });
});
