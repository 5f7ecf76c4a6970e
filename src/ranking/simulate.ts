/**
 * Seeded synthetic arenas with known true ratings, for the statistical tests
 * and the benchmark. Votes follow the model the fit assumes, with ties drawn
 * so that counting a tie as half a win stays unbiased:
 * P(win) = σ − t/2, P(tie) = t, P(loss) = 1 − σ − t/2, hence E[score] = σ.
 */
import { RATING_CENTRE, RATING_SCALE } from "./leaderboard";
import { sampleMultinomial, type Random } from "./random";
import type { StyleFeatures } from "../battle/style";
import type { PairCounts, Vote } from "./types";

/** Model id used by the generators: `m000`, `m001`, … (sorts like its index). */
export function syntheticModelId(k: number): string {
  return `m${String(k).padStart(3, "0")}`;
}

/** `n` ratings evenly spread over [centre − spread, centre + spread], centred on 1000. */
export function spreadRatings(n: number, spread: number): number[] {
  return Array.from({ length: n }, (_, k) => RATING_CENTRE + (n === 1 ? 0 : spread * (1 - (2 * k) / (n - 1))));
}

/** Outcome probabilities (a wins, b wins, tie) of a vote between two ratings. */
export function outcomeProbabilities(ra: number, rb: number, tieRate: number): [number, number, number] {
  const p = 1 / (1 + Math.exp((rb - ra) / RATING_SCALE));
  const t = Math.min(tieRate, 2 * p, 2 * (1 - p));
  return [p - t / 2, 1 - p - t / 2, t];
}

/**
 * Pair counts of `votesPerPair[k]` votes on each pair (all pairs when
 * `pairs` is omitted), drawn per pair as one multinomial — the same
 * distribution as drawing the votes one by one.
 */
export function simulatePairCounts(
  rng: Random,
  ratings: readonly number[],
  votesPerPair: (i: number, j: number) => number,
  tieRate = 0,
): PairCounts[] {
  const out: PairCounts[] = [];
  const draw = new Float64Array(3);
  for (let i = 0; i < ratings.length; i++) {
    for (let j = i + 1; j < ratings.length; j++) {
      const n = votesPerPair(i, j);
      if (n <= 0) continue;
      sampleMultinomial(rng, n, outcomeProbabilities(ratings[i]!, ratings[j]!, tieRate), draw);
      out.push({
        modelA: syntheticModelId(i),
        modelB: syntheticModelId(j),
        winsA: draw[0]!,
        winsB: draw[1]!,
        ties: draw[2]!,
        bothBad: 0,
      });
    }
  }
  return out;
}

/** Standard normal draw (Box-Muller). */
export function sampleNormal(rng: Random): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function styleOf(rng: Random, verbosity: number): StyleFeatures {
  const markdown = (rate: number): number => Math.floor(-Math.log(1 - rng.next()) * rate * Math.exp(verbosity));
  return {
    tokens: Math.round(Math.exp(5.5 + verbosity + 0.6 * sampleNormal(rng))),
    headers: markdown(0.8),
    listItems: markdown(3),
    bold: markdown(1.5),
  };
}

/**
 * One vote with style features: models drawn uniformly, each with its own
 * verbosity (so style is confounded with strength, as in real arenas), and
 * the outcome drawn from logit = (r_a − r_b)/scale + Σ γ_raw·diff, with diff
 * the normalised differences of style.ts.
 */
export function simulateStyleVote(
  rng: Random,
  ratings: readonly number[],
  verbosity: readonly number[],
  gammaRaw: readonly number[],
  tieRate: number,
): Vote {
  const a = Math.floor(rng.next() * ratings.length);
  let b = Math.floor(rng.next() * (ratings.length - 1));
  if (b >= a) b++;
  const styleA = styleOf(rng, verbosity[a]!);
  const styleB = styleOf(rng, verbosity[b]!);
  const d = (x: number, y: number): number => (x - y) / (x + y + 1);
  const diff = [
    d(styleA.tokens, styleB.tokens),
    d(styleA.headers, styleB.headers),
    d(styleA.listItems, styleB.listItems),
    d(styleA.bold, styleB.bold),
  ];
  let shift = 0;
  for (let k = 0; k < 4; k++) shift += gammaRaw[k]! * diff[k]! * RATING_SCALE;
  const [pa, pb] = outcomeProbabilities(ratings[a]! + shift, ratings[b]!, tieRate);
  const u = rng.next();
  const winner = u < pa ? "a" : u < pa + pb ? "b" : "tie";
  return { modelA: syntheticModelId(a), modelB: syntheticModelId(b), winner, styleA, styleB };
}
