import { type Filter, parse, stringify } from "scim2-parse-filter";
import {
  type AttributeDefinition,
  CORE_USER_URN,
  ENTERPRISE_EXTENSION,
  ENTERPRISE_USER_URN,
  subAttribute,
  topLevelAttribute,
} from "./attributes";

/**
 * Attribute paths (RFC 7644 §3.5.2: `attr`, `attr.sub`, `attr[filter]`,
 * `attr[filter].sub`, each with an optional schema URN in front), resolved
 * against the attributes this service knows and written back in their
 * canonical spelling: `Name.GivenName` is `name.givenName`, and the core URN
 * prefix goes, since the stored resource has no key for it.
 */

export interface ResolvedPath {
  /** The canonical path: `name.givenName`, `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:manager`. */
  path: string;
  /** From the top down; a path inside the enterprise extension starts with the extension. */
  definitions: AttributeDefinition[];
  /** The value filter between the brackets, canonical, relative to the multi-valued attribute. */
  valueFilter?: Filter;
}

/** The filter does not follow RFC 7644's grammar (the parser's own message quotes the input). */
export class InvalidFilterError extends Error {
  constructor() {
    super("The filter does not follow the SCIM filter grammar (RFC 7644 §3.4.2.2)");
    this.name = "InvalidFilterError";
  }
}

/** Parses a filter with scim2-parse-filter; throws InvalidFilterError instead of its generic Error. */
export function parseFilter(text: string): Filter {
  try {
    return parse(text);
  } catch {
    throw new InvalidFilterError();
  }
}

/** The path cannot be resolved: unknown attribute, unknown schema, or malformed. */
export class UnknownAttributeError extends Error {
  constructor(readonly attributePath: string) {
    super(`${attributePath} is not an attribute this service provider knows`);
    this.name = "UnknownAttributeError";
  }
}

const NAME = "[A-Za-z$][\\w$-]*";
const PATH_SHAPE = new RegExp(`^(${NAME})(?:\\[(.*)\\])?(?:\\.(${NAME}))?$`, "s");

/** The attribute at the end of a resolved path. */
export function leafOf(resolved: ResolvedPath): AttributeDefinition {
  return resolved.definitions[resolved.definitions.length - 1] as AttributeDefinition;
}

/** Resolves a path; throws UnknownAttributeError when it names nothing this service knows. */
export function resolveAttributePath(raw: string): ResolvedPath {
  const given = raw.trim();
  const lower = given.toLowerCase();
  const core = `${CORE_USER_URN.toLowerCase()}:`;
  const enterprise = ENTERPRISE_USER_URN.toLowerCase();
  if (lower === enterprise)
    return { path: ENTERPRISE_USER_URN, definitions: [ENTERPRISE_EXTENSION] };
  if (lower.startsWith(`${enterprise}:`))
    return resolveIn(given, given.slice(enterprise.length + 1), ENTERPRISE_EXTENSION);
  if (lower.startsWith(core)) return resolveIn(given, given.slice(core.length));
  if (lower.startsWith("urn:")) throw new UnknownAttributeError(given);
  return resolveIn(given, given);
}

function resolveIn(given: string, rest: string, extension?: AttributeDefinition): ResolvedPath {
  const shape = PATH_SHAPE.exec(rest);
  if (!shape) throw new UnknownAttributeError(given);
  const [, name = "", filterText, subName] = shape;
  const attribute = extension ? subAttribute(extension, name) : topLevelAttribute(name);
  if (!attribute || attribute.name === ENTERPRISE_USER_URN || attribute.name === "schemas")
    throw new UnknownAttributeError(given);
  const definitions = extension ? [extension, attribute] : [attribute];
  let path = extension ? `${ENTERPRISE_USER_URN}:${attribute.name}` : attribute.name;
  let valueFilter: Filter | undefined;
  if (filterText !== undefined) {
    if (!attribute.multiValued) throw new UnknownAttributeError(given);
    valueFilter = canonicalFilter(parseFilter(filterText), attribute);
    path += `[${stringify(valueFilter)}]`;
  }
  if (subName !== undefined) {
    const sub = subAttribute(attribute, subName);
    if (!sub) throw new UnknownAttributeError(given);
    definitions.push(sub);
    path += `.${sub.name}`;
  }
  return { path, definitions, ...(valueFilter ? { valueFilter } : {}) };
}

/**
 * A filter with every attribute path resolved and spelled canonically; inside
 * a value filter (`emails[type eq "work"]`) paths are sub-attributes of `scope`.
 */
export function canonicalFilter(filter: Filter, scope?: AttributeDefinition): Filter {
  switch (filter.op) {
    case "and":
    case "or":
      return { op: filter.op, filters: filter.filters.map((f) => canonicalFilter(f, scope)) };
    case "not":
      return { op: "not", filter: canonicalFilter(filter.filter, scope) };
    case "[]": {
      const resolved = resolveScoped(filter.attrPath, scope);
      const attribute = leafOf(resolved);
      if (!attribute.multiValued) throw new UnknownAttributeError(filter.attrPath);
      return {
        op: "[]",
        attrPath: resolved.path,
        valFilter: canonicalFilter(filter.valFilter, attribute),
      };
    }
    default:
      return { ...filter, attrPath: resolveScoped(filter.attrPath, scope).path };
  }
}

/** The definition a (canonical) filter path ends at. */
export function definitionAt(attrPath: string, scope?: AttributeDefinition): AttributeDefinition {
  return leafOf(resolveScoped(attrPath, scope));
}

function resolveScoped(attrPath: string, scope?: AttributeDefinition): ResolvedPath {
  if (!scope) return resolveAttributePath(attrPath);
  const [name = "", subName, ...more] = attrPath.split(".");
  const attribute = subAttribute(scope, name);
  if (!attribute || more.length > 0) throw new UnknownAttributeError(attrPath);
  const sub = subName === undefined ? undefined : subAttribute(attribute, subName);
  if (subName !== undefined && !sub) throw new UnknownAttributeError(attrPath);
  return sub
    ? { path: `${attribute.name}.${sub.name}`, definitions: [attribute, sub] }
    : { path: attribute.name, definitions: [attribute] };
}
