import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Dependencies point inwards: handlers → runtime → app → domain. The use
 * cases (src/app) see the outside world only through their ports
 * (src/app/ports); the domain sees nothing but itself. Adapters (runtime,
 * queue, store, connect, the HR vendors' clients), the CLI and the local
 * stand-ins are never imported from inside.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Layer {
  /** The folders whose files are checked. */
  folders: string[];
  /** Project folders its files may import from. */
  allowed: string[];
}

const LAYERS = {
  domain: { folders: ["src/domain"], allowed: ["src/domain"] },
  // The SCIM protocol (schemas, filters, patches) is pure like the domain, and the SCIM use cases build on it.
  scim: { folders: ["src/scim"], allowed: ["src/scim", "src/domain"] },
  app: { folders: ["src/app"], allowed: ["src/app", "src/domain", "src/scim"] },
} satisfies Record<string, Layer>;

/** Imports from outside a layer's folders that it relies on today, each with why it is harmless. */
const EXCEPTIONS: { from: string; module: string; typeOnly: boolean; reason: string }[] = [
  {
    from: "src/app",
    module: "src/hr/json-body.ts",
    typeOnly: false,
    reason: "a pure JSON parser (domain imports only, no I/O), shared with the HR and SCIM parsers",
  },
  {
    from: "src/app",
    module: "src/hr/signatures.ts",
    typeOnly: true,
    reason: "the shapes of a signature check, which the webhook use case asks each source for",
  },
  {
    from: "src/app",
    module: "src/hr/webhook-source.ts",
    typeOnly: true,
    reason: "the interface each HR source's webhook adapter implements: a port in all but folder",
  },
];

/** Packages that are AWS or Lambda machinery: adapters' business, never the core's. */
const FORBIDDEN_PACKAGES = /^(@aws-sdk|@smithy|@middy|@aws-lambda-powertools)\//;

interface Import {
  file: string;
  specifier: string;
  /** The project file it names (relative to the root), or undefined for a package. */
  module?: string;
  typeOnly: boolean;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(folder, name).split("\\").join("/"))
    .sort();
}

function resolveModule(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(ROOT, dirname(file), specifier).replace(/\.(js|ts)$/, "");
  const found = [`${base}.ts`, join(base, "index.ts"), base].find((p) => existsSync(p)) ?? base;
  return relative(ROOT, found).split("\\").join("/");
}

function allTypes(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean {
  return elements.length > 0 && elements.every((element) => element.isTypeOnly);
}

const parsed = new Map<string, Import[]>();

/** Every import, re-export, dynamic `import()` and `import("…").Type` of one file. */
function importsOf(file: string): Import[] {
  const known = parsed.get(file);
  if (known) return known;
  const text = readFileSync(join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const module = resolveModule(file, specifier.text);
    found.push({ file, specifier: specifier.text, typeOnly, ...(module ? { module } : {}) });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            allTypes(named.elements)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (clause !== undefined && ts.isNamedExports(clause) && allTypes(clause.elements));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  parsed.set(file, found);
  return found;
}

function violations(layer: Layer): string[] {
  const inside = (module: string, folder: string) => module.startsWith(`${folder}/`);
  return layer.folders.flatMap(sourceFiles).flatMap((file) =>
    importsOf(file).flatMap((imported) => {
      const { module, specifier, typeOnly } = imported;
      if (module === undefined)
        return FORBIDDEN_PACKAGES.test(specifier) ? [`${file} imports ${specifier}`] : [];
      if (layer.allowed.some((folder) => inside(module, folder))) return [];
      const excepted = EXCEPTIONS.some(
        (e) =>
          e.module === module &&
          layer.folders.some((folder) => folder === e.from || inside(folder, e.from)) &&
          (typeOnly || !e.typeOnly),
      );
      if (excepted) return [];
      return [`${file} imports ${specifier}${typeOnly ? " (type only)" : ""}`];
    }),
  );
}

describe("dependencies point inwards", () => {
  for (const [name, layer] of Object.entries(LAYERS)) {
    it(`${name} (${layer.folders.join(", ")}) imports only ${layer.allowed.join(", ")} and no AWS machinery`, () => {
      expect(violations(layer)).toEqual([]);
    });
  }

  it("every listed exception is still needed, and says why", () => {
    const used = new Set(
      LAYERS.app.folders
        .flatMap(sourceFiles)
        .flatMap(importsOf)
        .flatMap((i) => (i.module ? [i.module] : [])),
    );
    for (const exception of EXCEPTIONS) {
      expect(used, exception.module).toContain(exception.module);
      expect(exception.reason.length).toBeGreaterThan(10);
    }
  });

  it("sees imports of every form, type-only ones included", () => {
    const file = "src/app/ingest-webhook.ts";
    const imports = importsOf(file);

    expect(imports).toContainEqual(
      expect.objectContaining({ module: "src/hr/webhook-source.ts", typeOnly: true }),
    );
    expect(imports).toContainEqual(
      expect.objectContaining({ module: "src/app/ports/secrets.ts", typeOnly: false }),
    );
    expect(sourceFiles("src/app")).toContain("src/app/reconcile/reconcile.ts");
  });
});
