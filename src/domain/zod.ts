import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

/**
 * The zod of every module a Lambda function bundles: zod/mini, zod 4's
 * functional form (`z.optional(s)`, `s.check(z.maxLength(n))`), whose
 * schemas carry no methods. Classic zod's method-laden schemas cost each
 * function's cold start 6 to 8 ms more (docs/deploy.md, "Cold start");
 * both share zod's core, so a classic schema (the rules file's, checked
 * while bundling) may hold these. zod/mini has no messages of its own:
 * classic zod's English ones are configured here, so that every edge
 * reports the same words either way (package.json's `sideEffects` names
 * this file, so that bundles keep the call). Import it as a namespace
 * (`import * as z`), which esbuild tree-shakes as it does zod's own.
 */
config(en());

export * from "zod/mini";
