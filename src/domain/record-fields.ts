/** Record fields a condition may test; anything under `attributes.` is allowed too. */
export const RECORD_FIELDS = [
  "employeeId",
  "status",
  "firstName",
  "lastName",
  "email",
  "username",
  "department",
  "location",
  "jobCode",
  "managerId",
  "startDate",
  "endDate",
] as const;
