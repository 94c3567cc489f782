import { type HrRecord, hrRecordSchema } from "../../domain/hr";
import { type FieldProblem, fieldProblems } from "../../domain/validation";
import * as z from "../../domain/zod";

/**
 * A BambooHR employee (REST API, `GET /v1/employees/{id}?fields=...`) as a
 * canonical HR record:
 *
 * | BambooHR        | canonical  | note                                          |
 * |-----------------|------------|-----------------------------------------------|
 * | status          | status     | Active -> active, Inactive -> terminated      |
 * | firstName       | firstName  |                                               |
 * | lastName        | lastName   |                                               |
 * | workEmail       | email      | the private e-mail is never used              |
 * | department      | department |                                               |
 * | location        | location   |                                               |
 * | jobTitle        | jobCode    | BambooHR has no job code; rules match titles  |
 * | supervisorEId   | managerId  | the supervisor's employee id                  |
 * | hireDate        | startDate  | "0000-00-00" or empty: none                   |
 * | terminationDate | endDate    | "0000-00-00" or empty: none                   |
 *
 * The API leaves out fields the key may not read: a required field that is
 * missing is reported by its BambooHR name.
 */
export const BAMBOOHR_FIELDS = [
  "firstName",
  "lastName",
  "workEmail",
  "department",
  "location",
  "jobTitle",
  "status",
  "hireDate",
  "terminationDate",
  "supervisorEId",
] as const;

export type BambooHrField = (typeof BAMBOOHR_FIELDS)[number];

/** An employee as BambooHR's API returns it: strings, sometimes numbers, null when empty. */
export type BambooHrEmployee = { id?: string | number } & Partial<
  Record<BambooHrField, string | number | null>
>;

const CANONICAL_TO_BAMBOOHR: Record<string, string> = {
  email: "workEmail",
  startDate: "hireDate",
  endDate: "terminationDate",
  jobCode: "jobTitle",
  managerId: "supervisorEId",
};

const value = z.optional(z.union([z.string(), z.number(), z.null()]));
const employeeSchema = z.object(
  Object.fromEntries(BAMBOOHR_FIELDS.map((field) => [field, value])) as Record<
    BambooHrField,
    typeof value
  >,
);

export type BambooHrMapping =
  | { ok: true; record: HrRecord }
  | { ok: false; problems: FieldProblem[]; inactive: boolean };

export function bambooHrRecord(employeeId: string, raw: unknown): BambooHrMapping {
  const parsed = employeeSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, problems: prefixed(fieldProblems(parsed.error)), inactive: false };
  const employee = parsed.data;
  const status = text(employee.status)?.toLowerCase();
  const candidate = {
    employeeId,
    status: status === "active" ? "active" : status === "inactive" ? "terminated" : undefined,
    firstName: text(employee.firstName),
    lastName: text(employee.lastName),
    email: text(employee.workEmail),
    username: null,
    department: text(employee.department) ?? null,
    location: text(employee.location) ?? null,
    jobCode: text(employee.jobTitle) ?? null,
    managerId: text(employee.supervisorEId) ?? null,
    startDate: date(employee.hireDate),
    endDate: date(employee.terminationDate),
    phone: null,
    attributes: {},
  };
  const record = hrRecordSchema.safeParse(candidate);
  if (record.success) return { ok: true, record: record.data };
  const problems = fieldProblems(record.error).map((p) => {
    const field = p.path.split(/[.[]/)[0] ?? p.path;
    const name = CANONICAL_TO_BAMBOOHR[field] ?? field;
    if (field === "status")
      return { path: "bamboohr.status", message: "must be Active or Inactive" };
    return { path: `bamboohr.${name}${p.path.slice(field.length)}`, message: p.message };
  });
  return { ok: false, problems, inactive: status === "inactive" };
}

function text(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = String(value).trim();
  return trimmed === "" ? undefined : trimmed;
}

function date(value: string | number | null | undefined): string | null {
  const given = text(value);
  return given === undefined || /^0000-00-00/.test(given) ? null : given;
}

function prefixed(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({
    ...p,
    path: p.path === "(root)" ? "bamboohr" : `bamboohr.${p.path}`,
  }));
}
