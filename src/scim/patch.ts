import { NoTarget, ScimError, type ScimPatchOperation, scimPatch } from "scim-patch";
import { formatPath } from "../domain/validation";
import * as z from "../domain/zod";
import { ENTERPRISE_EXTENSION, ENTERPRISE_USER_URN } from "./attributes";
import type { ScimProblem } from "./errors";
import {
  InvalidFilterError,
  leafOf,
  type ResolvedPath,
  resolveAttributePath,
  UnknownAttributeError,
} from "./paths";
import { normaliseValue } from "./user";

/**
 * PATCH (RFC 7644 §3.5.2) with scim-patch, behind the normaliser that
 * Entra ID and Okta need (docs/scim.md): `op` in any case (`Replace`);
 * every path, and every key of a path-less value (`name.givenName`,
 * `urn:…:enterprise:2.0:User:employeeNumber`), resolved case-insensitively
 * to its canonical spelling; a whole enterprise-extension value split into
 * one operation per attribute (scim-patch splits its URN on the dot of
 * "2.0"); booleans from "True"/"False"; a manager given as a bare id wrapped
 * as `{value}`; a null or empty replace as a remove. Unknown attributes are
 * ignored, as in POST and PUT; a read-only one is refused (`mutability`).
 * scim-patch always gets both of its options: with one alone the other is off.
 */

export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MAX_OPERATIONS = 100;

const patchBodySchema = z.object({
  schemas: z
    .array(z.string())
    .check(z.refine((s) => s.includes(PATCH_OP_URN), `must include ${PATCH_OP_URN}`)),
  Operations: z
    .array(
      z.object({
        op: z.pipe(z.string().check(z.toLowerCase()), z.enum(["add", "replace", "remove"])),
        path: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
        value: z.optional(z.unknown()),
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_OPERATIONS)),
});

type Operation = z.infer<typeof patchBodySchema>["Operations"][number];
type Normalised = { op: "add" | "replace" | "remove"; path: string; value?: unknown };

export type PatchResult =
  | { ok: true; resource: Record<string, unknown> }
  | { ok: false; problem: ScimProblem };

/** Applies a PATCH body to a resource (as GET answers it); never changes the resource given. */
export function applyPatch(resource: Record<string, unknown>, body: unknown): PatchResult {
  const parsed = patchBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = formatPath(issue?.path ?? []);
    return refuse("invalidSyntax", `${at}: ${issue?.message ?? "is not a PatchOp"}`);
  }
  let current = resource;
  for (const [index, operation] of parsed.data.Operations.entries()) {
    const expanded = expand(operation, current, index);
    if (!Array.isArray(expanded)) return { ok: false, problem: expanded };
    for (const op of expanded) {
      try {
        current = scimPatch(current as never, [op as ScimPatchOperation], {
          mutateDocument: false,
          treatMissingAsAdd: true,
        });
      } catch (error) {
        if (!(error instanceof ScimError)) throw error;
        // scim-patch's messages may quote values: name the operation only.
        return error instanceof NoTarget
          ? refuse("noTarget", `Operations[${index}]: no value matches the path's filter`)
          : refuse("invalidValue", `Operations[${index}]: cannot be applied to this user`);
      }
    }
  }
  return { ok: true, resource: current };
}

function refuse(scimType: ScimProblem["scimType"], detail: string): PatchResult & { ok: false } {
  return { ok: false, problem: { status: 400, scimType, detail } };
}

/** One operation as path operations scim-patch applies correctly; a problem when it cannot be. */
function expand(
  operation: Operation,
  resource: Record<string, unknown>,
  index: number,
): Normalised[] | ScimProblem {
  const at = `Operations[${index}]`;
  if (operation.path === undefined) {
    if (operation.op === "remove")
      return { status: 400, scimType: "noTarget", detail: `${at}: remove needs a path` };
    if (!isObject(operation.value))
      return {
        status: 400,
        scimType: "invalidValue",
        detail: `${at}: without a path, the value must be an object of attributes`,
      };
    const out: Normalised[] = [];
    for (const [key, value] of Object.entries(operation.value)) {
      const resolved = resolveKey(key);
      // Read-only and unknown attributes in a path-less value are ignored, as in a PUT body.
      if (!resolved || leafOf(resolved).mutability === "readOnly") continue;
      out.push(...withValue(operation.op, resolved, value, resource));
    }
    return out;
  }
  if (operation.op !== "remove" && operation.value === undefined)
    return {
      status: 400,
      scimType: "invalidValue",
      detail: `${at}: ${operation.op} needs a value`,
    };
  let resolved: ResolvedPath;
  try {
    resolved = resolveAttributePath(operation.path);
  } catch (error) {
    if (error instanceof UnknownAttributeError) return [];
    if (error instanceof InvalidFilterError)
      return {
        status: 400,
        scimType: "invalidPath",
        detail: `${at}: the path's filter is invalid`,
      };
    throw error;
  }
  if (resolved.definitions.some((d) => d.mutability === "readOnly"))
    return {
      status: 400,
      scimType: "mutability",
      detail: `${at}: ${resolved.definitions.map((d) => d.name).join(".")} is read-only`,
    };
  if (operation.op === "remove") return removals(resolved, resource);
  return withValue(operation.op, resolved, operation.value, resource);
}

/** Keys of a path-less value: `userName`, `name.givenName`, URN-prefixed, the whole extension. */
function resolveKey(key: string): ResolvedPath | undefined {
  try {
    return resolveAttributePath(key);
  } catch (error) {
    if (error instanceof UnknownAttributeError || error instanceof InvalidFilterError)
      return undefined;
    throw error;
  }
}

function withValue(
  op: "add" | "replace",
  resolved: ResolvedPath,
  raw: unknown,
  resource: Record<string, unknown>,
): Normalised[] {
  if (leafOf(resolved) === ENTERPRISE_EXTENSION) {
    // The whole extension: one operation per attribute in it.
    if (!isObject(raw)) return [];
    return Object.entries(raw).flatMap(([key, value]) => {
      const inner = resolveKey(`${ENTERPRISE_USER_URN}:${key}`);
      return inner && leafOf(inner).mutability !== "readOnly"
        ? withValue(op, inner, value, resource)
        : [];
    });
  }
  const leaf = leafOf(resolved);
  // A filtered path without a sub-attribute targets single elements of the multi-valued attribute.
  const value = resolved.valueFilter
    ? normaliseValue(raw, { ...leaf, multiValued: false })
    : normaliseValue(raw, leaf);
  if (value === undefined) return op === "replace" ? removals(resolved, resource) : [];
  return [{ op, path: resolved.path, value }];
}

function removals(resolved: ResolvedPath, resource: Record<string, unknown>): Normalised[] {
  // Removing from a multi-valued attribute the user does not have changes nothing (scim-patch throws).
  const multi = resolved.definitions[0];
  if (resolved.valueFilter && multi && !Array.isArray(resource[multi.name])) return [];
  if (leafOf(resolved) !== ENTERPRISE_EXTENSION) return [{ op: "remove", path: resolved.path }];
  const present = resource[ENTERPRISE_USER_URN];
  return isObject(present)
    ? Object.keys(present).map((key) => ({ op: "remove", path: `${ENTERPRISE_USER_URN}:${key}` }))
    : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
