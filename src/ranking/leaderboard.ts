/**
 * The entry point the cron and the CLI share: aggregated counts in, a
 * deterministic, JSON-serialisable leaderboard out.
 */
import { buildDesign, withVirtualTies, type Design } from "./design";
import { fitBradleyTerry, type FitResult } from "./fit";
import { bootstrapBounds, sandwichStandardErrors } from "./intervals";
import { STYLE_FEATURES } from "./style";
import { portableExp } from "./portable-math";
import type {
  Boundary,
  Leaderboard,
  LeaderboardMatrices,
  LeaderboardMeta,
  LeaderboardRow,
  RankingInput,
  RankingOptions,
} from "./types";

/** Rating points per natural-log unit of strength: 400 / ln 10. */
export const RATING_SCALE = 400 / Math.LN10;
/** Mean rating of every connected component. */
export const RATING_CENTRE = 1000;
/** Two-sided 95 % normal quantile. */
const Z95 = 1.959963984540054;

/** Extra hooks for long runs (the CLI prints progress with them). */
export interface RankingHooks {
  onBootstrapRound?: (done: number, total: number) => void;
}

/**
 * Ranks the models of one category.
 *
 * Ratings are Bradley-Terry maximum-likelihood estimates (contextual with
 * style control), 400·log10-odds, centred so that each connected component of
 * the comparison graph has mean 1000: ratings in different components are not
 * comparable, and centring each one is the choice that needs no arbitrary
 * anchor model. Ranks are computed within a component: rank = 1 + the number
 * of models whose lower bound is above this model's upper bound.
 *
 * @example
 * const board = rankLeaderboard({ pairs: [{ modelA: "m1", modelB: "m2", winsA: 60, winsB: 40, ties: 0, bothBad: 0 }] });
 * board.rows[0]; // { model: "m1", rating: 1035.2…, rank: 1, … } (1000 + 200·log10 1.5)
 */
