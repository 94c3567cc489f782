/**
 * Opaque NextToken pagination. A token carries the sort key of the last item
 * returned (so deletions between pages neither skip nor repeat items), the
 * operation and a hash of the query it belongs to, and is signed so that an
 * edited or foreign token is refused with InvalidParameterException.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { invalidParameter } from "./errors";

/** The model's docs: "The default MaxResult size is 100." SearchUsers documents none; we use the same. */
export const DEFAULT_PAGE_SIZE = 100;

interface TokenPayload {
  /** Operation. */
  o: string;
  /** Hash of the query the token belongs to. */
  q: string;
  /** Sort key of the last item already returned. */
  a: string;
}

export class PageTokenCodec {
  private readonly secret: string;

  constructor(secret: string) {
    this.secret = secret;
  }

  encode(operation: string, query: string, after: string): string {
    const payload: TokenPayload = { o: operation, q: queryHash(query), a: after };
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  /** The sort key after which the next page starts. */
  decode(token: string, operation: string, query: string): string {
    const [body = "", signature = ""] = token.split(".");
    const expected = this.sign(body);
    const valid =
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    if (!valid) throw invalidParameter("The NextToken is not valid.");
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenPayload;
    if (payload.o !== operation || payload.q !== queryHash(query)) {
      throw invalidParameter(
        "The NextToken belongs to a different request; start again without it.",
      );
    }
    return payload.a;
  }

  private sign(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url").slice(0, 22);
  }
}

export interface PageRequest {
  readonly operation: string;
  /** What the token is bound to: instance id, and for searches the criteria and filter. */
  readonly query: string;
  readonly maxResults: number | undefined;
  readonly nextToken: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

/** `items` must be sorted by `keyOf`, ascending and unique. */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
  codec: PageTokenCodec,
): Page<T> {
  const size = request.maxResults ?? DEFAULT_PAGE_SIZE;
  const after =
    request.nextToken === undefined
      ? undefined
      : codec.decode(request.nextToken, request.operation, request.query);
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const remaining = start === -1 ? [] : items.slice(start);
  const page = remaining.slice(0, size);
  const last = page.at(-1);
  const nextToken =
    remaining.length > size && last !== undefined
      ? codec.encode(request.operation, request.query, keyOf(last))
      : undefined;
  return { items: page, nextToken };
}

/** Sort key for users: user name without case, then id. */
export function userSortKey(user: { username: string; id: string }): string {
  return `${user.username.toLowerCase()}\u0000${user.id}`;
}

/** Sort key for named resources: name without case, then id. */
export function nameSortKey(record: { name: string; id: string }): string {
  return `${record.name.toLowerCase()}\u0000${record.id}`;
}

export function sortByKey<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((left, right) => compare(keyOf(left), keyOf(right)));
}

function compare(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

function queryHash(query: string): string {
  return createHash("sha256").update(query).digest("base64url").slice(0, 16);
}
