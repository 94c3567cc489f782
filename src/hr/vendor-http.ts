/**
 * One JSON request to an HR vendor's API, retried while a retry may help:
 * 429, 5xx gateway answers, timeouts and connection errors, with
 * exponential backoff and full jitter, or what Retry-After asks, never more
 * than `maxDelayMs`. 404 is an answer ("not-found"); any other refusal and
 * a body that is not JSON are errors made by the vendor's `error`, which
 * never quote the vendor's body (it may hold personal data).
 */
export interface VendorHttpOptions {
  /** "BambooHR", "HiBob": how errors name the vendor. */
  vendor: string;
  /** Makes the vendor's error class (e.g. BambooHrApiError). */
  error: (message: string, status?: number, cause?: unknown) => Error;
  /** What to say about a 401 or 403, e.g. "check the API key and its permissions". */
  authHint: string;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface VendorRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** JSON-encoded by the caller. */
  body?: string;
}

const RETRIED = new Set([429, 500, 502, 503, 504]);

export async function vendorJson(
  request: VendorRequest,
  options: VendorHttpOptions,
): Promise<unknown | "not-found"> {
  const attempts = options.attempts ?? 4;
  let lastProblem: { message: string; status?: number; cause?: unknown } = {
    message: "no attempt made",
  };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      lastProblem = { message: `${options.vendor} could not be reached (${name})`, cause: error };
      if (attempt < attempts) await delay(backoff(options, attempt));
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return "not-found";
    }
    if (RETRIED.has(response.status)) {
      await response.body?.cancel();
      lastProblem = {
        message: `${options.vendor} answered ${response.status}`,
        status: response.status,
      };
      if (attempt < attempts) await delay(backoff(options, attempt, response.headers));
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      const auth = response.status === 401 || response.status === 403;
      throw options.error(
        `${options.vendor} answered ${response.status}${auth ? ` (${options.authHint})` : ""}`,
        response.status,
      );
    }
    try {
      return await response.json();
    } catch (error) {
      throw options.error(`${options.vendor}'s answer is not JSON`, response.status, error);
    }
  }
  throw options.error(
    `${lastProblem.message}, after ${attempts} attempts`,
    lastProblem.status,
    lastProblem.cause,
  );
}

/** Exponential with full jitter, or what Retry-After asks, never more than maxDelayMs. */
function backoff(options: VendorHttpOptions, attempt: number, headers?: Headers): number {
  const max = options.maxDelayMs ?? 5_000;
  const retryAfter = Number(headers?.get("retry-after"));
  if (headers?.has("retry-after") && Number.isFinite(retryAfter) && retryAfter >= 0)
    return Math.min(max, retryAfter * 1000);
  const ceiling = Math.min(max, (options.baseDelayMs ?? 250) * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `Basic base64(user:password)`. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}
