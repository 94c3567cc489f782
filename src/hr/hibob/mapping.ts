import { type HrRecord, hrRecordSchema } from "../../domain/hr";
import type { FieldProblem } from "../../domain/validation";

/**
 * A HiBob employee, as `POST /v1/people/search` returns it with
 * `humanReadable: "APPEND"`, as a canonical HR record:
 *
 * | HiBob field id            | canonical  | note                                              |
 * |---------------------------|------------|---------------------------------------------------|
 * | root.id                   | employeeId | must be the id asked for                          |
 * | root.firstName            | firstName  |                                                   |
 * | root.surname              | lastName   |                                                   |
 * | root.email                | email      | the work e-mail                                   |
 * | work.department           | department | a list: its display name (humanReadable)          |
 * | work.site                 | location   | a list: its display name                          |
 * | work.title                | jobCode    | a list: its display name; rules match titles      |
 * | work.reportsTo            | managerId  | the manager's id                                  |
 * | work.startDate            | startDate  |                                                   |
 * | internal.terminationDate  | endDate    | dropped when before startDate (an earlier stint)  |
 * | internal.status           | status     | with internal.lifecycleStatus: see `statusOf`     |
 * | internal.lifecycleStatus  | attributes.lifecycleStatus | lower case, for the rules' scope  |
 *
 * The API answers 200 without the fields the service user may not read (and
 * without unknown field ids): a field that does not come back is a problem
 * named by its HiBob id, never an empty value, so that a missing permission
 * cannot take everyone out of scope.
 */
export const HIBOB_FIELDS = [
  "root.id",
  "root.firstName",
  "root.surname",
  "root.email",
  "work.department",
  "work.site",
  "work.title",
  "work.reportsTo",
  "work.startDate",
  "internal.status",
  "internal.lifecycleStatus",
  "internal.terminationDate",
] as const;

export type HiBobField = (typeof HIBOB_FIELDS)[number];

/** Fields that may be absent from an answer; every other one must come back, null or not. */
const OPTIONAL: ReadonlySet<HiBobField> = new Set([
  "work.reportsTo",
  "internal.lifecycleStatus",
  "internal.terminationDate",
]);
/** List fields: the machine value is an item id, the display name is in `humanReadable`. */
const LISTS: ReadonlySet<HiBobField> = new Set(["work.department", "work.site", "work.title"]);

const CANONICAL_TO_HIBOB: Record<string, HiBobField> = {
  employeeId: "root.id",
  firstName: "root.firstName",
  lastName: "root.surname",
  email: "root.email",
  department: "work.department",
  location: "work.site",
  jobCode: "work.title",
  managerId: "work.reportsTo",
  startDate: "work.startDate",
  endDate: "internal.terminationDate",
};

export type HiBobMapping =
  | { ok: true; record: HrRecord }
  | { ok: false; problems: FieldProblem[]; terminated: boolean };

/** An employee object of HiBob's answer, read field by field. */
export function hiBobRecord(employeeId: string, raw: unknown): HiBobMapping {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return {
      ok: false,
      problems: [{ path: "hibob", message: "must be an object" }],
      terminated: false,
    };
  const employee = raw as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const read = (field: HiBobField): unknown => {
    const found = fieldValue(employee, field);
    if (found.present)
      return LISTS.has(field) ? displayName(employee, field, found.value, problems) : found.value;
    if (!OPTIONAL.has(field))
      problems.push({
        path: `hibob.${field}`,
        message: "was not returned: check the service user's permissions for this field",
      });
    return undefined;
  };

  const values = Object.fromEntries(HIBOB_FIELDS.map((f) => [f, read(f)])) as Record<
    HiBobField,
    unknown
  >;
  const id = text(values["root.id"]);
  if (id !== undefined && id !== employeeId)
    problems.push({ path: "hibob.root.id", message: "is not the employee asked for" });
  // Its display name when Bob sends one (the machine value may be an item id).
  const lifecycle = text(
    nestedIn(employee.humanReadable, "internal.lifecycleStatus") ??
      values["internal.lifecycleStatus"],
  )
    ?.toLowerCase()
    .replace(/[\s_-]+/g, " ");
  const accessStatus = text(values["internal.status"])?.toLowerCase();
  const startDate = date(values["work.startDate"]);
  const terminationDate = date(values["internal.terminationDate"]);
  const status = statusOf(accessStatus, lifecycle, terminationDate);
  if (status === undefined && values["internal.status"] !== undefined)
    problems.push({ path: "hibob.internal.status", message: "must be Active or Inactive" });

  const candidate = {
    employeeId,
    status,
    firstName: text(values["root.firstName"]),
    lastName: text(values["root.surname"]),
    email: text(values["root.email"]),
    username: null,
    department: text(values["work.department"]) ?? null,
    location: text(values["work.site"]) ?? null,
    jobCode: text(values["work.title"]) ?? null,
    managerId: managerOf(values["work.reportsTo"]) ?? null,
    startDate,
    // A rehire keeps the termination date of the earlier employment: it ends nothing now.
    endDate:
      terminationDate !== null &&
      startDate !== null &&
      terminationDate < startDate &&
      status === "active"
        ? null
        : terminationDate,
    phone: null,
    attributes: lifecycle === undefined ? {} : { lifecycleStatus: lifecycle },
  };
  const terminated = status === "terminated";
  if (problems.length > 0) return { ok: false, problems, terminated };
  const record = hrRecordSchema.safeParse(candidate);
  if (record.success) return { ok: true, record: record.data };
  return {
    ok: false,
    terminated,
    problems: record.error.issues.map((issue) => {
      const [field = ""] = issue.path.map(String);
      return { path: `hibob.${CANONICAL_TO_HIBOB[field] ?? field}`, message: issue.message };
    }),
  };
}

