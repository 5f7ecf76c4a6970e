#!/usr/bin/env node
// Copies Swagger UI's browser files from the pinned swagger-ui-dist package
// into the static assets, so the API reference at /api/docs works with no
// CDN and no internet. Runs after the client build (which empties
// dist/client); worker/routes/docs.ts serves the page that loads these files
// from /api-docs/.
//
// Usage: node scripts/copy-api-docs-assets.mjs [output directory, default dist/client/api-docs]
import { copyFile, mkdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

// Only what the page loads, plus the licence texts Apache-2.0 asks to ship
// with the files. Source maps stay out: they are larger than the code.
const FILES = ["swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui.css", "LICENSE", "NOTICE"];

const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const target = resolve(process.argv[2] ?? "dist/client/api-docs");

await mkdir(target, { recursive: true });
let bytes = 0;
for (const file of FILES) {
  await copyFile(join(source, file), join(target, file));
  bytes += (await stat(join(target, file))).size;
}
console.log(`api docs: copied ${FILES.length} Swagger UI files (${Math.round(bytes / 1024)} KiB) to ${target}`);
