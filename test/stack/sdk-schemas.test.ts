import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverlessEsbuildOptions } from "../../bench/benchmark/cold-start";

/**
 * The SDK clients' operation schemas in a bundle as serverless.yml bundles it
 * (scripts/stack/esbuild-plugins.cjs, sdk-schemas-tree-shakeable): only those
 * of the commands the code sends.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sdk-schemas-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bundled(contents: string): Promise<string> {
  const options = await serverlessEsbuildOptions(dir);
  const outfile = join(dir, "out.mjs");
  await build({
    ...options,
    minify: false,
    splitting: false,
    stdin: { contents, resolveDir: ROOT, loader: "js" },
    outfile,
    absWorkingDir: ROOT,
  });
  return readFile(outfile, "utf8");
}

describe("the SDK's schemas in a bundle", () => {
  it("keeps the schemas of the Connect commands sent and leaves out the others", async () => {
    // Act
    const code = await bundled(
      'import { ConnectClient, DescribeUserCommand } from "@aws-sdk/client-connect";\n' +
        "export const send = (input) => new ConnectClient({}).send(new DescribeUserCommand(input));\n",
    );

    // Assess
    expect(code).toContain('"/users/{InstanceId}/{UserId}"');
    expect(code).not.toContain('"/instance/{InstanceId}/bot"');
    expect(code).not.toContain("AssociateBotRequest");
  });
});
