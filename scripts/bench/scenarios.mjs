/**
 * Benchmark scenarios. Each runs in its own child process (see
 * run-scenario.mjs) so its peak RSS is its own, and returns plain numbers.
 */
import { readPairFixture } from "./bundle.mjs";

const FIXTURE = new URL("../../../shared/fixtures/chatbot-arena-20240814/chatbotarena_20240814.json", import.meta.url);

/** Wall time of `fn` in ms, with its result. */
function timed(fn) {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** CPU (user + system) time of `fn` in ms, with its result. */
function cpuTimed(fn) {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, value };
}

function chatbotArenaPairs() {
  return readPairFixture(FIXTURE);
}

/**
 * Draws `votes` votes one at a time between models chosen with Zipf-like
 * popularity (popular models meet far more often, as in real arenas) and
 * folds each into the pair aggregate with `foldVote`, as the cron does.
 */
function foldSyntheticVotes(r, votes, models, seed) {
  const rng = r.createRandom(seed);
  const ratings = r.spreadRatings(models, 300);
  const ids = ratings.map((_, k) => r.syntheticModelId(k));
  const cumulative = [];
  let total = 0;
  for (let k = 0; k < models; k++) cumulative.push((total += 1 / Math.sqrt(k + 3)));
  const pick = () => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = models - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const counts = new Map();
  for (let v = 0; v < votes; v++) {
    const a = pick();
    let b = pick();
    while (b === a) b = pick();
    const [pa, pb] = r.outcomeProbabilities(ratings[a], ratings[b], 0.2);
    const u = rng.next();
    r.foldVote(counts, { modelA: ids[a], modelB: ids[b], winner: u < pa ? "a" : u < pa + pb ? "b" : "tie" });
  }
  return [...counts.values()];
}

function rankingTimes(r, pairs, withBootstrap1000) {
  // Stages of one ranking, timed apart: indexing the aggregates, the Newton
  // fit, the sandwich errors; then whole rankings with bootstrap intervals.
  const design = timed(() => {
    const d = r.buildDesign({ pairs }, false, false, 1);
    return { design: d, corrected: r.withVirtualTies(d, d.data).data };
  });
  const fit = timed(() => r.fitBradleyTerry(design.value.corrected, 1e-9));
  const sandwich = timed(() => r.sandwichStandardErrors(design.value.corrected, fit.value));
  const full = timed(() => r.rankLeaderboard({ pairs }, { ci: "sandwich" }));
  const boot100 = timed(() => r.rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 100, seed: 1 }));
  const boot1000 = withBootstrap1000 ? timed(() => r.rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 1000, seed: 1 })) : null;
  return {
    pairs: pairs.length,
    iterations: fit.value.iterations,
    gradientNorm: fit.value.gradientNorm,
    designMs: design.ms,
    fitMs: fit.ms,
    sandwichMs: sandwich.ms,
    rankSandwichMs: full.ms,
    bootstrap100Ms: boot100.ms,
    bootstrap1000Ms: boot1000?.ms ?? null,
  };
}

/** The scenarios, by name: each gets the bundled engine. */
export const scenarios = {
  "chatbot-arena": (r) => ({ label: "Chatbot Arena 2024-08-14 (129 models, 1.67M votes)", votes: 1_670_250, models: 129, ...rankingTimes(r, chatbotArenaPairs(), true) }),
  "synthetic-1m": (r) => {
    const fold = timed(() => foldSyntheticVotes(r, 1_000_000, 200, "bench-1m"));
    return { label: "synthetic, 200 models, 1M votes", votes: 1e6, models: 200, foldMs: fold.ms, ...rankingTimes(r, fold.value, true) };
  },
  "synthetic-10m": (r) => {
    const fold = timed(() => foldSyntheticVotes(r, 10_000_000, 200, "bench-10m"));
    return { label: "synthetic, 200 models, 10M votes", votes: 1e7, models: 200, foldMs: fold.ms, ...rankingTimes(r, fold.value, true) };
  },
  "style-2m": (r) => {
    const rng = r.createRandom("bench-style");
    const models = 129;
    const ratings = r.spreadRatings(models, 300);
    const verbosity = ratings.map((x) => (x - 1000) / 600 + 0.3 * r.sampleNormal(rng));
    const buckets = new Map();
    const fold = timed(() => {
      for (let v = 0; v < 2_000_000; v++) r.foldStyleVote(buckets, r.simulateStyleVote(rng, ratings, verbosity, [1, 0.3, 0.2, 0.1], 0.2));
      return [...buckets.values()];
    });
    const fit = timed(() => r.rankLeaderboard({ pairs: [], styleBuckets: fold.value }, { styleControl: true }));
    return {
      label: "style control, 129 models, 2M votes",
      votes: 2e6,
      models,
      foldMs: fold.ms,
      rows: fold.value.length,
      styleMs: fit.ms,
      iterations: fit.value.meta.iterations,
      gradientNorm: fit.value.meta.gradientNorm,
    };
  },
  "full-recompute": (r) => {
    // Aggregates as the cron holds them: per category, per-pair counts. Drawn
    // directly (a multinomial per pair) rather than vote by vote, since the
    // measurement is the ranking work, not the folding.
    const models = 300;
    const categories = 10;
    const votes = 10_000_000;
    const rng = r.createRandom("bench-full");
    const ratings = r.spreadRatings(models, 350);
    const popularity = ratings.map((_, k) => 1 / Math.sqrt(k + 3));
    let weightSum = 0;
    for (let i = 0; i < models; i++) for (let j = i + 1; j < models; j++) weightSum += popularity[i] * popularity[j];
    const harmonic = [...Array(categories)].reduce((s, _, k) => s + 1 / (k + 1), 0);
    // One category at a time, as the cron pages its aggregates out of D1:
    // only the ranking calls are counted in CPU time.
    let cpuMs = 0;
    let pairsTotal = 0;
    let total = 0;
    let worst = 0;
    for (let c = 0; c < categories; c++) {
      // Category sizes 1 : 1/2 : 1/3 … of the 10M votes, like real tag skew.
      const perCategory = votes / (c + 1) / harmonic;
      const pairs = r.simulatePairCounts(rng, ratings, (i, j) => Math.round((perCategory * popularity[i] * popularity[j]) / weightSum), 0.2);
      const run = cpuTimed(() => r.rankLeaderboard({ pairs }, { ci: "sandwich" }));
      cpuMs += run.cpuMs;
      pairsTotal += pairs.length;
      total += run.value.meta.totalBattles;
      worst = Math.max(worst, run.value.meta.gradientNorm);
    }
    return {
      label: "full recompute: 10M votes, 300 models, 10 categories (sandwich)",
      votes: total,
      models,
      categories,
      pairs: pairsTotal,
      cpuMs,
      worstGradientNorm: worst,
    };
  },
};
