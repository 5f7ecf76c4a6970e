/**
 * Bundles the ranking engine (and its seeded simulators) from src/ into one
 * ESM file for the benchmark, so it measures exactly the code the cron and
 * the CLI run, compiled the way esbuild ships it.
 */
import { build } from "esbuild";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Bundles the given `export …` lines (paths relative to the repository) into
 * one fresh ESM file and returns its path. `conditions` are extra package
 * export conditions (e.g. "browser", for packages whose default entry is
 * Node's).
 */
export async function bundleModules(name, exportLines, { conditions = [] } = {}) {
  const outfile = join(mkdtempSync(join(tmpdir(), "edge-arena-bench-")), `${name}.mjs`);
  await build({
    stdin: { contents: exportLines.join("\n"), resolveDir: root, loader: "ts" },
    outfile,
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "es2023",
    conditions,
    logLevel: "warning",
  });
  return outfile;
}

/** Returns the path of a fresh bundle of src/ranking. */
export function bundleRanking() {
  return bundleModules("ranking", [
    'export * from "./src/ranking/index.ts";',
    'export * from "./src/ranking/simulate.ts";',
    'export { buildDesign, withVirtualTies } from "./src/ranking/design.ts";',
    'export { fitBradleyTerry } from "./src/ranking/fit.ts";',
    'export { sandwichStandardErrors } from "./src/ranking/intervals.ts";',
  ]);
}

/** The pair counts of an aggregated fixture (`{models, X: [i, j][], Y: [winsA, winsB, ties, bothBad][]}`). */
export function readPairFixture(path) {
  const raw = JSON.parse(readFileSync(path, "utf8"));
  return raw.X.map(([i, j], k) => ({
    modelA: raw.models[i],
    modelB: raw.models[j],
    winsA: raw.Y[k][0],
    winsB: raw.Y[k][1],
    ties: raw.Y[k][2],
    bothBad: raw.Y[k][3],
  }));
}
