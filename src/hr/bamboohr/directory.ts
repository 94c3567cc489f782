import type { HrDirectory } from "../../app/ports/hr-directory";
import type { HrRecord } from "../../domain/hr";
import { HrRecordUnusableError } from "../directory";
import { BAMBOOHR_SOURCE } from "../source-names";
import { basicAuth, vendorJson } from "../vendor-http";
import { BAMBOOHR_FIELDS, bambooHrRecord } from "./mapping";

/** BambooHR did not give an answer we can use (after the retries): the event is tried again later. */
export class BambooHrApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BambooHrApiError";
  }
}

export interface BambooHrDirectoryOptions {
  /** `https://api.bamboohr.com/api/gateway.php`, or the fake's URL locally. */
  apiUrl: string;
  companyDomain: string;
  /** Read on each request (the reader caches): a rotated key is picked up without a restart. */
  apiKey: () => Promise<string>;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** HTTP attempts for 429, 5xx, timeouts and connection errors. */
  attempts?: number;
  baseDelayMs?: number;
  /** The longest wait between attempts, Retry-After included. */
  maxDelayMs?: number;
}

/**
 * HrDirectory over BambooHR's REST API.
 *
 * - `getEmployee`: one `GET /{companyDomain}/v1/employees/{id}?fields=...`
 *   (Basic auth: the API key as user name, "x" as password). 404: the
 *   employee is no longer in BambooHR. An Inactive employee whose record
 *   lacks a required field also counts as gone (their agent goes either way);
 *   an Active one raises HrRecordUnusableError.
 * - `listEmployees`: `GET .../v1/employees/directory` (active employees only,
 *   as BambooHR lists them), then one `getEmployee` per employee: 1 + N calls.
 */
export class BambooHrDirectory implements HrDirectory {
  /** A 404 may be a mistyped company domain or an outage: never a leaver by itself. */
  readonly confirmsAbsence = false;

  private readonly base: string;

  constructor(private readonly options: BambooHrDirectoryOptions) {
    this.base = `${options.apiUrl.replace(/\/+$/, "")}/${encodeURIComponent(options.companyDomain)}/v1`;
  }

  async getEmployee(employeeId: string): Promise<HrRecord | undefined> {
    const response = await this.get(
      `/employees/${encodeURIComponent(employeeId)}?fields=${BAMBOOHR_FIELDS.join(",")}`,
    );
    if (response === "not-found") return undefined;
    const mapped = bambooHrRecord(employeeId, response);
    if (mapped.ok) return mapped.record;
    if (mapped.inactive) return undefined;
    throw new HrRecordUnusableError(BAMBOOHR_SOURCE, mapped.problems);
  }

  async *listEmployees(): AsyncIterable<HrRecord> {
    const directory = await this.get("/employees/directory");
    const employees =
      directory !== "not-found" && typeof directory === "object" && directory !== null
        ? (directory as { employees?: unknown }).employees
        : undefined;
    if (!Array.isArray(employees))
      throw new BambooHrApiError("BambooHR's employee directory answer has no employees list");
    for (const entry of employees) {
      const id = (entry as { id?: unknown } | null)?.id;
      if (typeof id !== "string" && typeof id !== "number") continue;
      const record = await this.getEmployee(String(id));
      if (record) yield record;
    }
  }

  /** The parsed JSON answer, or "not-found" for a 404; retries what may pass later. */
  private async get(path: string): Promise<unknown> {
    const { apiKey, timeoutMs, attempts, baseDelayMs, maxDelayMs } = this.options;
    return vendorJson(
      {
        url: `${this.base}${path}`,
        method: "GET",
        headers: { Accept: "application/json", Authorization: basicAuth(await apiKey(), "x") },
      },
      {
        vendor: "BambooHR",
        error: (message, status, cause) => new BambooHrApiError(message, status, { cause }),
        authHint: "check the API key and its permissions",
        timeoutMs,
        attempts,
        baseDelayMs,
        maxDelayMs,
      },
    );
  }
}
