/**
 * `edge-arena` command line: ranks a battle file with the same engine the
 * cron runs, and prints the leaderboard as JSON on stdout.
 */
import { parseArgs } from "node:util";
import { rankLeaderboard } from "../src/ranking/index";
import type { RankingOptions } from "../src/ranking/types";
import { InputError } from "./input-stream";
import { readRankingInput } from "./read-input";
import { createProgress } from "./progress";
import { verifyCommand } from "./verify";

const USAGE = `Usage: edge-arena rank FILE [options]
       edge-arena verify SOURCE [--dataset ID] [--parquet]

Ranks models from a battle file (FastChat clean-battle JSON or JSONL,
Edge Arena vote export JSONL, or {models, X, Y} pair counts) and prints
{"leaderboard": [...], "meta": {...}} as JSON.

Options:
  --ci sandwich|bootstrap  interval method (default sandwich)
  --rounds N               bootstrap rounds (default 100)
  --seed S                 bootstrap seed (default 0)
  --style-control          contextual Bradley-Terry with style features
  --reweight               inverse pair-frequency weights
  --all                    include non-anonymous FastChat battles
  --min-votes N            votes before a model stops being provisional (default 300)
  --category NAME          only votes tagged NAME (vote export format)
  --matrices               include pairwise matrices
  -h, --help               show this help

verify checks an arena's open dataset: SOURCE is the arena's base URL
(its newest dataset, or --dataset ID) or a folder with a dataset's
card.json, publication.json and log files. It checks the hash chain from
the genesis to the published head and recomputes every published board;
exit status 0 when all is identical, 1 with the first problem (by sequence
number) otherwise, 2 when the source cannot be read. --parquet downloads
the log's Parquet copies instead of JSONL; a folder may hold either.
`;

/** A usage problem, reported with exit code 2 like bad input. */
class UsageError extends Error {}

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ci: { type: "string" },
      rounds: { type: "string" },
      seed: { type: "string" },
      "style-control": { type: "boolean" },
      reweight: { type: "boolean" },
      all: { type: "boolean" },
      "min-votes": { type: "string" },
      category: { type: "string" },
      matrices: { type: "boolean" },
      dataset: { type: "string" },
      parquet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const [command, file, ...rest] = positionals;
  if (command === "verify" && file && rest.length === 0) {
    process.exitCode = await verifyCommand(file, { dataset: values.dataset, parquet: values.parquet ?? false, out: (line) => process.stdout.write(`${line}\n`) });
    return;
  }
  if (command !== "rank" || !file || rest.length > 0) throw new UsageError(USAGE.trimEnd());
  if (values.ci !== undefined && values.ci !== "sandwich" && values.ci !== "bootstrap") {
    throw new UsageError(`--ci must be "sandwich" or "bootstrap", got "${values.ci}"`);
  }
  const line = createProgress("edge-arena");
  const progress = (message: string): void => line.update(message);
  const read = await readRankingInput(file, {
    all: values.all ?? false,
    styleControl: values["style-control"] ?? false,
    category: values.category,
    onProgress: (n) => progress(`${n.toLocaleString("en-US")} records read`),
    // The general parser alone (JSON.parse per line), for comparison and as a check on the fast path.
    fast: process.env.EDGE_ARENA_GENERAL_PARSER !== "1",
  });
  const seed = values.seed === undefined ? 0 : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const options: RankingOptions = {
    ci: values.ci as RankingOptions["ci"],
    rounds: positiveInteger(values.rounds, "--rounds", 100),
    seed,
    styleControl: values["style-control"] ?? false,
    reweight: values.reweight ?? false,
    minVotes: positiveInteger(values["min-votes"], "--min-votes", 300),
    matrices: values.matrices ?? false,
  };
  const board = rankLeaderboard(read.input, options, {
    onBootstrapRound: (done, total) => {
      if (done % Math.max(1, Math.round(total / 10)) === 0) progress(`bootstrap round ${done}/${total}`);
    },
  });
  const leaderboard = board.rows.map((r) => ({
    model: r.model,
    rating: r.rating,
    lower: r.lower,
    upper: r.upper,
    rank: r.rank,
    battles: r.battles,
    component: r.component,
    provisional: r.provisional,
    ...(r.boundary ? { boundary: r.boundary } : {}),
    ...(r.elo !== undefined ? { elo: r.elo } : {}),
  }));
  line.done();
  const output = { leaderboard, meta: { ...board.meta, input: { format: read.format, records: read.records, used: read.used } } };
  const extra = board.matrices ? { matrices: board.matrices } : {};
  process.stdout.write(`${JSON.stringify({ ...output, ...extra })}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof InputError || error instanceof UsageError || error instanceof RangeError;
  const isParseArgs = error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`edge-arena: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = known || isParseArgs ? 2 : 1;
});
