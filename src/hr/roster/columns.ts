import type { HrRecord } from "../../domain/hr";

export const REQUIRED_COLUMNS = [
  "employeeId",
  "firstName",
  "lastName",
  "email",
  "department",
  "location",
  "jobCode",
  "status",
  "startDate",
  "endDate",
] as const;
export const OPTIONAL_COLUMNS = ["username", "managerId"] as const;
export const ATTRIBUTE_PREFIX = "attributes.";

const KNOWN = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as readonly string[];

/** HR exports say Active/Inactive/Terminated; the canonical record says active/terminated. */
const STATUSES: Record<string, HrRecord["status"]> = {
  active: "active",
  terminated: "terminated",
  inactive: "terminated",
};

/** The file's header problems, one line each; the columns as the record names them when none. */
export function readHeader(names: readonly string[]): { columns: string[]; problems: string[] } {
  const problems: string[] = [];
  // Exports differ in case and spacing (EmployeeID, "First Name" is not read): case is forgiven.
  const columns = names.map((raw) => {
    const name = raw.trim();
    const known = KNOWN.find((k) => k.toLowerCase() === name.toLowerCase());
    if (known) return known;
    if (name.toLowerCase().startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length)
      return `${ATTRIBUTE_PREFIX}${name.slice(ATTRIBUTE_PREFIX.length)}`;
    const near = KNOWN.find((k) => k.toLowerCase() === name.toLowerCase().replace(/[\s_-]+/g, ""));
    problems.push(
      `unknown column ${JSON.stringify(raw)}${near ? ` (did you mean "${near}"?)` : ""}`,
    );
    return name;
  });
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) problems.push(`missing column(s): ${missing.join(", ")}`);
  const twice = [...new Set(columns.filter((name, i) => columns.indexOf(name) !== i))];
  if (twice.length > 0) problems.push(`column(s) named twice: ${twice.join(", ")}`);
  return { columns, problems };
}

/** A row as the HR record's input: empty cells are null (absent for attributes). */
export function rowObject(columns: readonly string[], fields: readonly string[]) {
  const row: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  columns.forEach((column, i) => {
    const value = (fields[i] ?? "").trim();
    if (column.startsWith(ATTRIBUTE_PREFIX)) {
      if (value !== "") attributes[column.slice(ATTRIBUTE_PREFIX.length)] = value;
    } else if (column === "status") {
      row.status = value === "" ? null : (STATUSES[value.toLowerCase()] ?? value);
    } else {
      row[column] = value === "" ? null : value;
    }
  });
  row.attributes = attributes;
  return row;
}
