import { describe, expect, it } from "vitest";
import type { AgentDecision } from "../../../src/domain/agent";
import { updateCall } from "../../../src/domain/facets";
import { foldSteps, type StepOutcome } from "../../../src/domain/sync-steps";
import { connectUser, connectUserSpec } from "../../support/connect-fixtures";

const present = { kind: "present" } as AgentDecision;
const user = connectUser("u-1");
const move = updateCall("routingProfile", "u-1", connectUserSpec({ routingProfileId: "rp-2" }));

describe("folding a sync's steps", () => {
  it("reports a user created, then moved, as created with both calls in order", () => {
    const steps: StepOutcome[] = [
      { kind: "created", user, found: false },
      { kind: "updated", user: { ...user, routingProfileId: "rp-2" }, call: move },
    ];

    const folded = foldSteps(steps, null, present);

    expect(folded).toEqual({
      result: "created",
      operations: ["CreateUser", "UpdateUserRoutingProfile"],
      facets: ["routingProfile"],
      user: { ...user, routingProfileId: "rp-2" },
    });
  });

  it("counts a deletion someone else made as deleted, but not as a call of ours", () => {
    const folded = foldSteps(
      [{ kind: "deleted", userId: "u-1", byThisSync: false }],
      user,
      present,
    );

    expect(folded).toMatchObject({
      result: "deleted",
      operations: [],
      user: null,
      deletedUserId: "u-1",
    });
  });

  it("says protected when a user was kept, whatever else happened", () => {
    const folded = foldSteps([{ kind: "kept-protected", user }], user, present);

    expect(folded.result).toBe("protected");
  });

  it("says not-yet-due when nothing happened because the start date has not come", () => {
    const waiting: AgentDecision = {
      kind: "absent",
      reason: "not-yet-started",
      dueDate: "2027-01-04",
    };

    expect(foldSteps([], null, waiting).result).toBe("not-yet-due");
    expect(foldSteps([], user, present).result).toBe("unchanged");
  });

  it("says adopted for a user taken over, and keeps the user a replan found", () => {
    const folded = foldSteps(
      [
        { kind: "adopted", user },
        { kind: "updated", user, call: move },
      ],
      null,
      present,
    );

    expect(folded.result).toBe("adopted");
    expect(folded.user).toEqual(user);
  });
});
