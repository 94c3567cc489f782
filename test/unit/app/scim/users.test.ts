import { describe, expect, it } from "vitest";
import type { ScimOutcome } from "../../../../src/app/scim/context";
import { handleScimRequest } from "../../../../src/app/scim/handle-request";
import { rotatingTokens, SCIM_TEST_TOKEN, scimFakes } from "../../../support/fakes/scim";
import { ENTERPRISE, entraUser, patchBody } from "../../../support/scim-fixtures";

const BASE = "https://scim.example.com/scim/v2";

function client(fakes = scimFakes()) {
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    query: Record<string, string> = {},
  ): Promise<ScimOutcome> =>
    handleScimRequest(
      {
        method,
        path,
        query,
        headers: {
          authorization: `Bearer ${SCIM_TEST_TOKEN}`,
          "content-type": "application/scim+json",
          ...headers,
        },
        body: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
        baseUrl: BASE,
      },
      fakes.deps,
    );
  return { ...fakes, send };
}

const bodyOf = (outcome: ScimOutcome) =>
  (outcome.kind === "ok" ? outcome.body : undefined) as Record<string, unknown> & {
    id: string;
    Resources: Record<string, unknown>[];
    totalResults: number;
  };

async function created(scim: ReturnType<typeof client>, overrides = {}) {
  const outcome = await scim.send("POST", "/Users", entraUser(overrides));
  expect(outcome).toMatchObject({ kind: "ok", status: 201 });
  return bodyOf(outcome);
}

describe("creating a SCIM user", () => {
  it("answers 201 with id, meta and Location, and queues a joiner with the full record", async () => {
    const scim = client();

    const outcome = await scim.send("POST", "/Users", entraUser());

    const user = bodyOf(outcome);
    expect(outcome).toMatchObject({
      kind: "ok",
      status: 201,
      location: `${BASE}/Users/${user.id}`,
      etag: 'W/"1"',
    });
    expect(user.meta).toMatchObject({ resourceType: "User", location: `${BASE}/Users/${user.id}` });
    expect(scim.queue.events).toEqual([
      {
        eventId: `scim-${user.id}-1`,
        type: "joiner",
        employeeId: "E2001",
        occurredAt: (user.meta as { created: string }).created,
        source: "scim",
        record: expect.objectContaining({
          employeeId: "E2001",
          status: "active",
          username: "Grace.Hopper@example.com",
          department: "Support",
          location: "London",
        }),
      },
    ]);
  });

  it("shows the user to a GET and a filter at once, before any worker ran", async () => {
    const scim = client();
    const user = await created(scim);

    const byId = await scim.send("GET", `/Users/${user.id}`);
    const byFilter = await scim.send(
      "GET",
      "/Users",
      undefined,
      {},
      {
        filter: 'userName eq "grace.hopper@EXAMPLE.com"',
      },
    );

    expect(bodyOf(byId)).toEqual(user);
    expect(bodyOf(byFilter).Resources).toEqual([user]);
  });

  it("refuses a second user with the same userName in another case, or the same externalId: 409 uniqueness", async () => {
    const scim = client();
    await created(scim);

    const sameName = await scim.send(
      "POST",
      "/Users",
      entraUser({ userName: "GRACE.HOPPER@example.com", externalId: "E9" }),
    );
    const sameEmployee = await scim.send(
      "POST",
      "/Users",
      entraUser({ userName: "other@example.com" }),
    );

    expect(sameName).toMatchObject({
      kind: "refused",
      problem: { status: 409, scimType: "uniqueness" },
    });
    expect(sameEmployee).toMatchObject({
      kind: "refused",
      problem: { status: 409, scimType: "uniqueness" },
    });
    expect(scim.queue.events).toHaveLength(1);
  });

  it("refuses a user that cannot become an HR record, naming the attributes, and stores nothing", async () => {
    const scim = client();

    const outcome = await scim.send(
      "POST",
      "/Users",
      entraUser({ name: { givenName: "Grace" }, emails: undefined, userName: "ghopper" }),
    );

    expect(outcome).toMatchObject({
      kind: "refused",
      problem: { status: 400, scimType: "invalidValue" },
    });
    const detail = outcome.kind === "refused" ? outcome.problem.detail : "";
    expect(detail).toContain("name.familyName");
    expect(detail).toContain("emails");
    expect(scim.users.items.size).toBe(0);
    expect(scim.queue.events).toEqual([]);
  });

  it("refuses a body without the core User schema (invalidSyntax)", async () => {
    const scim = client();

    const outcome = await scim.send("POST", "/Users", entraUser({ schemas: [ENTERPRISE] }));

    expect(outcome).toMatchObject({ problem: { status: 400, scimType: "invalidSyntax" } });
  });

  it("keeps the user and answers 503 when the queue refuses; the retried POST queues the same event", async () => {
    const scim = client();
    scim.queue.refuse = 1;

    const first = await scim.send("POST", "/Users", entraUser());
    const retry = await scim.send("POST", "/Users", entraUser());

    expect(first).toMatchObject({ kind: "unavailable", what: "queue" });
    expect(retry).toMatchObject({ kind: "ok", status: 201 });
    const id = bodyOf(retry).id;
    expect(scim.queue.events.map((e) => e.eventId)).toEqual([`scim-${id}-1`]);
    expect(await scim.send("POST", "/Users", entraUser())).toMatchObject({
      problem: { status: 409 },
    });
  });
});

