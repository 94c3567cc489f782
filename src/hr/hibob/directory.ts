import type { HrDirectory } from "../../app/ports/hr-directory";
import type { HrRecord } from "../../domain/hr";
import { HrRecordUnusableError } from "../directory";
import { HIBOB_SOURCE } from "../source-names";
import { basicAuth, vendorJson } from "../vendor-http";
import { HIBOB_FIELDS, hiBobRecord } from "./mapping";

/** HiBob did not give an answer we can use (after the retries): the event is tried again later. */
export class HiBobApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HiBobApiError";
  }
}

export interface HiBobDirectoryOptions {
  /** `https://api.hibob.com` (sandbox: `https://api.sandbox.hibob.com`), or the fake's URL locally. */
  apiUrl: string;
  /** The service user's id: Basic auth's user name. */
  serviceUserId: string;
  /** The service user's token, read on each request (the reader caches): a rotation needs no restart. */
  token: () => Promise<string>;
  timeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * HrDirectory over HiBob's People API: `POST /v1/people/search` with the
 * mapping's fields, `showInactive: true` (else terminated and not-yet-hired
 * people are left out) and `humanReadable: "APPEND"` (list fields' display
 * names beside their ids).
 *
 * - `getEmployee`: one search filtered on `root.id equals <id>`. No employee
 *   in the answer: HiBob does not know the id (undefined). A record that
 *   cannot be used raises HrRecordUnusableError, terminated or not.
 * - `listEmployees`: one search without filters: HiBob does not page, one
 *   answer holds every employee. A terminated employee whose record cannot
 *   be used is left out (the roster takes them for gone, which they are);
 *   anyone else's unusable record stops the roster.
 */
export class HiBobDirectory implements HrDirectory {
  /** An employee missing from the answer may be a wrong URL or an outage: never a leaver by itself. */
  readonly confirmsAbsence = false;

  constructor(private readonly options: HiBobDirectoryOptions) {}

  async getEmployee(employeeId: string): Promise<HrRecord | undefined> {
    const employees = await this.search([
      { fieldPath: "root.id", operator: "equals", values: [employeeId] },
    ]);
    const employee = employees.find((e) => idOf(e) === employeeId);
    if (employee === undefined) return undefined;
    const mapped = hiBobRecord(employeeId, employee);
    if (mapped.ok) return mapped.record;
    throw new HrRecordUnusableError(HIBOB_SOURCE, mapped.problems);
  }

  async *listEmployees(): AsyncIterable<HrRecord> {
    for (const employee of await this.search(undefined)) {
      const id = idOf(employee);
      if (id === undefined) throw new HiBobApiError("HiBob listed an employee without root.id");
      const mapped = hiBobRecord(id, employee);
      if (mapped.ok) yield mapped.record;
      else if (!mapped.terminated) throw new HrRecordUnusableError(HIBOB_SOURCE, mapped.problems);
    }
  }

  /** The employees of one search; `filters` is left out when there are none (`[]` can answer 400). */
  private async search(
    filters: { fieldPath: string; operator: "equals"; values: string[] }[] | undefined,
  ): Promise<unknown[]> {
    const { serviceUserId, token, timeoutMs, attempts, baseDelayMs, maxDelayMs } = this.options;
    const answer = await vendorJson(
      {
        url: `${this.options.apiUrl.replace(/\/+$/, "")}/v1/people/search`,
        method: "POST",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          Authorization: basicAuth(serviceUserId, await token()),
        },
        body: JSON.stringify({
          fields: HIBOB_FIELDS,
          ...(filters ? { filters } : {}),
          showInactive: true,
          humanReadable: "APPEND",
        }),
      },
      {
        vendor: "HiBob",
        error: (message, status, cause) => new HiBobApiError(message, status, { cause }),
        authHint: "check the service user's id, token and permission group",
        timeoutMs,
        attempts,
        baseDelayMs,
        maxDelayMs,
      },
    );
    // A 404 to the search endpoint is a wrong API URL, not an unknown employee.
    if (answer === "not-found")
      throw new HiBobApiError("HiBob answered 404 to people/search (check HIBOB_API_URL)", 404);
    const employees = (answer as { employees?: unknown } | null)?.employees;
    if (!Array.isArray(employees))
      throw new HiBobApiError("HiBob's people/search answer has no employees list");
    return employees;
  }
}

/** `root.id`, at the top (`id`) or as `/root/id: {value}`. */
function idOf(employee: unknown): string | undefined {
  if (employee === null || typeof employee !== "object") return undefined;
  const e = employee as { id?: unknown; "/root/id"?: { value?: unknown } };
  const id = e.id ?? e["/root/id"]?.value;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}
