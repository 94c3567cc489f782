import {
  type RosterLimits,
  type RosterRow,
  type RosterSnapshot,
  type RosterSource,
  RosterUnreadableError,
} from "../../app/ports/roster-source";
import type { HttpsRosterSettings } from "../../domain/roster-settings";
import { readBounded } from "./bounded-read";
import type { BodyFormat } from "./formats";
import { pathSegments, valueAt } from "./mapping";
import { authorization, type SecretValue } from "./report-auth";

const RETRIED = new Set([429, 500, 502, 503, 504]);
const ATTEMPTS = 3;

/**
 * A report at a URL (Workday RaaS style: JSON or CSV over HTTPS), read whole
 * within one deadline and one size bound, page after page when it pages.
 * A page's next link must stay on the report's origin: the credentials go
 * nowhere else. Redirects are not followed.
 */
export class HttpsRosterSource implements RosterSource {
  readonly kind = "https" as const;
  readonly limits: RosterLimits;

  constructor(
    readonly source: string,
    private readonly settings: HttpsRosterSettings,
    private readonly secret: SecretValue,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.limits = { minShareOfLast: settings.minShareOfLast, graceMinutes: settings.graceMinutes };
  }

  async read(): Promise<RosterSnapshot> {
    const asOf = this.now();
    const signal = AbortSignal.timeout(this.settings.timeoutSeconds * 1000);
    const location = withoutQuery(this.settings.url);
    const how: BodyFormat = { ...this.settings, format: this.settings.format ?? "json" };
    try {
      const auth = await authorization(this.settings.auth, this.secret, signal);
      // The readers (csv-parse) and the record checks load with the first roster read: a cold
      // start skips them.
      const [{ rowsOf }, { oneRowEach }] = await Promise.all([
        import("./formats"),
        import("./rows"),
      ]);
      const rows: RosterRow[] = [];
      let bytes = 0;
      let next: string | undefined = this.settings.url;
      for (let page = 1; next !== undefined; page++) {
        if (page > this.settings.maxPages)
          throw new RosterUnreadableError(
            `${location} has more than ${this.settings.maxPages} pages (maxPages)`,
          );
        const where = page === 1 && !this.settings.paging ? "" : `page ${page}, `;
        const { body, headers } = await this.fetchPage(
          next,
          auth,
          signal,
          this.settings.maxBytes - bytes,
        );
        bytes += body.byteLength;
        rows.push(...rowsOf(body, how, where));
        next = this.nextPage(next, body, headers);
      }
      return { asOf, location, bytes, rows: oneRowEach(rows) };
    } catch (error) {
      if (error instanceof RosterUnreadableError)
        throw new RosterUnreadableError(`${location}: ${error.message}`, { cause: error });
      const timedOut = signal.aborted;
      throw new RosterUnreadableError(
        timedOut
          ? `${location} was not read within ${this.settings.timeoutSeconds} s (timeoutSeconds)`
          : `${location} could not be read (${error instanceof Error ? error.name : "Error"})`,
        { cause: error },
      );
    }
  }

  /** One page, retried on 429, 5xx and connection errors while the deadline lasts. */
  private async fetchPage(
    url: string,
    auth: string | undefined,
    signal: AbortSignal,
    maxBytes: number,
  ): Promise<{ body: Buffer; headers: Headers }> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: {
            accept: "application/json, text/csv, */*",
            ...(auth ? { authorization: auth } : {}),
          },
          redirect: "error",
          signal,
        });
      } catch (error) {
        if (signal.aborted || attempt >= ATTEMPTS) throw error;
        await pause(attempt, signal);
        continue;
      }
      if (RETRIED.has(response.status) && attempt < ATTEMPTS) {
        await response.body?.cancel();
        await pause(attempt, signal);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        const auth = response.status === 401 || response.status === 403;
        throw new RosterUnreadableError(
          `answered ${response.status}${auth ? " (check the credentials and the report's permissions)" : ""}`,
        );
      }
      // A compressed body's announced length is not the length fetch hands on.
      const encoded = !/^(identity)?$/i.test(response.headers.get("content-encoding") ?? "");
      const announced = encoded ? null : response.headers.get("content-length");
      const body = response.body
        ? await readBounded(response.body as unknown as AsyncIterable<Uint8Array>, {
            maxBytes,
            announced: announced === null ? undefined : Number(announced),
            what: "the report",
          })
        : Buffer.alloc(0);
      return { body, headers: response.headers };
    }
  }

  /** The next page's URL, or undefined on the last page; never another origin. */
  private nextPage(current: string, body: Buffer, headers: Headers): string | undefined {
    const paging = this.settings.paging;
    if (!paging) return undefined;
    let link: unknown;
    if (paging.next === "link-header") link = nextLink(headers.get("link"));
    else {
      try {
        link = valueAt(JSON.parse(body.toString("utf8")), pathSegments(paging.next));
      } catch {
        link = undefined;
      }
    }
    if (link === undefined || link === null || link === "") return undefined;
    if (typeof link !== "string")
      throw new RosterUnreadableError(`the next page at ${paging.next} is not a URL`);
    const next = new URL(link, current);
    if (next.origin !== new URL(this.settings.url).origin)
      throw new RosterUnreadableError(
        `a page links to another origin (${next.origin}): not followed`,
      );
    return next.toString();
  }
}

/** RFC 8288: `<https://…?page=2>; rel="next"`. */
function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(",") ?? []) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2] ?? ""))
      return match[1];
  }
  return undefined;
}

/** A report's URL for people: its query may hold prompts, so it is left out. */
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function pause(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.min(2000, 250 * 2 ** (attempt - 1));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
