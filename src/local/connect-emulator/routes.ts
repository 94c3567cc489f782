/**
 * Routes derived from the model: each operation's `http.method` and
 * `http.requestUri` template, and where each input member travels (URI label,
 * query string or JSON body). Assembles the SDK-shaped input from a request.
 */
import {
  CONNECT_OPERATION_NAMES,
  type ConnectOperationName,
  connectOperation,
  connectShape,
  type ModelMember,
} from "../../connect/model/index";

type Segment = { readonly literal: string } | { readonly label: string };

export interface Route {
  readonly operation: ConnectOperationName;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly members: readonly ModelMember[];
}

export interface RouteMatch {
  readonly route: Route;
  /** URI label values by label name, percent-decoded. */
  readonly labels: Readonly<Record<string, string>>;
}

function parseTemplate(requestUri: string): Segment[] {
  const path = requestUri.split("?")[0] ?? "";
  return path
    .split("/")
    .filter((part) => part.length > 0)
    .map((part) => {
      const label = /^\{([^}+]+)\+?\}$/.exec(part)?.[1];
      return label ? { label } : { literal: part };
    });
}

const literalCount = (route: Route) =>
  route.segments.filter((segment) => "literal" in segment).length;

/** Most literal segments first, so a fixed path wins over a label in the same position. */
export const ROUTES: readonly Route[] = CONNECT_OPERATION_NAMES.map((name) => {
  const operation = connectOperation(name);
  return {
    operation: name,
    method: operation.http.method,
    segments: parseTemplate(operation.http.requestUri),
    members: operation.input,
  };
}).sort((left, right) => literalCount(right) - literalCount(left));

export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  let parts: string[];
  try {
    parts = pathname
      .split("/")
      .filter((part) => part.length > 0)
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
  for (const route of ROUTES) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const labels: Record<string, string> = {};
    const matches = route.segments.every((segment, index) => {
      const part = parts[index] ?? "";
      if ("literal" in segment) return segment.literal === part;
      labels[segment.label] = part;
      return true;
    });
    if (matches) return { route, labels };
  }
  return undefined;
}

/** The input as the SDK command had it: members by model name, query values typed per their shape. */
export function assembleInput(
  match: RouteMatch,
  query: URLSearchParams,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const located = new Set<string>();
  for (const member of match.route.members) {
    if (member.location === "uri") {
      located.add(member.name);
      input[member.name] = match.labels[member.locationName ?? member.name];
    } else if (member.location === "querystring") {
      located.add(member.name);
      const key = member.locationName ?? member.name;
      // A list travels as the key repeated (tagKeys=a&tagKeys=b).
      if (connectShape(member.shape).type === "list") {
        const values = query.getAll(key);
        if (values.length > 0) input[member.name] = values;
        continue;
      }
      const raw = query.get(key);
      if (raw !== null) input[member.name] = fromQueryString(member, raw);
    }
  }
  for (const [key, value] of Object.entries(body)) {
    if (!located.has(key)) input[key] = value;
  }
  return input;
}

/** Query values arrive as text; numbers and booleans are converted, anything else is left for validation to refuse. */
function fromQueryString(member: ModelMember, raw: string): unknown {
  const type = connectShape(member.shape).type;
  if ((type === "integer" || type === "long") && /^-?\d+$/.test(raw)) return Number(raw);
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}
