/**
 * `npm run bench:ranking [-- --write] [-- --only NAME,…]`: times the ranking
 * engine on the Chatbot Arena fixture and on seeded synthetic arenas, each
 * scenario in its own Node process so peak memory is attributable. Prints a
 * Markdown table; `--write` also stores it in docs/ranking-benchmark.md.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleRanking } from "./bench/bundle.mjs";
import { benchCliRead } from "./bench/cli-read.mjs";

const DOC_INTRO = `# Ranking benchmark

Measured with \`npm run bench:ranking -- --write\` (scripts/bench-ranking.mjs), which bundles
src/ranking with esbuild and runs each scenario in its own Node process, one after the other.

Machine: MACHINE.

`;

const DOC_NOTES = `
How to read it:

- **fold votes**: turning individual votes into the aggregates, one \`foldVote\` call per vote
  (the cron does this incrementally in SQL, so it is paid once per vote, not per recompute).
  Synthetic votes pick models with Zipf-like popularity and have 20 % ties.
- **fit**: the Bradley-Terry maximum-likelihood fit by Newton's method on the aggregates, to the
  gradient norm shown (target ≤ 1e-9). It depends on models and pairs, not on votes: 1M and 10M
  votes on the same 200 models cost the same.
- **sandwich CI**: robust standard errors of every rating; **full ranking** is the whole
  \`rankLeaderboard\` call with sandwich intervals (fit, intervals, ranks, rows).
- **bootstrap N**: the whole \`rankLeaderboard\` call with N seeded multinomial resamples of the
  aggregated cells, each refitted to the same tolerance.
- **peak RSS**: the scenario's process, including Node's own ≈ 45 MB and, for the synthetic
  rows, generating and folding the votes.
- **style control**: 2M simulated votes with style features, folded into pair × length-bucket
  rows carrying feature moments; the contextual fit and its sandwich intervals run on those rows.
- **full recompute**: what the cron does when it republishes: 10 categories (sizes 1 : ½ : ⅓ …
  of 10M votes) on 300 models, each ranked with sandwich intervals from its pair counts, one
  category at a time, under a 32 MB V8 heap cap. CPU time is \`process.cpuUsage\` around the
  ranking calls only. The targets were < 30 s CPU and < 128 MB.

Reference points (published figures, other machines): FastChat's bootstrap takes ≈ 10 s for 100
rounds on 1.7M battles and ≈ 15 min with style control; evalica's Rust Bradley-Terry ≈ 1.2 s.
`;

const { values } = parseArgs({ options: { write: { type: "boolean" }, only: { type: "string" } } });
const names = values.only?.split(",") ?? ["chatbot-arena", "synthetic-1m", "synthetic-10m", "style-2m", "full-recompute", "cli-read"];
const runner = fileURLToPath(new URL("./bench/run-scenario.mjs", import.meta.url));
const bundle = await bundleRanking();

// The full recompute runs under a small V8 heap, as a Worker isolate would
// (128 MB in all), to show the ranking fits rather than what V8 would use
// with room to spare; the others may use what they like.
const HEAP_FLAGS = { "full-recompute": ["--max-old-space-size=32", "--max-semi-space-size=1"] };
const loadBefore = loadavg()[0];
const results = [];
for (const name of names.filter((n) => n !== "cli-read")) {
  process.stderr.write(`bench: ${name}…\n`);
  const flags = HEAP_FLAGS[name] ?? ["--max-old-space-size=4096"];
  const out = execFileSync(process.execPath, [...flags, runner, name, bundle], { encoding: "utf8" });
  results.push(JSON.parse(out));
}

const s = (ms) => (ms === null || ms === undefined ? "–" : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const mb = (x) => `${x.toFixed(0)} MB`;
const fits = results.filter((r) => r.fitMs !== undefined);
const lines = [
  "| input | pairs | fold votes | fit (Newton) | iterations / ‖∇‖ | sandwich CI | full ranking, sandwich | bootstrap 100 | bootstrap 1000 | peak RSS |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...fits.map(
    (r) =>
      `| ${r.label} | ${r.pairs.toLocaleString("en-US")} | ${s(r.foldMs)} | ${s(r.fitMs)} | ${r.iterations} / ${r.gradientNorm.toExponential(1)} | ${s(r.sandwichMs)} | ${s(r.rankSandwichMs)} | ${s(r.bootstrap100Ms)} | ${s(r.bootstrap1000Ms)} | ${mb(r.maxRssMb)} |`,
  ),
];
const style = results.find((r) => r.name === "style-2m");
if (style) {
  lines.push(
    "",
    "| style control | buckets | fold votes | fit + sandwich | iterations / ‖∇‖ | peak RSS |",
    "|---|---:|---:|---:|---:|---:|",
    `| ${style.label} | ${style.rows.toLocaleString("en-US")} | ${s(style.foldMs)} | ${s(style.styleMs)} | ${style.iterations} / ${style.gradientNorm.toExponential(1)} | ${mb(style.maxRssMb)} |`,
  );
}
const full = results.find((r) => r.name === "full-recompute");
if (full) {
  lines.push(
    "",
    "| full recompute | votes | pair rows | CPU time (ranking) | V8 heap cap | peak RSS (process) | RSS of Node before work | worst ‖∇‖ |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    `| ${full.label} | ${full.votes.toLocaleString("en-US")} | ${full.pairs.toLocaleString("en-US")} | ${s(full.cpuMs)} | 32 MB old + 1 MB semi-space | ${mb(full.maxRssMb)} | ${mb(full.rssBeforeMb)} | ${full.worstGradientNorm.toExponential(1)} |`,
  );
}
if (names.includes("cli-read")) {
  process.stderr.write("bench: cli-read…\n");
  lines.push(...(await benchCliRead()));
}
// Other work on the machine slows every figure; the load average says how much.
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}-${process.arch}; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after the run`;
const table = lines.join("\n");
process.stdout.write(`${table}\n\nMachine: ${machine}\n`);
if (values.write) {
  const doc = new URL("../docs/ranking-benchmark.md", import.meta.url);
  writeFileSync(doc, `${DOC_INTRO.replace("MACHINE", machine)}${table}\n${DOC_NOTES}`);
}
