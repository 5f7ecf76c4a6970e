/**
 * Seeded synthetic aggregates for the cron benchmark: the `pair_counts` and
 * `style_buckets` rows that `votes` counted votes over `models` models would
 * leave in D1 after folding.
 *
 * The cron keeps aggregates, not votes, so the votes themselves are never
 * stored: each vote is drawn (pair, outcome, style features of both answers,
 * category tags) and folded at once with the engine's own `foldVote` and
 * `foldStyleVote` — the very functions whose output the cron upserts — into
 * per-pair maps that are emitted as rows when the pair is done. Bucket keys,
 * moments and row counts are therefore exactly what folding these votes
 * would produce.
 *
 * The arena drawn:
 * - true ratings normal around 1000 with sd 100 points;
 * - every unordered pair equally likely (votes split over the pairs as one
 *   uniform multinomial, so the total is exact);
 * - 15 % non-decisive outcomes: ties 11 %, both-bad 4 %;
 * - each model has a verbosity (loosely correlated with strength) that sets
 *   the length and markdown of its answers, and style shifts the outcome, as
 *   in the engine's own style simulator;
 * - tags: every vote is `overall`; each task category, hard prompts, the
 *   expert board and each occupational field on its share of votes below,
 *   independently; at most one of six language tags.
 */

/** Category tags and the share of votes that carry them (every category src/categories tags). */
export const CATEGORY_SHARES = {
  coding: 0.25,
  multi_turn: 0.15,
  long_query: 0.1,
  math: 0.1,
  creative_writing: 0.1,
  instruction_following: 0.15,
  hard_prompts: 0.2,
  expert: 0.08,
  "field:software": 0.2,
  "field:medicine": 0.03,
  "field:law": 0.03,
  "field:business_finance": 0.04,
  "field:accounting": 0.02,
  "field:science": 0.04,
  "field:creative_marketing": 0.03,
  "field:education": 0.03,
};
/** Language tags: mutually exclusive, 16 % of votes in all. */
export const LANGUAGE_SHARES = {
  "lang:cmn": 0.04,
  "lang:rus": 0.03,
  "lang:spa": 0.03,
  "lang:deu": 0.02,
  "lang:fra": 0.02,
  "lang:jpn": 0.02,
};
export const CATEGORIES = ["overall", ...Object.keys(CATEGORY_SHARES), ...Object.keys(LANGUAGE_SHARES)];

const TIE_RATE = 0.15;
const BOTH_BAD_SHARE_OF_TIES = 4 / 15;
/** Raw style effects per normalised difference (tokens, headers, lists, bold), as in the style benchmark. */
const STYLE_GAMMA = [1, 0.3, 0.2, 0.1];

/**
 * The synthetic arena's models: ids (`m000`…), true ratings and verbosity.
 * @param r the bundled ranking engine (scripts/bench/bundle.mjs)
 */
export function syntheticModels(r, models, seed) {
  const rng = r.createRandom(`${seed}:models`);
  const ratings = Array.from({ length: models }, () => 1000 + 100 * r.sampleNormal(rng));
  const verbosity = ratings.map((x) => (x - 1000) / 400 + 0.3 * r.sampleNormal(rng));
  return { ids: ratings.map((_, k) => r.syntheticModelId(k)), ratings, verbosity };
}

/**
 * Yields, pair by pair, the pair-count and style-bucket rows of every
 * category that pair has votes in, as arrays in the column order of the D1
 * tables (`[category, model_a, model_b, wins_a, wins_b, ties, both_bad]` and
 * `[category, model_a, model_b, bucket, wins_a, wins_b, ties, both_bad, ...18 moments]`).
 */
export function* generateAggregates(r, { votes, models, seed }) {
  const { ids, ratings, verbosity } = syntheticModels(r, models, seed);
  const rng = r.createRandom(`${seed}:votes`);
  const languages = Object.entries(LANGUAGE_SHARES);
  const pairTotal = (models * (models - 1)) / 2;
  const style = (v) => {
    const markdown = (rate) => Math.floor(-Math.log(1 - rng.next()) * rate * Math.exp(v));
    return { tokens: Math.round(Math.exp(5.5 + v + 0.6 * r.sampleNormal(rng))), headers: markdown(0.8), listItems: markdown(3), bold: markdown(1.5) };
  };
  const d = (x, y) => (x - y) / (x + y + 1);
  let votesLeft = votes;
  let pairsLeft = pairTotal;
  for (let i = 0; i < models; i++) {
    for (let j = i + 1; j < models; j++) {
      const n = r.sampleBinomial(rng, votesLeft, 1 / pairsLeft);
      votesLeft -= n;
      pairsLeft--;
      if (n === 0) continue;
      const pairs = new Map();
      const buckets = new Map();
      for (let v = 0; v < n; v++) {
        // Side shown first is random, as in the arena; the fold canonicalises it.
        const [a, b] = rng.next() < 0.5 ? [i, j] : [j, i];
        const styleA = style(verbosity[a]);
        const styleB = style(verbosity[b]);
        const shift =
          r.RATING_SCALE *
          (STYLE_GAMMA[0] * d(styleA.tokens, styleB.tokens) +
            STYLE_GAMMA[1] * d(styleA.headers, styleB.headers) +
            STYLE_GAMMA[2] * d(styleA.listItems, styleB.listItems) +
            STYLE_GAMMA[3] * d(styleA.bold, styleB.bold));
        const [pa, pb] = r.outcomeProbabilities(ratings[a] + shift, ratings[b], TIE_RATE);
        const u = rng.next();
        const winner = u < pa ? "a" : u < pa + pb ? "b" : rng.next() < BOTH_BAD_SHARE_OF_TIES ? "bothbad" : "tie";
        const vote = { modelA: ids[a], modelB: ids[b], winner, styleA, styleB };
        const tags = ["overall"];
        for (const [tag, share] of Object.entries(CATEGORY_SHARES)) if (rng.next() < share) tags.push(tag);
        let w = rng.next();
        for (const [tag, share] of languages) {
          if (w < share) {
            tags.push(tag);
            break;
          }
          w -= share;
        }
        for (const tag of tags) {
          if (!pairs.has(tag)) {
            pairs.set(tag, new Map());
            buckets.set(tag, new Map());
          }
          r.foldVote(pairs.get(tag), vote);
          r.foldStyleVote(buckets.get(tag), vote);
        }
      }
      const pairRows = [];
      const styleRows = [];
      for (const [tag, map] of pairs) {
        for (const p of map.values()) pairRows.push([tag, p.modelA, p.modelB, p.winsA, p.winsB, p.ties, p.bothBad]);
        for (const s of buckets.get(tag).values()) styleRows.push([tag, s.modelA, s.modelB, s.bucket, s.winsA, s.winsB, s.ties, s.bothBad, ...s.moments]);
      }
      yield { votes: n, pairRows, styleRows };
    }
  }
}
