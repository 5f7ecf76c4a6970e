/**
 * `npm run bench:rigging [-- --seeds 3 --models 40 --write …]`: the vote-rigging
 * simulation (src/integrity/rigging-sim.ts) on an arena fitted to the real
 * Chatbot Arena battles. For each bot strategy and seed it measures the
 * battles that move a mid-table model up one place without defences, then
 * with the arena's defences (up to `--budget-factor` times as many battles),
 * and the anomaly test's false-positive rate on honest sessions. Prints
 * Markdown; `--write` puts it into docs/rigging-benchmark.md between the
 * results markers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleModules, readPairFixture } from "./bench/bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: flags } = parseArgs({
  options: {
    fixture: { type: "string", default: join(root, "../shared/fixtures/chatbot-arena-20240814/chatbotarena_20240814.json") },
    models: { type: "string", default: "40" },
    "history-scale": { type: "string", default: "1" },
    "honest-sessions": { type: "string", default: "5000" },
    "honest-spread": { type: "string", default: "0,50,100" },
    seeds: { type: "string", default: "3" },
    accuracy: { type: "string", default: "0.95" },
    "publish-every": { type: "string", default: "10" },
    "budget-factor": { type: "string", default: "10" },
    target: { type: "string" },
    only: { type: "string" },
    write: { type: "boolean" },
  },
});
const num = (name) => {
  const x = Number(flags[name]);
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`--${name} must be a positive number, got ${flags[name]}`);
  return x;
};

const sim = await import(
  await bundleModules("rigging", ['export * from "./src/integrity/rigging-sim.ts";', 'export * from "./src/integrity/rigging-arena.ts";']),
);

const source = readPairFixture(flags.fixture);

const accuracy = num("accuracy");
const base = { accuracy, capAware: true, nearWindow: 2 };
const STRATEGIES = {
  "one-session": { ...base, mode: "target-only", rotateEvery: Infinity, ips: 1 },
  "rotate-50": { ...base, mode: "target-only", rotateEvery: 50, ips: 1 },
  "rotate-9": { ...base, mode: "target-only", rotateEvery: 9, ips: 1 },
  "rotate-9-5ips": { ...base, mode: "target-only", rotateEvery: 9, ips: 5 },
  "camouflage-one-session": { ...base, mode: "camouflage", rotateEvery: Infinity, ips: 1 },
  "omnipresent-rotate-9-5ips": { ...base, mode: "omnipresent", rotateEvery: 9, ips: 5 },
};
const names = flags.only?.split(",") ?? Object.keys(STRATEGIES);
for (const n of names) if (!STRATEGIES[n]) throw new RangeError(`unknown strategy ${n}; known: ${Object.keys(STRATEGIES).join(", ")}`);
const DEFENDED = {
  "defences, bot ignores caps": { defences: sim.ARENA_DEFENCES, capAware: false },
  "defences, bot respects caps": { defences: sim.ARENA_DEFENCES, capAware: true },
};

const seeds = Array.from({ length: num("seeds") }, (_, k) => k + 1);
const spreads = flags["honest-spread"].split(",").map(Number);
const arenaOptions = {
  models: num("models"),
  historyScale: num("history-scale"),
  honestSessions: num("honest-sessions"),
  meanExtraVotes: 20,
  minSessionVotes: 10,
  sessionsPerIp: 3,
};
const start = Date.parse("2026-12-01T00:00:00Z");
const began = performance.now();
const runs = [];
const fp = [];
let arenaInfo;
for (const seed of seeds) {
  for (const spread of spreads) {
    const arena = sim.buildArena(source, { ...arenaOptions, honestSpread: spread, seed: `arena-${seed}-${spread}` });
    const bySession = sim.honestFalsePositives(arena, sim.ARENA_DEFENCES.anomaly, false);
    const byIp = sim.honestFalsePositives(arena, sim.ARENA_DEFENCES.anomaly, true);
    fp.push({ seed, spread, bySession, byIp });
    if (spread !== spreads[0]) continue;
    const target = flags.target ?? arena.models[Math.floor(arena.models.length / 2)];
    const totalVotes = [...arena.history.values()].reduce((n, p) => n + p.winsA + p.winsB + p.ties + p.bothBad, 0);
    arenaInfo ??= { models: arena.models.length, target, tieRate: arena.tieRate, totalVotes, position: arena.models.indexOf(target) + 1 };
    for (const name of names) {
      const strategy = STRATEGIES[name];
      const attack = (defences, capAware, maxBattles) =>
        sim.simulateAttack(arena, { ...strategy, capAware }, defences, {
          target,
          maxBattles,
          publishEvery: num("publish-every"),
          seed: `bot-${seed}-${name}`,
          start,
        });
      const open = attack(sim.NO_DEFENCES, true, 5_000_000);
      runs.push({ seed, name, defence: "none", ...open });
      const budget = Math.ceil(open.battles * num("budget-factor"));
      for (const [defence, { defences, capAware }] of Object.entries(DEFENDED)) {
        runs.push({ seed, name, defence, budget, baseline: open.battles, ...attack(defences, capAware, budget) });
      }
      process.stderr.write(`rigging: seed ${seed} ${name} done (${((performance.now() - began) / 1000).toFixed(0)} s)\n`);
    }
  }
}

const int = (x) => Math.round(x).toLocaleString("en-US");
const outcome = (r) => {
  if (r.defence === "none") return `${int(r.battles)} battles (${int(r.countedVotes)} votes)`;
  const flaggedShare = r.sessions > 0 ? `${r.sessionsFlagged}/${r.sessions} sessions flagged` : "";
  const ipShare = r.ipsFlagged > 0 ? `, ${r.ipsFlagged} IP(s) flagged` : "";
  if (!r.moved) return `not moved in ${int(r.battles)} (${flaggedShare}${ipShare})`;
  return `${int(r.battles)} (×${(r.battles / r.baseline).toFixed(1)}, ${int(r.countedVotes)} counted, ${r.days.toFixed(1)} days; ${flaggedShare}${ipShare})`;
};
const columns = ["none", ...Object.keys(DEFENDED)];
const lines = [
  `Arena: ${arenaInfo.models} most-voted models of the Chatbot Arena 2024-08-14 data, ${int(arenaInfo.totalVotes)} honest votes (seed 1), tie rate ${(arenaInfo.tieRate * 100).toFixed(1)} %;`,
  `target \`${arenaInfo.target}\` (place ${arenaInfo.position}); identification accuracy ${accuracy * 100} %; publication every ${flags["publish-every"]} counted bot votes;`,
  `defended runs stop at ${flags["budget-factor"]}× the undefended battles of the same seed ("not moved" then means the goal is met).`,
  "",
  `| strategy | seed | ${columns.join(" | ")} |`,
  `|---|---:|${columns.map(() => "---").join("|")}|`,
];
for (const name of names) {
  for (const seed of seeds) {
    const cells = columns.map((c) => outcome(runs.find((r) => r.seed === seed && r.name === name && r.defence === c)));
    lines.push(`| ${name} | ${seed} | ${cells.join(" | ")} |`);
  }
}
lines.push("", "| honest voters | seed | sessions judged | flagged (rate) | IPs judged | IPs flagged (rate) |", "|---|---:|---:|---:|---:|---:|");
const rate = ({ judged, flagged }) => `${flagged} (${judged ? ((100 * flagged) / judged).toFixed(2) : "–"} %)`;
for (const f of fp) {
  lines.push(`| spread ${f.spread} rating points | ${f.seed} | ${int(f.bySession.judged)} | ${rate(f.bySession)} | ${int(f.byIp.judged)} | ${rate(f.byIp)} |`);
}
lines.push("", `Run time: ${((performance.now() - began) / 1000).toFixed(0)} s.`);
const table = lines.join("\n");
process.stdout.write(`${table}\n`);

if (flags.write) {
  const doc = join(root, "docs/rigging-benchmark.md");
  const text = readFileSync(doc, "utf8");
  const [head, rest] = text.split("<!-- results:start -->");
  const tail = rest?.split("<!-- results:end -->")[1];
  if (tail === undefined) throw new Error("docs/rigging-benchmark.md has no results markers");
  writeFileSync(doc, `${head}<!-- results:start -->\n${table}\n<!-- results:end -->${tail}`);
}
