/**
 * Build-time budget for the arena route: the entry chunk plus every chunk it
 * imports statically (what the browser must fetch before the battle page can
 * run), gzipped. Lazy chunks (leaderboard, model pages, the highlighter) are
 * reported but not counted. Going over the budget fails the build, so a
 * heavy dependency cannot slip into the first load unnoticed.
 */
import { gzipSync } from "node:zlib";
import type { Plugin, Rollup } from "vite";

type OutputBundle = Rollup.OutputBundle;
type OutputChunk = Rollup.OutputChunk;

export interface BundleBudgetOptions {
  /** Name of the HTML entry whose chunk is measured, e.g. "index.html". */
  entry: string;
  /** Largest allowed gzipped size of the entry and its static imports. */
  maxGzipBytes: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** File names of `start` and every chunk reachable from it by static imports. */
export function staticClosure(bundle: OutputBundle, start: OutputChunk): string[] {
  const seen = new Set<string>();
  const visit = (fileName: string) => {
    if (seen.has(fileName)) return;
    const chunk = bundle[fileName];
    if (!chunk || chunk.type !== "chunk") return;
    seen.add(fileName);
    chunk.imports.forEach(visit);
  };
  visit(start.fileName);
  return [...seen];
}

/** Vite plugin that measures the arena's first-load JavaScript and enforces the budget. */
export function bundleBudget(options: BundleBudgetOptions): Plugin {
  return {
    name: "edge-arena:bundle-budget",
    apply: "build",
    generateBundle(_output, bundle) {
      const chunks = Object.values(bundle).filter((item): item is OutputChunk => item.type === "chunk");
      const entry = chunks.find((chunk) => chunk.isEntry && chunk.facadeModuleId?.endsWith(options.entry));
      if (!entry) return this.error(`bundle budget: no entry chunk for ${options.entry}`);
      const gz = (chunk: OutputChunk) => gzipSync(chunk.code, { level: 9 }).length;
      const initial = staticClosure(bundle, entry);
      const total = initial.reduce((sum, name) => sum + gz(bundle[name] as OutputChunk), 0);
      const lazy = chunks.filter((chunk) => !initial.includes(chunk.fileName));
      const lazyTotal = lazy.reduce((sum, chunk) => sum + gz(chunk), 0);
      const lines = [
        `arena route JavaScript: ${kb(total)} gzipped (budget ${kb(options.maxGzipBytes)}) in ${initial.length} chunk(s)`,
        `loaded on demand: ${kb(lazyTotal)} gzipped in ${lazy.length} chunk(s) (leaderboard, model page, highlighter)`,
      ];
      // Printed on stderr so `--logLevel warn` builds still show the measurement.
      console.error(lines.join("\n"));
      if (total > options.maxGzipBytes) {
        this.error(`arena route JavaScript is ${kb(total)} gzipped, over the ${kb(options.maxGzipBytes)} budget`);
      }
    },
  };
}
