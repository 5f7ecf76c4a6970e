/**
 * `npm run bench:verify [-- --records N]`: how long `edge-arena verify`
 * takes on a seeded synthetic dataset of N records (default 1,000,000; 100
 * models, four categories, 3 % of votes not counted, segments of 10,000 as
 * the cron cuts them), written to a temporary folder. The publication in it
 * is computed with the cron's own recompute (src/leaderboard/recompute.ts),
 * so the run is a full, successful verification: chain, then every board.
 * The same dataset is verified twice: from its JSONL files, and from their
 * Parquet copies alone (`verify` reads a folder of either).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleModules } from "./bench/bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { records: { type: "string" } } });
const N = Number(values.records ?? 1_000_000);
const lib = await import(
  await bundleModules("verify-bench", [
    'export { canonicalJson, canonicalRecordText, digestBytes, GENESIS } from "./src/votelog/chain";',
    'export { createLogAggregator, recomputeBoards, STYLE_ROWS_EXACT_MAX } from "./src/leaderboard/recompute";',
    'export { createRandom } from "./src/ranking/random";',
  ])
);

const { votesToParquet } = await import(await bundleModules("parquet", ['export { votesToParquet } from "./src/votelog/parquet";'], { conditions: ["browser"] }));

execFileSync(process.execPath, [join(root, "scripts/build-cli.mjs")]);
const folder = mkdtempSync(join(tmpdir(), "edge-arena-verify-bench-"));
const parquetFolder = mkdtempSync(join(tmpdir(), "edge-arena-verify-bench-parquet-"));
const rng = lib.createRandom("verify-bench");
const pick = (n) => Math.floor(rng.next() * n);
const models = Array.from({ length: 100 }, (_, k) => `model-${String(k).padStart(3, "0")}`);
// Zipf-like popularity, as in the ranking benchmark.
const zipf = (() => {
  const w = models.map((_, k) => 1 / (k + 1));
  const total = w.reduce((a, b) => a + b, 0);
  let c = 0;
  return w.map((x) => (c += x / total));
})();
const model = () => {
  const u = rng.next();
  let k = 0;
  while (zipf[k] < u) k++;
  return k;
};
const CATEGORIES = [["overall"], ["overall", "coding"], ["overall", "math"], ["coding", "hard-prompts", "overall"]];
const features = () => ({ bold: pick(15), headers: pick(7), listItems: pick(25), tokens: pick(4000) });
const exclusions = { watermark: N, flaggedSeqs: [], excludedModels: [], styleRowsExactMax: lib.STYLE_ROWS_EXACT_MAX };
const aggregator = lib.createLogAggregator(exclusions);
const files = [];
let previous = lib.GENESIS.hash;
const started = performance.now();
for (let first = 1; first <= N; first += 10_000) {
  const lines = [];
  const chained = [];
  const last = Math.min(N, first + 9_999);
  for (let seq = first; seq <= last; seq++) {
    const a = model();
    let b = model();
    while (b === a) b = pick(models.length);
    const counted = rng.next() > 0.03;
    const record = {
      seq,
      battleId: `b${seq}`,
      mode: "anonymous",
      modelA: models[a],
      modelB: models[b],
      winner: ["a", "b", "tie", "bothbad"][pick(4)],
      categories: CATEGORIES[pick(4)].slice().sort(),
      turns: 1,
      styleA: features(),
      styleB: features(),
      votedAt: 1_760_000_000_000 + seq * 997,
      counted,
      reason: counted ? null : "identity_revealed",
    };
    const hash = createHash("sha256").update(lib.digestBytes(previous)).update(lib.canonicalRecordText(record), "utf8").digest("hex");
    previous = hash;
    aggregator.add(record);
    lines.push(lib.canonicalJson({ ...record, hash }));
    chained.push({ ...record, hash });
  }
  const name = `votes-${String(first).padStart(12, "0")}-${String(last).padStart(12, "0")}.jsonl`;
  writeFileSync(join(folder, name), `${lines.join("\n")}\n`);
  writeFileSync(join(parquetFolder, name.replace(/\.jsonl$/, ".parquet")), votesToParquet(chained));
  files.push({ name, first, last, records: last - first + 1 });
}
const boards = [...lib.recomputeBoards(aggregator.categories())].map(([key, board]) => {
  const [category, style] = key.split(":");
  return {
    category,
    style,
    rows: board.rows.map((r) => ({ modelId: r.model, rank: r.rank, rating: r.rating, lower: r.lower, upper: r.upper, votes: r.battles, wins: r.wins, losses: r.losses, ties: r.ties, component: r.component, elo: r.elo })),
  };
});
const head = { seq: N, hash: previous };
for (const dir of [folder, parquetFolder]) {
  writeFileSync(join(dir, "publication.json"), JSON.stringify({ id: `${N}.0`, chainHead: head, boards }));
  writeFileSync(join(dir, "card.json"), JSON.stringify({ publicationId: `${N}.0`, chainHead: head, parameters: exclusions, files }));
}
const generatedS = (performance.now() - started) / 1000;
const sizeOf = (dir) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

const rows = [];
let said = "";
for (const [input, dir] of [["JSONL", folder], ["Parquet", parquetFolder]]) {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [join(root, "bin/edge-arena.mjs"), "verify", dir], { encoding: "utf8" });
  const verifyS = (performance.now() - t0) / 1000;
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    process.exit(1);
  }
  said = run.stdout.trim().split("\n").at(-1);
  rows.push(`| ${input} | ${N.toLocaleString("en-US")} | ${files.length} | ${(sizeOf(dir) / 1e6).toFixed(0)} MB | ${boards.length} | ${verifyS.toFixed(2)} s | ${Math.round(N / verifyS).toLocaleString("en-US")} |`);
}
for (const dir of [folder, parquetFolder]) {
  if (!process.env.KEEP_BENCH_FOLDER) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
}
process.stdout.write(
  `| input | records | files | bytes | boards | verify (chain + every board) | records/s |\n|---|---:|---:|---:|---:|---:|---:|\n` +
    `${rows.join("\n")}\n\n(dataset generated in ${generatedS.toFixed(1)} s; verify said: ${said})\n`,
);
