/**
 * Bundles the CLI (bin/cli.ts and the ranking engine it imports) into one
 * ESM file for Node, dist/cli/edge-arena.mjs, so `npx edge-arena` needs no
 * TypeScript loader. Run by `npm run build:cli` and by `prepare` on install.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ["bin/cli.ts"],
  outfile: "dist/cli/edge-arena.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
});
