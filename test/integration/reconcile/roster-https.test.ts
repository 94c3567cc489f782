import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HrRecord } from "../../../src/domain/hr";
import { employeeRecord } from "../../support/hr-fixtures";
import { basic, type ReportServer, startReportServer } from "../../support/report-server";
import {
  type RosterFeed,
  type RosterWorld,
  staff,
  startRosterWorld,
} from "../../support/roster-stack";

/**
 * Issue #18 through the real reconcile handler: an HR source's roster is a
 * report over HTTP(S) (Workday RaaS style), from a loopback server. One stack
 * for the file: each test has an HR source of its own.
 */

let world: RosterWorld;
let server: ReportServer | undefined;

beforeAll(async () => {
  world = await startRosterWorld();
});

afterAll(async () => {
  await world?.close();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ISU = { username: "ISU_Connect@acme", password: "raas-password" };
const CLIENT = { clientId: "connect-hr-sync", clientSecret: "client-secret" };

/** A Workday report entry, in the report's own column names. */
function entry(record: HrRecord): Record<string, string> {
  return {
    Employee_ID: record.employeeId,
    Legal_Name_First_Name: record.firstName,
    Legal_Name_Last_Name: record.lastName,
    Primary_Work_Email: record.email,
    Supervisory_Organization: record.department ?? "",
    Location: record.location ?? "",
    Job_Code: record.jobCode ?? "",
    Active_Status: record.status === "active" ? "1" : "0",
    Hire_Date: `${record.startDate}-08:00`,
  };
}

const WORKDAY_MAPPING = [
  "    records: Report_Entry",
  "    mapping:",
  "      employeeId: Employee_ID",
  "      firstName: Legal_Name_First_Name",
  "      lastName: Legal_Name_Last_Name",
  "      email: Primary_Work_Email",
  "      department: Supervisory_Organization",
  "      location: Location",
  "      jobCode: Job_Code",
  "      startDate: Hire_Date",
  '      status: { path: Active_Status, values: { "1": active, "0": terminated } }',
];

/**
 * `p`1..`p`3 hired by webhook on a source of their own; HR then moved `p`1 to
 * Sales, let `p`2 go and hired `p`4, and no webhook came: `later` is the report.
 */
async function hired(source: string, p: string) {
  const feed = world.feed(source);
  await feed.hire(...staff(`${p}1`, `${p}2`, `${p}3`));
  const later = [
    employeeRecord(`${p}1`, { department: "Sales" }),
    employeeRecord(`${p}3`),
    employeeRecord(`${p}4`),
  ];
  return { feed, later };
}

/** What a report that cannot be read completely would have listed: the unreadable source's staff. */
const REPORT = staff("Y1", "Y2", "Y3");

const rostersFile = (feed: RosterFeed, lines: string[]) =>
  feed.rostersFile(["kind: https", ...lines.map((l) => l.replace(/^ {4}/, ""))]);

function expectRepaired(p: string) {
  const basicProfile = world.stack.emulator
    .dumpState()
    .routingProfiles.find((r) => r.name === "Basic Routing Profile")?.id;
  const user = (n: number) => world.user(`${p.toLowerCase()}${n}@example.com`);
  expect(user(1)?.RoutingProfileId).toBe(basicProfile);
  expect(user(2)).toBeUndefined();
  expect(user(4)).toBeDefined();
}

describe("an HTTPS roster", () => {
  it("repairs a lost joiner, mover and leaver from a Workday report read with basic auth", async () => {
    const { feed, later } = await hired("workday", "W");
    server = await startReportServer((request, response) => {
      if (request.authorization !== basic(ISU.username, ISU.password)) {
        response.writeHead(401).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ Report_Entry: later.map(entry) }));
    });
    const file = await rostersFile(feed, [
      `    url: ${server.url}/ccx/service/customreport2/acme/ISU_Connect/Agents?format=json`,
      "    auth: { type: basic, secret: env:ROSTER_REPORT_SECRET }",
      ...WORKDAY_MAPPING,
    ]);

    const { answer, run } = await world.reconcile({
      ROSTERS_FILE: file,
      ROSTER_REPORT_SECRET: JSON.stringify(ISU),
    });

    expect(answer?.status).toBe("completed");
    expectRepaired("W");
    expect(run?.repairsFrom).toEqual({ hr: 3, connect: 0 });
    expect(run?.rosters).toContainEqual(
      expect.objectContaining({
        source: "workday",
        kind: "https",
        location: `${server.url}/ccx/service/customreport2/acme/ISU_Connect/Agents`,
        employees: 3,
        ageHours: 0,
      }),
    );
    expect(server.seen).toHaveLength(1);
  });

  it("repairs them from a report read page by page with an OAuth client-credentials token", async () => {
    const { feed, later } = await hired("paged", "P");
    const pages = [later.slice(0, 2), later.slice(2)];
    server = await startReportServer((request, response) => {
      if (request.path === "/oauth2/token") {
        const form = new URLSearchParams(request.body);
        const ok =
          request.method === "POST" &&
          request.authorization === basic(CLIENT.clientId, CLIENT.clientSecret) &&
          form.get("grant_type") === "client_credentials" &&
          form.get("scope") === "reports";
        response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
        response.end(
          ok
            ? JSON.stringify({ access_token: "t0k3n", token_type: "Bearer", expires_in: 3600 })
            : "{}",
        );
        return;
      }
      if (request.authorization !== "Bearer t0k3n") {
        response.writeHead(401).end();
        return;
      }
      const page = Number(new URL(request.path, "http://x").searchParams.get("page") ?? "1");
      const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
      if (page < pages.length) headers.link = `</report?page=${page + 1}>; rel="next"`;
      response.writeHead(200, headers);
      response.end(`${(pages[page - 1] ?? []).map((r) => JSON.stringify(r)).join("\n")}\n`);
    });
    const file = await rostersFile(feed, [
      `    url: ${server.url}/report?page=1`,
      "    format: jsonl",
      `    auth: { type: client-credentials, tokenUrl: "${server.url}/oauth2/token", scope: reports, secret: env:ROSTER_CLIENT_SECRET }`,
      "    paging: { next: link-header }",
    ]);

    const { run } = await world.reconcile({
      ROSTERS_FILE: file,
      ROSTER_CLIENT_SECRET: JSON.stringify(CLIENT),
    });

    expectRepaired("P");
    expect(run?.repairsFrom).toEqual({ hr: 3, connect: 0 });
    expect(server.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /oauth2/token",
      "GET /report?page=1",
      "GET /report?page=2",
    ]);
  });
});