export function rankLeaderboard(
  input: RankingInput,
  options: RankingOptions = {},
  hooks: RankingHooks = {},
): Leaderboard {
  const ci = options.ci ?? "sandwich";
  const styleControl = options.styleControl ?? false;
  const reweighted = options.reweight ?? false;
  const tolerance = options.tolerance ?? 1e-9;
  const minVotes = options.minVotes ?? 300;
  const rounds = options.rounds ?? 100;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer, got ${rounds}`);

  const design = buildDesign(input, styleControl, reweighted, options.styleL2 ?? 1);
  const { data, boundary } = withVirtualTies(design, design.data);
  const fit = fitBradleyTerry(data, tolerance);
  const bounds = intervalBounds(design, fit, ci, rounds, seed, tolerance, data, hooks);

  const counts = perModelCounts(design);
  const rows: LeaderboardRow[] = design.models.map((model, m) => {
    const row: LeaderboardRow = {
      model,
      rating: RATING_CENTRE + RATING_SCALE * fit.beta[m]!,
      lower: RATING_CENTRE + RATING_SCALE * bounds.lower[m]!,
      upper: RATING_CENTRE + RATING_SCALE * bounds.upper[m]!,
      rank: 0,
      ...counts[m]!,
      component: design.data.component[m]!,
      provisional: counts[m]!.battles < minVotes || design.status[m] === "preview",
    };
    applyBoundary(row, boundary[m] ?? null);
    if (row.battles === 0) {
      // Catalogue models without votes yet: listed, but nothing is known.
      row.lower = null;
      row.upper = null;
    }
    const elo = input.elo?.[model];
    if (elo !== undefined) row.elo = elo;
    return row;
  });
  assignRanks(rows);
  rows.sort((x, y) => x.component - y.component || y.rating - x.rating || (x.model < y.model ? -1 : 1));

  const meta = buildMeta(design, fit, options, { ci, rounds, seed, styleControl, reweighted });
  const board: Leaderboard = { rows, meta };
  if (options.matrices) board.matrices = buildMatrices(design, fit);
  return board;
}

function intervalBounds(
  design: Design,
  fit: FitResult,
  ci: "sandwich" | "bootstrap",
  rounds: number,
  seed: number | string,
  tolerance: number,
  data: Design["data"],
  hooks: RankingHooks,
): { lower: Float64Array; upper: Float64Array } {
  if (ci === "bootstrap") {
    return bootstrapBounds(design, fit, rounds, seed, tolerance, (done) => hooks.onBootstrapRound?.(done, rounds));
  }
  const se = sandwichStandardErrors(data, fit);
  const n = design.data.n;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    lower[m] = fit.beta[m]! - Z95 * se[m]!;
    upper[m] = fit.beta[m]! + Z95 * se[m]!;
  }
  return { lower, upper };
}

/** A boundary model's rating is finite only by the virtual tie: open that side. */
function applyBoundary(row: LeaderboardRow, boundary: Boundary | null): void {
  if (!boundary) return;
  row.boundary = boundary;
  if (boundary !== "all-losses") row.upper = null;
  if (boundary !== "all-wins") row.lower = null;
}

function assignRanks(rows: LeaderboardRow[]): void {
  for (const row of rows) {
    const upper = row.upper ?? Number.POSITIVE_INFINITY;
    let above = 0;
    for (const other of rows) {
      if (other.component === row.component && (other.lower ?? Number.NEGATIVE_INFINITY) > upper) above++;
    }
    row.rank = 1 + above;
  }
}

function perModelCounts(design: Design): { battles: number; wins: number; losses: number; ties: number }[] {
  const counts = design.models.map(() => ({ battles: 0, wins: 0, losses: 0, ties: 0 }));
  for (const p of design.pairs) {
    const half = p.ties + p.bothBad;
    const a = counts[p.i]!;
    const b = counts[p.j]!;
    a.battles += p.winI + p.winJ + half;
    b.battles += p.winI + p.winJ + half;
    a.wins += p.winI;
    a.losses += p.winJ;
    b.wins += p.winJ;
    b.losses += p.winI;
    a.ties += half;
    b.ties += half;
  }
  return counts;
}

function buildMeta(
  design: Design,
  fit: FitResult,
  options: RankingOptions,
  chosen: { ci: "sandwich" | "bootstrap"; rounds: number; seed: number | string; styleControl: boolean; reweighted: boolean },
): LeaderboardMeta {
  const components = design.data.components;
  const minCategoryVotes = options.minCategoryVotes ?? 1000;
  const warnings: string[] = [];
  if (components > 1) {
    warnings.push(
      `the comparison graph has ${components} connected components: ratings are centred on ${RATING_CENTRE} within each and are not comparable across them`,
    );
  }
  if (fit.gradientNorm > (options.tolerance ?? 1e-9)) {
    warnings.push(`the fit stopped at gradient norm ${fit.gradientNorm.toExponential(2)} after ${fit.iterations} iterations`);
  }
  const meta: LeaderboardMeta = {
    method: "bradley-terry",
    ci: chosen.ci,
    level: 0.95,
    styleControl: chosen.styleControl,
    reweighted: chosen.reweighted,
    components,
    totalBattles: design.totalBattles,
    models: design.models.length,
    provisional: design.totalBattles < minCategoryVotes,
    iterations: fit.iterations,
    gradientNorm: fit.gradientNorm,
    warnings,
  };
  if (chosen.ci === "bootstrap") {
    meta.rounds = chosen.rounds;
    meta.seed = chosen.seed;
  }
  if (chosen.styleControl) {
    const g = STYLE_FEATURES.map((_, k) => fit.gamma[k]!);
    meta.gamma = { tokens: g[0]!, headers: g[1]!, listItems: g[2]!, bold: g[3]! };
  }
  if (options.computedAt !== undefined) meta.computedAt = options.computedAt;
  return meta;
}

function buildMatrices(design: Design, fit: FitResult): LeaderboardMatrices {
  const n = design.models.length;
  const square = <T>(fill: T): T[][] => Array.from({ length: n }, () => new Array<T>(n).fill(fill));
  const battles = square(0);
  const winFraction = square<number | null>(null);
  const predicted = square<number | null>(null);
  for (const p of design.pairs) {
    const total = p.winI + p.winJ + p.ties + p.bothBad;
    battles[p.i]![p.j] = battles[p.j]![p.i] = total;
    const won = (p.winI + (p.ties + p.bothBad) / 2) / total;
    winFraction[p.i]![p.j] = won;
    winFraction[p.j]![p.i] = 1 - won;
  }
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b || design.data.component[a] !== design.data.component[b]) continue;
      predicted[a]![b] = 1 / (1 + portableExp(fit.beta[b]! - fit.beta[a]!));
    }
  }
  return { models: [...design.models], battles, winFraction, predicted };
}
