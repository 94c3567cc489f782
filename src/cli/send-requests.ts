/** The requests a file of HR events becomes for `send`; problems are the sender's to fix. */
import { readFile } from "node:fs/promises";
import { BAMBOOHR_SOURCE, HIBOB_SOURCE } from "../hr/source-names";
import { MAX_EVENTS_PER_REQUEST } from "../hr/webhook-source";

export const SEND_SOURCES = ["canonical", BAMBOOHR_SOURCE, HIBOB_SOURCE] as const;
export type SendSource = (typeof SEND_SOURCES)[number];

/** The file or the flags cannot be sent as they are (exit 2). */
export class SendUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SendUsageError";
  }
}

/** Who signs a file: BambooHR's and HiBob's payloads by their shape, anything else canonically. */
export async function sourceOfFile(file: string): Promise<SendSource> {
  return sourceOf(parseJson(await readText(file), file));
}

/** Vendors' payloads by their shape: HiBob's `{triggeredAt}`; BambooHR's `{type: "employee.…"}` or `{employees: [...]}`. */
function sourceOf(payload: unknown): SendSource {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return "canonical";
  const { type, employees, triggeredAt } = payload as {
    type?: unknown;
    employees?: unknown;
    triggeredAt?: unknown;
  };
  // HiBob's v2 events carry triggeredAt (and companyId, triggeredBy); BambooHR's timestamp.
  if (typeof triggeredAt === "string") return HIBOB_SOURCE;
  const bamboo =
    (typeof type === "string" && type.startsWith("employee.")) || Array.isArray(employees);
  return bamboo ? BAMBOOHR_SOURCE : "canonical";
}

/** One request's body; it is signed as it is sent. */
export interface SignedRequest {
  body: string;
  contentType: string;
  events: number;
}

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SendUsageError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`,
    );
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(String(error))?.[1];
    throw new SendUsageError(`${file} is not JSON${at ? ` (at character ${at})` : ""}`);
  }
}

/** A vendor's webhook (BambooHR, HiBob) as the vendor sends it: the body as it is, one request. */
export function vendorRequest(text: string, file: string): SignedRequest {
  const employees = (parseJson(text, file) as { employees?: unknown[] }).employees;
  return {
    body: text,
    contentType: "application/json",
    events: Array.isArray(employees) ? employees.length : 1,
  };
}

export async function readRequests(file: string): Promise<SignedRequest[]> {
  const text = await readText(file);
  const parsed = parseJson(text, file);
  const signed = (body: string, contentType: string, events: number): SignedRequest => ({
    body,
    contentType,
    events,
  });
  if (Array.isArray(parsed)) {
    if (parsed.length === 0)
      throw new SendUsageError(`${file} holds an empty array: nothing to send`);
    if (parsed.length <= MAX_EVENTS_PER_REQUEST)
      return [signed(text, "application/json", parsed.length)];
    const chunks = [];
    for (let start = 0; start < parsed.length; start += MAX_EVENTS_PER_REQUEST) {
      const chunk = parsed.slice(start, start + MAX_EVENTS_PER_REQUEST);
      chunks.push(signed(JSON.stringify(chunk), "application/json", chunk.length));
    }
    return chunks;
  }
  const cloudEvent = parsed !== null && typeof parsed === "object" && "specversion" in parsed;
  return [signed(text, cloudEvent ? "application/cloudevents+json" : "application/json", 1)];
}
