/**
 * The `cli-read` scenario of `npm run bench:ranking`: `edge-arena rank`
 * end to end on the Chatbot Arena fixture expanded to its 1,670,250
 * battles, one FastChat JSONL line each (≈ 163 MB, written to a temporary
 * folder), with the byte-level fast path and with the general parser
 * (JSON.parse per line), on the same records as a vote-log Parquet file,
 * against the reference — a scipy Bradley-Terry point fit that parses
 * the same JSONL with Python's json module (scripts/bench/scipy_reference.py)
 * — and against Python's json.loads alone over the same lines, the part of
 * that reference no Python reader avoids. Median of three runs each.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleModules } from "./bundle.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../shared/fixtures/chatbot-arena-20240814/chatbotarena_20240814.json", new URL(root, "file:")));
const WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"];
const PARQUET_WINNERS = ["a", "b", "tie", "bothbad"];

async function writeInputs(folder) {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));
  const jsonl = join(folder, "battles.jsonl");
  const out = createWriteStream(jsonl);
  const records = [];
  let seq = 0;
  let lines = [];
  for (let k = 0; k < fixture.X.length; k++) {
    const [i, j] = fixture.X[k];
    for (let w = 0; w < 4; w++) {
      for (let c = 0; c < (fixture.Y[k][w] ?? 0); c++) {
        lines.push(JSON.stringify({ model_a: fixture.models[i], model_b: fixture.models[j], winner: WINNERS[w], anony: true }));
        seq++;
        records.push({
          seq, battleId: `b${seq}`, mode: "anonymous", modelA: fixture.models[i], modelB: fixture.models[j], winner: PARQUET_WINNERS[w],
          categories: ["overall"], turns: 1, styleA: { tokens: 0, headers: 0, listItems: 0, bold: 0 }, styleB: { tokens: 0, headers: 0, listItems: 0, bold: 0 },
          votedAt: 1_700_000_000_000 + seq, counted: true, reason: null, hash: "0".repeat(64),
        });
        if (lines.length === 10_000) {
          out.write(`${lines.join("\n")}\n`);
          lines = [];
        }
      }
    }
  }
  out.write(`${lines.join("\n")}\n`);
  await new Promise((resolve) => out.end(resolve));
  const { votesToParquet } = await import(await bundleModules("parquet", ['export { votesToParquet } from "./src/votelog/parquet";'], { conditions: ["browser"] }));
  const parquet = join(folder, "battles.parquet");
  writeFileSync(parquet, votesToParquet(records));
  return { jsonl, parquet, battles: seq };
}

function median(runs) {
  const sorted = [...runs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(command, args, env = {}) {
  const runs = [];
  for (let k = 0; k < 3; k++) {
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
    runs.push((performance.now() - started) / 1000);
  }
  return median(runs);
}

const PYTHON_PARSE = "import json,sys\nn=0\nwith open(sys.argv[1]) as f:\n    for line in f:\n        json.loads(line); n+=1\nprint(n)\n";

/** Runs the scenario; returns Markdown lines. */
export async function benchCliRead() {
  execFileSync(process.execPath, [join(root, "scripts/build-cli.mjs")]);
  const folder = mkdtempSync(join(tmpdir(), "edge-arena-cli-read-"));
  try {
    const { jsonl, parquet, battles } = await writeInputs(folder);
    const cli = join(root, "bin/edge-arena.mjs");
    const fast = time(process.execPath, [cli, "rank", jsonl]);
    const general = time(process.execPath, [cli, "rank", jsonl], { EDGE_ARENA_GENERAL_PARSER: "1" });
    const fromParquet = time(process.execPath, [cli, "rank", parquet]);
    const optional = (args) => {
      try {
        return time("python3", args);
      } catch {
        // No Python (or no scipy) here: that row stays empty.
        return null;
      }
    };
    const scipy = optional([join(root, "scripts/bench/scipy_reference.py"), jsonl]);
    const python = optional(["-c", PYTHON_PARSE, jsonl]);
    const mb = (path) => `${(statSync(path).size / 1e6).toFixed(0)} MB`;
    const ratio = (t, base) => (base ? `${(t / base).toFixed(2)}×` : "–");
    const seconds = (t) => (t === null ? "–" : `${t.toFixed(2)} s`);
    const row = (name, path, t) => `| ${name} | ${mb(path)} | ${seconds(t)} | ${ratio(t, scipy)} | ${ratio(t, python)} |`;
    return [
      "",
      `| \`edge-arena rank\`, ${battles.toLocaleString("en-US")} battles | input | time (median of 3) | vs scipy fit (reference) | vs json.loads alone |`,
      "|---|---:|---:|---:|---:|",
      row("JSONL, fast path", jsonl, fast),
      row("JSONL, general parser (JSON.parse per line)", jsonl, general),
      row("vote-log Parquet", parquet, fromParquet),
      row("scipy point fit, Python json.loads per line (reference)", jsonl, scipy),
      row("Python json.loads per line alone, no fit", jsonl, python),
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
