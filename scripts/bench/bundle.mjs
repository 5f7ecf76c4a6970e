/**
 * Bundles the ranking engine (and its seeded simulators) from src/ into one
 * ESM file for the benchmark, so it measures exactly the code the cron and
 * the CLI run, compiled the way esbuild ships it.
 */
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Returns the path of a fresh bundle of src/ranking. */
export async function bundleRanking() {
  const outfile = join(mkdtempSync(join(tmpdir(), "edge-arena-bench-")), "ranking.mjs");
  await build({
    stdin: {
      contents: [
        'export * from "./src/ranking/index.ts";',
        'export * from "./src/ranking/simulate.ts";',
        'export { buildDesign, withVirtualTies } from "./src/ranking/design.ts";',
        'export { fitBradleyTerry } from "./src/ranking/fit.ts";',
        'export { sandwichStandardErrors } from "./src/ranking/intervals.ts";',
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    outfile,
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "es2023",
    logLevel: "warning",
  });
  return outfile;
}