describe("an HTTPS roster that cannot be read completely", () => {
  const unreadable = () => world.feed("unreadable");

  beforeAll(async () => {
    await unreadable().hire(...REPORT);
  });

  it.each([
    [
      "refuses the credentials",
      (s: ReportServer) => [
        `    url: ${s.url}/r`,
        "    auth: { type: basic, secret: env:ROSTER_REPORT_SECRET }",
      ],
      (_: unknown, response: import("node:http").ServerResponse) => response.writeHead(401).end(),
      /answered 401 \(check the credentials and the report's permissions\)/,
    ],
    [
      "does not answer within timeoutSeconds",
      (s: ReportServer) => [`    url: ${s.url}/r`, "    timeoutSeconds: 1"],
      (_: unknown, response: import("node:http").ServerResponse) => response.writeHead(200),
      /was not read within 1 s \(timeoutSeconds\)/,
    ],
    [
      "is larger than maxBytes",
      (s: ReportServer) => [`    url: ${s.url}/r`, "    maxBytes: 200", "    format: jsonl"],
      (_: unknown, response: import("node:http").ServerResponse) =>
        response.end(`${REPORT.map((r) => JSON.stringify(r)).join("\n")}\n`),
      /over the bound of 200( bytes)? \(maxBytes\)/,
    ],
    [
      "links its next page to another origin",
      (s: ReportServer) => [
        `    url: ${s.url}/r`,
        "    format: jsonl",
        "    paging: { next: link-header }",
      ],
      (_: unknown, response: import("node:http").ServerResponse) => {
        response.writeHead(200, { link: '<https://elsewhere.example.com/r?page=2>; rel="next"' });
        response.end(`${JSON.stringify(REPORT[0])}\n`);
      },
      /a page links to another origin \(https:\/\/elsewhere\.example\.com\): not followed/,
    ],
    [
      "is cut off before its announced length",
      (s: ReportServer) => [`    url: ${s.url}/r`, "    format: jsonl"],
      (
        _: unknown,
        response: import("node:http").ServerResponse,
        raw?: import("node:http").IncomingMessage,
      ) => {
        response.writeHead(200, { "content-length": "5000" });
        response.write(`${JSON.stringify(REPORT[0])}\n`);
        setImmediate(() => raw?.socket.destroy());
      },
      /the report broke off after \d+ bytes \(TypeError\): cut off/,
    ],
  ])("fails the run and changes nothing when the report %s", async (_, lines, handle, reason) => {
    server = await startReportServer((request, response, raw) => handle(request, response, raw));
    const file = await rostersFile(unreadable(), lines(server));
    const before = world.users();

    const { error, metrics } = await world.reconcile({
      ROSTERS_FILE: file,
      ROSTER_REPORT_SECRET: JSON.stringify({ ...ISU, password: "wrong" }),
    });

    expect(error?.name).toBe("RosterUnusableError");
    expect(error?.message).toMatch(reason);
    expect(error?.message).not.toContain("wrong");
    expect(metrics).toContain("ReconcileFailed");
    expect(world.users()).toEqual(before);
  });
});