describe("changing a SCIM user", () => {
  it("PATCH of an attribute queues a mover with a new eventId and the new record", async () => {
    const scim = client();
    const user = await created(scim);

    const outcome = await scim.send(
      "PATCH",
      `/Users/${user.id}`,
      patchBody({ op: "Replace", path: `${ENTERPRISE}:department`, value: "Sales" }),
    );

    expect(outcome).toMatchObject({ kind: "ok", status: 200, etag: 'W/"2"' });
    expect(scim.queue.events.at(-1)).toMatchObject({
      eventId: `scim-${user.id}-2`,
      type: "mover",
      record: { department: "Sales" },
    });
  });

  it("deactivation is a leaver at once; reactivation a joiner (a rehire); both stay visible", async () => {
    const scim = client();
    const user = await created(scim);

    await scim.send(
      "PATCH",
      `/Users/${user.id}`,
      patchBody({ op: "Replace", path: "active", value: "False" }),
    );
    const inactive = await scim.send(
      "GET",
      "/Users",
      undefined,
      {},
      {
        filter: 'externalId eq "E2001"',
      },
    );
    await scim.send(
      "PATCH",
      `/Users/${user.id}`,
      patchBody({ op: "replace", value: { active: true } }),
    );

    expect(bodyOf(inactive).Resources[0]?.active).toBe(false);
    expect(scim.queue.events.map((e) => [e.type, e.record?.status])).toEqual([
      ["joiner", "active"],
      ["leaver", "terminated"],
      ["joiner", "active"],
    ]);
  });

  it("orders each change after the previous one even when the clock is behind", async () => {
    const fakes = scimFakes({ now: () => new Date("2020-01-01T00:00:00Z") });
    const scim = client(fakes);
    const user = await created(scim);

    await scim.send(
      "PATCH",
      `/Users/${user.id}`,
      patchBody({ op: "replace", path: "title", value: "TL1" }),
    );

    const [first, second] = scim.queue.events;
    expect(Date.parse(second?.occurredAt ?? "")).toBeGreaterThan(
      Date.parse(first?.occurredAt ?? ""),
    );
  });

  it("PUT replaces the attributes; a PUT that changes nothing queues nothing", async () => {
    const scim = client();
    const user = await created(scim);

    const replaced = await scim.send(
      "PUT",
      `/Users/${user.id}`,
      entraUser({ title: "TL1", addresses: undefined }),
    );
    const again = await scim.send(
      "PUT",
      `/Users/${user.id}`,
      entraUser({ title: "TL1", addresses: undefined }),
    );

    expect(bodyOf(replaced)).toMatchObject({ title: "TL1" });
    expect(bodyOf(replaced)).not.toHaveProperty("addresses");
    expect(again).toMatchObject({ kind: "ok", status: 200 });
    expect(again).not.toHaveProperty("change");
    expect(scim.queue.events.map((e) => e.type)).toEqual(["joiner", "mover"]);
  });

  it("a retried PATCH after a 503 queues the stored change's event, not a second change", async () => {
    const scim = client();
    const user = await created(scim);
    const patch = patchBody({ op: "replace", path: "title", value: "TL1" });
    scim.queue.refuse = 1;

    const first = await scim.send("PATCH", `/Users/${user.id}`, patch);
    const retry = await scim.send("PATCH", `/Users/${user.id}`, patch);

    expect(first).toMatchObject({ kind: "unavailable" });
    expect(retry).toMatchObject({ kind: "ok", etag: 'W/"2"' });
    expect(scim.queue.events.map((e) => e.eventId)).toEqual([
      `scim-${user.id}-1`,
      `scim-${user.id}-2`,
    ]);
  });

  it("refuses to change the employee id (mutability) and a taken userName (uniqueness)", async () => {
    const scim = client();
    const user = await created(scim);
    await created(scim, { userName: "ada@example.com", externalId: "E2002" });

    const newId = await scim.send(
      "PATCH",
      `/Users/${user.id}`,
      patchBody({ op: "replace", path: "externalId", value: "E3" }),
    );
    const rename = await scim.send(
      "PATCH",
      `/Users/${user.id}`,
      patchBody({ op: "replace", path: "userName", value: "ADA@example.com" }),
    );

    expect(newId).toMatchObject({ problem: { status: 400, scimType: "mutability" } });
    expect(rename).toMatchObject({ problem: { status: 409, scimType: "uniqueness" } });
  });

  it("honours If-Match: 412 for an old version, applied for the current one", async () => {
    const scim = client();
    const user = await created(scim);
    const patch = patchBody({ op: "replace", path: "title", value: "TL1" });

    const stale = await scim.send("PATCH", `/Users/${user.id}`, patch, { "if-match": 'W/"7"' });
    const current = await scim.send("PATCH", `/Users/${user.id}`, patch, { "if-match": 'W/"1"' });

    expect(stale).toMatchObject({ problem: { status: 412 } });
    expect(current).toMatchObject({ kind: "ok", status: 200 });
  });
});