const LEAVING = new Set(["terminated", "garden leave"]);
const STAYING = new Set(["hired", "employed", "leave", "parental leave"]);

/**
 * HiBob's lifecycle status decides when it is one Bob documents: Terminated
 * and Garden leave (the last day of work has passed: Bob sends employee.left)
 * are leavers; Hired, Employed, Leave and Parental leave keep the person
 * (their dates and the rules' scope decide). Otherwise (absent, or a custom
 * status): an Inactive employee with a termination date has left, anyone
 * else stays.
 */
export function statusOf(
  accessStatus: string | undefined,
  lifecycle: string | undefined,
  terminationDate: string | null,
): "active" | "terminated" | undefined {
  if (accessStatus !== "active" && accessStatus !== "inactive") return undefined;
  if (lifecycle !== undefined && LEAVING.has(lifecycle)) return "terminated";
  if (lifecycle !== undefined && STAYING.has(lifecycle)) return "active";
  return accessStatus === "inactive" && terminationDate !== null ? "terminated" : "active";
}

/** `/work/site: {value}` (what the contract documents), else the nested `work.site` (root fields at the top). */
function fieldValue(
  employee: Record<string, unknown>,
  field: HiBobField,
): { present: boolean; value?: unknown } {
  const slashed = employee[`/${field.replace(/\./g, "/")}`];
  if (slashed !== null && typeof slashed === "object" && "value" in slashed)
    return { present: true, value: (slashed as { value: unknown }).value };
  return nested(employee, field);
}

function nested(
  node: Record<string, unknown>,
  field: string,
): { present: boolean; value?: unknown } {
  const [category = "", ...rest] = field.split(".");
  let at: unknown = category === "root" ? node : node[category];
  for (const key of rest) {
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) return { present: false };
    at = (at as Record<string, unknown>)[key];
  }
  return { present: true, value: at };
}

/** The value at a field id inside a node such as `humanReadable`, if there is one. */
function nestedIn(node: unknown, field: string): unknown {
  if (node === null || typeof node !== "object") return undefined;
  return nested(node as Record<string, unknown>, field).value;
}

/** A list item's display name from the `humanReadable` node; an item id without one is a problem. */
function displayName(
  employee: Record<string, unknown>,
  field: HiBobField,
  value: unknown,
  problems: FieldProblem[],
): unknown {
  if (value === null || value === undefined || value === "") return null;
  const named = nestedIn(employee.humanReadable, field);
  if (text(named) !== undefined) return named;
  problems.push({
    path: `hibob.${field}`,
    message: "came back without its display name: the request must ask for humanReadable APPEND",
  });
  return undefined;
}

function managerOf(value: unknown): string | undefined {
  if (value !== null && typeof value === "object") return text((value as { id?: unknown }).id);
  return text(value);
}

function text(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const trimmed = String(value).trim();
  return trimmed === "" ? undefined : trimmed;
}

function date(value: unknown): string | null {
  return text(value) ?? null;
}
