/**
 * `npm run bench:votelog-parquet [-- --sizes 100000,1000000]`: size and speed
 * of the vote log as Parquet against canonical JSONL (one `canonicalJson` line
 * per chained record), on synthetic records shaped like the arena's: UUID
 * battle ids, 60 models, sorted category tags, style counts, votes a few
 * seconds apart, a quarter not counted. Hashes are random 64-hex strings
 * (statistically what the chain produces; chaining a million records with
 * SHA-256 is not what is measured here). Prints a Markdown table.
 */
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { bundleModules } from "./bench/bundle.mjs";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "100000,1000000" } } });
const sizes = values.sizes.split(",").map(Number);

const mod = await import(
  await bundleModules("votelog-parquet", [
    'export { votesToParquet, parquetToVotes, parquetVoteRowGroups } from "./src/votelog/parquet.ts";',
    'export { canonicalJson } from "./src/votelog/chain.ts";',
  ], { conditions: ["browser"] }) // hyparquet-writer imports hyparquet by name; its default entry is Node's

);

const MODELS = Array.from({ length: 60 }, (_, i) => `model-${["alpha", "beta", "gamma", "delta", "omega"][i % 5]}-${i}b-instruct`);
const CATEGORIES = ["code", "creative", "hard", "math", "multi-turn", "long-query", "non-english"];
const REASONS = ["side_error", "empty_response", "identity_revealed", "vote_cap", "duplicate_prompt", "anomalous_voter"];

function synthetic(count) {
  let state = 42;
  const rand = (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const hex = (bytes) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
  const style = () => ({ tokens: 50 + rand(1500), headers: rand(6), listItems: rand(25), bold: rand(8) });
  const out = new Array(count);
  let seq = 0;
  let votedAt = 1_767_225_600_000;
  for (let i = 0; i < count; i++) {
    seq += 1 + (rand(50) === 0 ? 1 : 0);
    votedAt += rand(8000);
    const mode = rand(10) < 8 ? "anonymous" : rand(2) ? "side-by-side" : "direct";
    const counted = mode === "anonymous" && rand(5) !== 0;
    const categories = [...new Set(Array.from({ length: rand(3) }, () => CATEGORIES[rand(CATEGORIES.length)]))].sort();
    out[i] = {
      seq,
      battleId: crypto.randomUUID(),
      mode,
      modelA: MODELS[rand(MODELS.length)],
      modelB: MODELS[rand(MODELS.length)],
      winner: ["a", "b", "tie", "bothbad"][rand(4)],
      categories,
      turns: 1 + (rand(5) === 0 ? rand(4) : 0),
      styleA: style(),
      styleB: style(),
      votedAt,
      counted,
      reason: counted ? null : mode === "anonymous" ? REASONS[rand(REASONS.length)] : "not_anonymous",
      hash: hex(32),
    };
  }
  return out;
}

const time = async (fn) => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

console.log("| records | Parquet | bytes/record | JSONL | bytes/record | JSONL gzip | bytes/record | write Parquet | read Parquet (whole) | read by row group |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const n of sizes) {
  const records = synthetic(n);
  const [parquet, writeMs] = await time(() => mod.votesToParquet(records));
  const [back, readMs] = await time(() => mod.parquetToVotes(parquet));
  if (back.length !== n || mod.canonicalJson(back[n - 1]) !== mod.canonicalJson(records[n - 1])) throw new Error("round trip differs");
  const [, groupMs] = await time(async () => {
    let rows = 0;
    for await (const group of mod.parquetVoteRowGroups(parquet)) rows += group.length;
    return rows;
  });
  const jsonl = new TextEncoder().encode(records.map((r) => mod.canonicalJson(r) + "\n").join(""));
  const gz = gzipSync(jsonl).length;
  console.log(
    `| ${n.toLocaleString("en")} | ${kib(parquet.length)} | ${(parquet.length / n).toFixed(1)} | ${kib(jsonl.length)} | ${(jsonl.length / n).toFixed(1)} | ${kib(gz)} | ${(gz / n).toFixed(1)} | ${(writeMs / 1000).toFixed(2)} s | ${(readMs / 1000).toFixed(2)} s | ${(groupMs / 1000).toFixed(2)} s |`,
  );
}
