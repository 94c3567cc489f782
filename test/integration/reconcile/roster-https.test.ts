import { afterEach, describe, expect, it } from "vitest";
import type { HrRecord } from "../../../src/domain/hr";
import { employeeRecord } from "../../support/hr-fixtures";
import { basic, type ReportServer, startReportServer } from "../../support/report-server";
import { type RosterWorld, staff, startRosterWorld } from "../../support/roster-stack";

/**
 * Issue #18 through the real reconcile handler: the canonical feed's roster is
 * a report over HTTP(S) (Workday RaaS style), from a loopback server.
 */

let world: RosterWorld | undefined;
let server: ReportServer | undefined;

afterEach(async () => {
  await server?.close();
  await world?.close();
  world = undefined;
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

/** W1..W3 hired by webhook; HR then moved W1 to Sales, let W2 go and hired W4, and no webhook came. */
const LATER = [
  employeeRecord("W1", { department: "Sales" }),
  employeeRecord("W3"),
  employeeRecord("W4"),
];

async function hired(): Promise<RosterWorld> {
  const w = await startRosterWorld(staff("W1", "W2", "W3"));
  await w.hire(...staff("W1", "W2", "W3"));
  return w;
}

async function rostersFile(w: RosterWorld, lines: string[]): Promise<string> {
  return w.rostersFile(
    ["version: 1", "rosters:", "  canonical:", "    kind: https", ...lines, ""].join("\n"),
  );
}

function expectRepaired(w: RosterWorld) {
  const basicProfile = w.stack.emulator
    .dumpState()
    .routingProfiles.find((p) => p.name === "Basic Routing Profile")?.id;
  expect(w.user("w1@example.com")?.RoutingProfileId).toBe(basicProfile);
  expect(w.user("w2@example.com")).toBeUndefined();
  expect(w.user("w4@example.com")).toBeDefined();
}

describe("an HTTPS roster", () => {
  it("repairs a lost joiner, mover and leaver from a Workday report read with basic auth", async () => {
    world = await hired();
    server = await startReportServer((request, response) => {
      if (request.authorization !== basic(ISU.username, ISU.password)) {
        response.writeHead(401).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ Report_Entry: LATER.map(entry) }));
    });
    const file = await rostersFile(world, [
      `    url: ${server.url}/ccx/service/customreport2/acme/ISU_Connect/Agents?format=json`,
      "    auth: { type: basic, secret: env:ROSTER_REPORT_SECRET }",
      ...WORKDAY_MAPPING,
    ]);

    const { answer, run } = await world.reconcile({
      ROSTERS_FILE: file,
      ROSTER_REPORT_SECRET: JSON.stringify(ISU),
    });

    expect(answer?.status).toBe("completed");
    expectRepaired(world);
    expect(run?.repairsFrom).toEqual({ hr: 3, connect: 0 });
    expect(run?.rosters).toContainEqual(
      expect.objectContaining({
        source: "canonical",
        kind: "https",
        location: `${server.url}/ccx/service/customreport2/acme/ISU_Connect/Agents`,
        employees: 3,
        ageHours: 0,
      }),
    );
    expect(server.seen).toHaveLength(1);
  });

  it("repairs them from a report read page by page with an OAuth client-credentials token", async () => {
    world = await hired();
    const pages = [LATER.slice(0, 2), LATER.slice(2)];
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
    const file = await rostersFile(world, [
      `    url: ${server.url}/report?page=1`,
      "    format: jsonl",
      `    auth: { type: client-credentials, tokenUrl: "${server.url}/oauth2/token", scope: reports, secret: env:ROSTER_CLIENT_SECRET }`,
      "    paging: { next: link-header }",
    ]);

    const { run } = await world.reconcile({
      ROSTERS_FILE: file,
      ROSTER_CLIENT_SECRET: JSON.stringify(CLIENT),
    });

    expectRepaired(world);
    expect(run?.repairsFrom).toEqual({ hr: 3, connect: 0 });
    expect(server.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /oauth2/token",
      "GET /report?page=1",
      "GET /report?page=2",
    ]);
  });
});

describe("an HTTPS roster that cannot be read completely", () => {
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
        response.end(`${LATER.map((r) => JSON.stringify(r)).join("\n")}\n`),
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
        response.end(`${JSON.stringify(LATER[0])}\n`);
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
        response.write(`${JSON.stringify(LATER[0])}\n`);
        setImmediate(() => raw?.socket.destroy());
      },
      /the report broke off after \d+ bytes \(TypeError\): cut off/,
    ],
  ])("fails the run and changes nothing when the report %s", async (_, lines, handle, reason) => {
    world = await hired();
    server = await startReportServer((request, response, raw) => handle(request, response, raw));
    const file = await rostersFile(world, lines(server));
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
