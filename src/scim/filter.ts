import { type Filter, Tester } from "scim2-parse-filter";
import { type AttributeDefinition, topLevelAttribute } from "./attributes";
import { canonicalFilter, definitionAt, parseFilter } from "./paths";

/**
 * `GET /Users?filter=...` (RFC 7644 §3.4.2.2). scim2-parse-filter parses and
 * evaluates; this wrapper adds what it lacks: attribute names resolved
 * case-insensitively (and the core URN prefix dropped), values compared
 * without case unless the attribute is caseExact (userName is not, so
 * `userName eq "ALICE@example.com"` finds alice@example.com), and
 * value filters matched within one element (`emails[type eq "work" and
 * value eq "x"]`, and `emails[type eq "work"].value eq "x"`, mean one e-mail
 * that is both; the library tests the whole array). It also
 * tells the store which key look-up answers a filter: `userName eq` and
 * `externalId eq`, alone or inside `and`/`or`, read one item each; anything
 * else reads every user.
 */

export type LookupPlan =
  | { kind: "userName"; value: string }
  | { kind: "externalId"; value: string }
  /** `or`: the union of these look-ups. */
  | { kind: "union"; plans: LookupPlan[] }
  | { kind: "scan" };

export interface UserFilter {
  /** Canonical attribute paths; compare values already folded where the attribute is not caseExact. */
  filter: Filter;
  plan: LookupPlan;
  /** Does this user (as GET answers it) match? */
  matches(resource: Record<string, unknown>): boolean;
}

/** Throws InvalidFilterError or UnknownAttributeError: both answer 400 invalidFilter. */
export function parseUserFilter(text: string): UserFilter {
  const canonical = canonicalFilter(sameElement(parseFilter(text)));
  const folded = foldCase(canonical);
  const tester = new ElementwiseTester();
  return {
    filter: canonical,
    plan: planOf(canonical),
    matches: (resource) => tester.test(caseFolded(resource), folded),
  };
}

/** scim2-parse-filter's evaluation, with a value filter tested on each element of a multi-valued attribute. */
class ElementwiseTester extends Tester {
  override test(resource: unknown, filter: Filter): boolean {
    if (filter.op !== "[]") return super.test(resource, filter);
    return this.attrTest(this.attrPath(filter.attrPath), resource, (values: unknown) =>
      (Array.isArray(values) ? values : [values]).some((value) =>
        this.test(value, filter.valFilter),
      ),
    );
  }
}

/**
 * The parser reads `emails[type eq "work"].value eq "x"` as
 * `emails[type eq "work"] and emails.value eq "x"`, which any two e-mails
 * together could satisfy; RFC 7644 means one e-mail that is both.
 */
function sameElement(filter: Filter): Filter {
  switch (filter.op) {
    case "not":
      return { op: "not", filter: sameElement(filter.filter) };
    case "or":
      return { op: "or", filters: filter.filters.map(sameElement) };
    case "and": {
      const out: Filter[] = [];
      for (const next of filter.filters.map(sameElement)) {
        const last = out[out.length - 1];
        const prefix = last?.op === "[]" ? `${last.attrPath.toLowerCase()}.` : undefined;
        if (
          last?.op === "[]" &&
          prefix &&
          "attrPath" in next &&
          next.op !== "[]" &&
          next.attrPath.toLowerCase().startsWith(prefix)
        ) {
          const sub = { ...next, attrPath: next.attrPath.slice(prefix.length) };
          out[out.length - 1] = {
            op: "[]",
            attrPath: last.attrPath,
            valFilter: { op: "and", filters: [last.valFilter, sub] },
          };
        } else out.push(next);
      }
      return out.length === 1 ? (out[0] as Filter) : { op: "and", filters: out };
    }
    default:
      return filter;
  }
}

/** Lower-cases the values compared with attributes that are not caseExact. */
function foldCase(filter: Filter, scope?: AttributeDefinition): Filter {
  switch (filter.op) {
    case "and":
    case "or":
      return { op: filter.op, filters: filter.filters.map((f) => foldCase(f, scope)) };
    case "not":
      return { op: "not", filter: foldCase(filter.filter, scope) };
    case "[]":
      return {
        ...filter,
        valFilter: foldCase(filter.valFilter, definitionAt(filter.attrPath, scope)),
      };
    case "pr":
      return filter;
    default: {
      const definition = definitionAt(filter.attrPath, scope);
      return typeof filter.compValue === "string" && !definition.caseExact
        ? { ...filter, compValue: filter.compValue.toLowerCase() }
        : filter;
    }
  }
}

/** The resource with the values of attributes that are not caseExact lower-cased, for matching only. */
function caseFolded(resource: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    const definition = topLevelAttribute(key);
    out[key] = definition ? foldValue(value, definition) : value;
  }
  return out;
}

function foldValue(value: unknown, definition: AttributeDefinition): unknown {
  if (Array.isArray(value)) return value.map((v) => foldValue(v, definition));
  if (typeof value === "string")
    return definition.type === "string" && !definition.caseExact ? value.toLowerCase() : value;
  if (value === null || typeof value !== "object" || !definition.subAttributes) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
    const subDefinition = definition.subAttributes.find((d) => d.name === key);
    out[key] = subDefinition ? foldValue(sub, subDefinition) : sub;
  }
  return out;
}

function planOf(filter: Filter): LookupPlan {
  switch (filter.op) {
    case "eq":
      if (typeof filter.compValue !== "string") return { kind: "scan" };
      if (filter.attrPath === "userName") return { kind: "userName", value: filter.compValue };
      if (filter.attrPath === "externalId") return { kind: "externalId", value: filter.compValue };
      return { kind: "scan" };
    case "and":
      return filter.filters.map(planOf).find((p) => p.kind !== "scan") ?? { kind: "scan" };
    case "or": {
      const plans = filter.filters.map(planOf);
      return plans.every((p) => p.kind !== "scan") ? { kind: "union", plans } : { kind: "scan" };
    }
    default:
      return { kind: "scan" };
  }
}