describe("deleting a SCIM user", () => {
  it("answers 204, then 404, frees the userName, and queues a leaver with the terminated record", async () => {
    const scim = client();
    const user = await created(scim);

    const deleted = await scim.send("DELETE", `/Users/${user.id}`);
    const again = await scim.send("DELETE", `/Users/${user.id}`);
    const get = await scim.send("GET", `/Users/${user.id}`);
    const recreated = await scim.send("POST", "/Users", entraUser());

    expect(deleted).toMatchObject({ kind: "ok", status: 204 });
    expect(again).toMatchObject({ problem: { status: 404 } });
    expect(get).toMatchObject({ problem: { status: 404 } });
    expect(recreated).toMatchObject({ kind: "ok", status: 201 });
    expect(scim.queue.events[1]).toMatchObject({
      eventId: `scim-${user.id}-2`,
      type: "leaver",
      record: { status: "terminated", employeeId: "E2001" },
    });
  });

  it("a retried DELETE after a 503 queues the stored leaver", async () => {
    const scim = client();
    const user = await created(scim);
    scim.queue.refuse = 1;

    const first = await scim.send("DELETE", `/Users/${user.id}`);
    const retry = await scim.send("DELETE", `/Users/${user.id}`);

    expect(first).toMatchObject({ kind: "unavailable" });
    expect(retry).toMatchObject({ kind: "ok", status: 204 });
    expect(scim.queue.events.map((e) => e.type)).toEqual(["joiner", "leaver"]);
  });
});

describe("listing SCIM users", () => {
  it("pages in creation order with totalResults, and answers an unknown userName with an empty list", async () => {
    const scim = client();
    for (const n of [1, 2, 3])
      await created(scim, { userName: `u${n}@example.com`, externalId: `E${n}` });

    const page = await scim.send("GET", "/Users", undefined, {}, { count: "1", startIndex: "2" });
    const none = await scim.send(
      "GET",
      "/Users",
      undefined,
      {},
      { filter: 'userName eq "nobody@example.com"' },
    );

    expect(bodyOf(page)).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(bodyOf(page).Resources.map((u) => u.userName)).toEqual(["u2@example.com"]);
    expect(bodyOf(none)).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("refuses a filter it cannot read: 400 invalidFilter", async () => {
    const scim = client();

    const outcome = await scim.send("GET", "/Users", undefined, {}, { filter: "userName eq" });

    expect(outcome).toMatchObject({ problem: { status: 400, scimType: "invalidFilter" } });
  });
});

describe("the bearer token", () => {
  it("is required: none, a wrong one, or another scheme is 401, before any route is told", async () => {
    const scim = client();
    const asked = (authorization: string) =>
      scim.send("GET", "/NoSuchEndpoint", undefined, { authorization });

    for (const header of ["", `Bearer ${SCIM_TEST_TOKEN}x`, `Basic ${SCIM_TEST_TOKEN}`, "Bearer"])
      expect(await asked(header)).toMatchObject({ kind: "unauthorized", problem: { status: 401 } });
  });

  it("accepts the current and the previous token during a rotation", async () => {
    const previous = "previous-token-0123456789abcdefghijklmnop";
    const tokens = rotatingTokens([SCIM_TEST_TOKEN, previous], [SCIM_TEST_TOKEN, previous]);
    const scim = client(scimFakes({ secrets: tokens }));

    const withCurrent = await scim.send("GET", "/ServiceProviderConfig");
    const withPrevious = await scim.send("GET", "/ServiceProviderConfig", undefined, {
      authorization: `Bearer ${previous}`,
    });

    expect(withCurrent).toMatchObject({ kind: "ok", status: 200 });
    expect(withPrevious).toMatchObject({ kind: "ok", status: 200 });
    expect(tokens.reads).toEqual([false, false]);
  });

  it("reads the store again for a token the container has not seen: a new token works at once", async () => {
    const rotated = "rotated-token-0123456789abcdefghijklmnopq";
    const tokens = rotatingTokens([SCIM_TEST_TOKEN], [rotated, SCIM_TEST_TOKEN]);
    const scim = client(scimFakes({ secrets: tokens }));

    const withNew = await scim.send("GET", "/ServiceProviderConfig", undefined, {
      authorization: `Bearer ${rotated}`,
    });
    const wrong = await scim.send("GET", "/ServiceProviderConfig", undefined, {
      authorization: `Bearer ${rotated}x`,
    });

    expect(withNew).toMatchObject({ kind: "ok", status: 200 });
    expect(wrong).toMatchObject({ kind: "unauthorized" });
    expect(tokens.reads).toEqual([false, true, false, true]);
  });

  it("answers 500 (misconfigured) for a stored token too short to be safe", async () => {
    const scim = client(
      scimFakes({ token: { store: "env", variable: "SCIM_TOKEN", value: "short" } }),
    );

    const outcome = await scim.send("GET", "/Users", undefined, { authorization: "Bearer short" });

    expect(outcome).toMatchObject({ kind: "misconfigured" });
  });
});
