import type { Condition, Matcher, SyncRules } from "./rules";

/**
 * Static checks of a rules file, for `validate-rules`: rules that can never
 * decide anything, and every name the instance must have.
 */

type Scalar = string | number | boolean | null;

/** The values a matcher accepts, when they can be listed (equals, oneOf); undefined for a regex. */
function acceptedValues(matcher: Matcher): Scalar[] | undefined {
  if (matcher === null || typeof matcher !== "object") return [matcher];
  if ("equals" in matcher) return [matcher.equals];
  if ("oneOf" in matcher) return matcher.oneOf;
  return undefined;
}

function accepts(matcher: Matcher, value: Scalar): boolean {
  const values = acceptedValues(matcher);
  if (values) return values.includes(value);
  return (
    value !== null && new RegExp((matcher as { regex: string }).regex, "u").test(String(value))
  );
}

/** True when every value `narrow` accepts, `wide` accepts too (decided conservatively). */
function matcherImplies(narrow: Matcher, wide: Matcher): boolean {
  const values = acceptedValues(narrow);
  if (values) return values.every((v) => accepts(wide, v));
  const wideRegex =
    acceptedValues(wide) === undefined ? (wide as { regex: string }).regex : undefined;
  return wideRegex !== undefined && wideRegex === (narrow as { regex: string }).regex;
}

/** Whoever matches `narrow` also matches `wide`. */
function conditionImplies(narrow: Condition, wide: Condition): boolean {
  return Object.entries(wide).every(([field, matcher]) => {
    const own = narrow[field];
    return own !== undefined && matcherImplies(own, matcher);
  });
}

/** No one can match both: some field takes listed values in both, with none in common. */
function conditionsExclude(a: Condition, b: Condition): boolean {
  return Object.entries(a).some(([field, matcher]) => {
    const other = b[field];
    if (other === undefined) return false;
    const left = acceptedValues(matcher);
    const right = acceptedValues(other);
    if (left && right) return !left.some((v) => right.includes(v));
    if (left) return !left.some((v) => accepts(other, v));
    if (right) return !right.some((v) => accepts(matcher, v));
    return false;
  });
}

export interface UnreachableRule {
  index: number;
  name: string;
  reason: string;
}

/**
 * Rules that can never decide a facet: out of scope for everyone, or every
 * facet they set already set by an earlier rule that matches whenever they do.
 */
export function unreachableRules(rules: SyncRules): UnreachableRule[] {
  const found: UnreachableRule[] = [];
  rules.rules.forEach((rule, index) => {
    const include = rules.scope.include;
    if (include?.every((scope) => conditionsExclude(rule.when, scope))) {
      found.push({ index, name: rule.name, reason: "no one it matches is in scope" });
      return;
    }
    if (rules.scope.exclude.some((excluded) => conditionImplies(rule.when, excluded))) {
      found.push({ index, name: rule.name, reason: "everyone it matches is excluded from scope" });
      return;
    }
    const facets = Object.keys(rule.set) as (keyof typeof rule.set)[];
    const shadowedBy = facets.map((facet) =>
      rules.rules
        .slice(0, index)
        .find(
          (earlier) =>
            earlier.set[facet] !== undefined && conditionImplies(rule.when, earlier.when),
        ),
    );
    if (facets.length > 0 && shadowedBy.every((earlier) => earlier !== undefined)) {
      const names = [...new Set(shadowedBy.map((earlier) => earlier?.name))].join(", ");
      found.push({
        index,
        name: rule.name,
        reason: `every facet it sets is already set by ${names}, which matches whenever it does`,
      });
    }
  });
  return found;
}

export interface NamedReference {
  kind: "routing profile" | "security profile" | "hierarchy";
  name: string;
  /** Where in the rules file it is named. */
  path: string;
}

/** Every routing profile, security profile and hierarchy path the rules name. */
export function namesInRules(rules: SyncRules): NamedReference[] {
  const refs: NamedReference[] = [
    {
      kind: "routing profile",
      name: rules.defaults.routingProfile,
      path: "defaults.routingProfile",
    },
    ...rules.defaults.securityProfiles.map((name, i) => ({
      kind: "security profile" as const,
      name,
      path: `defaults.securityProfiles[${i}]`,
    })),
    ...rules.protected.securityProfiles.map((name, i) => ({
      kind: "security profile" as const,
      name,
      path: `protected.securityProfiles[${i}]`,
    })),
    ...(rules.leavers.disable?.securityProfiles ?? []).map((name, i) => ({
      kind: "security profile" as const,
      name,
      path: `leavers.disable.securityProfiles[${i}]`,
    })),
    ...(rules.adoption.automatic?.securityProfiles ?? []).map((name, i) => ({
      kind: "security profile" as const,
      name,
      path: `adoption.automatic.securityProfiles[${i}]`,
    })),
  ];
  if (rules.defaults.hierarchy)
    refs.push({ kind: "hierarchy", name: rules.defaults.hierarchy, path: "defaults.hierarchy" });
  if (rules.leavers.disable) {
    refs.push({
      kind: "routing profile",
      name: rules.leavers.disable.routingProfile,
      path: "leavers.disable.routingProfile",
    });
    if (rules.leavers.disable.hierarchy)
      refs.push({
        kind: "hierarchy",
        name: rules.leavers.disable.hierarchy,
        path: "leavers.disable.hierarchy",
      });
  }
  rules.rules.forEach((rule, i) => {
    if (rule.set.routingProfile)
      refs.push({
        kind: "routing profile",
        name: rule.set.routingProfile,
        path: `rules[${i}].set.routingProfile`,
      });
    for (const [j, name] of (rule.set.securityProfiles ?? []).entries()) {
      refs.push({ kind: "security profile", name, path: `rules[${i}].set.securityProfiles[${j}]` });
    }
    if (rule.set.hierarchy)
      refs.push({ kind: "hierarchy", name: rule.set.hierarchy, path: `rules[${i}].set.hierarchy` });
  });
  return refs;
}
