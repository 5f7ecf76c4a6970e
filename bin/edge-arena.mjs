#!/usr/bin/env node
// Launcher for the bundled CLI; the bundle is built by `npm run build:cli`
// (and by `prepare` on `npm ci`) from bin/cli.ts.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/cli/edge-arena.mjs", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write("edge-arena: the CLI is not built yet; run `npm run build:cli`\n");
  process.exit(1);
}
await import(bundle.href);
