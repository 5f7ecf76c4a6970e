/**
 * Turns the persisted aggregates of one category into the arrays the fit
 * works on, and applies the two adjustments that are choices rather than
 * data: inverse pair-frequency weights and the boundary virtual ties.
 */
import { canonicalPair, pairKey } from "./aggregate";
import type { FitData } from "./likelihood";
import { connectedComponents, findBoundaries } from "./graph";
import { scaleStyleFeatures, setStyleRow } from "./style-design";
import type { Boundary, ModelStatus, PairCounts, RankingInput, StyleBucket } from "./types";

/** Pair totals below this get the same weight as this, as in arena-rank. */
export const REWEIGHT_FLOOR = 50;

/** One unordered pair with its summed counts (i < j are model indices). */
export interface PairTotals {
  i: number;
  j: number;
  winI: number;
  winJ: number;
  ties: number;
  bothBad: number;
}

/** The indexed, unadjusted data of one category. */
export interface Design {
  models: string[];
  status: ModelStatus[];
  pairs: PairTotals[];
  /** Fit rows (pairs, or style buckets) with weights but no virtual ties. */
  data: FitData;
  /** Pair index of each fit row. */
  rowPair: Int32Array;
  /** Root-mean-square of each raw style difference (the z-score scale). */
  styleScale: number[];
  totalBattles: number;
  reweight: boolean;
}

function rowKey(row: PairCounts): string {
  const bucket = (row as Partial<StyleBucket>).bucket;
  return bucket === undefined ? pairKey(row.modelA, row.modelB) : `${pairKey(row.modelA, row.modelB)}\u0000${bucket}`;
}

function canonicalRowOrder<T extends PairCounts>(rows: readonly T[]): T[] {
  const keyed = rows.map((row) => ({ row, key: rowKey(row) }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((k) => k.row);
}

/**
 * Indexes models (catalogue order first, then unseen ones sorted) and builds
 * fit rows: one per pair, or one per style bucket when `style` is set. With
 * `reweight`, every row of a pair is weighted by 1/max(n_pair, 50), so each
 * pair counts about equally, targeting a uniform distribution over pairs.
 */
export function buildDesign(input: RankingInput, style: boolean, reweight: boolean, l2: number): Design {
  const models: string[] = [];
  const status: ModelStatus[] = [];
  const index = new Map<string, number>();
  const addModel = (id: string, s: ModelStatus = "active"): number => {
    const known = index.get(id);
    if (known !== undefined) return known;
    index.set(id, models.length);
    models.push(id);
    status.push(s);
    return models.length - 1;
  };
  for (const m of input.models ?? []) addModel(m.id, m.status);
  // One canonical row order, whatever order the caller's rows came in (a database, a file, a map):
  // floating-point sums then run in the same order, and the same votes fit to the same bits.
  const source: readonly PairCounts[] = canonicalRowOrder(style ? requireBuckets(input) : input.pairs);
  const unseen = new Set<string>();
  for (const row of source) for (const id of [row.modelA, row.modelB]) if (!index.has(id)) unseen.add(id);
  for (const id of [...unseen].sort()) addModel(id);

  const pairIndex = new Map<string, number>();
  const pairs: PairTotals[] = [];
  const kept: { row: PairCounts; pair: number; swapped: boolean }[] = [];
  for (const row of source) {
    checkCounts(row);
    const total = row.winsA + row.winsB + row.ties + row.bothBad;
    if (total === 0) continue;
    canonicalPair(row.modelA, row.modelB);
    const a = index.get(row.modelA)!;
    const b = index.get(row.modelB)!;
    const swapped = a > b;
    const [i, j] = swapped ? [b, a] : [a, b];
    const key = pairKey(models[i]!, models[j]!);
    let p = pairIndex.get(key);
    if (p === undefined) {
      p = pairs.length;
      pairIndex.set(key, p);
      pairs.push({ i, j, winI: 0, winJ: 0, ties: 0, bothBad: 0 });
    }
    const pair = pairs[p]!;
    pair.winI += swapped ? row.winsB : row.winsA;
    pair.winJ += swapped ? row.winsA : row.winsB;
    pair.ties += row.ties;
    pair.bothBad += row.bothBad;
    kept.push({ row, pair: p, swapped });
  }

  const d = style ? 4 : 0;
  const rows = kept.length;
  const data: FitData = {
    n: models.length,
    d,
    rows,
    i: new Int32Array(rows),
    j: new Int32Array(rows),
    features: new Float64Array(rows * d),
    winI: new Float64Array(rows),
    winJ: new Float64Array(rows),
    half: new Float64Array(rows),
    weight: new Float64Array(rows),
    linear: new Float64Array(style ? rows * d : 0),
    scatter: new Float64Array(style ? rows * d * d : 0),
    component: new Int32Array(0),
    components: 0,
    l2,
  };
  let totalBattles = 0;
  kept.forEach(({ row, pair, swapped }, r) => {
    const p = pairs[pair]!;
    const total = row.winsA + row.winsB + row.ties + row.bothBad;
    totalBattles += total;
    data.i[r] = p.i;
    data.j[r] = p.j;
    data.winI[r] = swapped ? row.winsB : row.winsA;
    data.winJ[r] = swapped ? row.winsA : row.winsB;
    data.half[r] = row.ties + row.bothBad;
    const pairTotal = p.winI + p.winJ + p.ties + p.bothBad;
    data.weight[r] = reweight ? 1 / Math.max(pairTotal, REWEIGHT_FLOOR) : 1;
    if (style) {
      const b = row as StyleBucket;
      setStyleRow(data, r, b.moments, swapped, `style bucket ${b.modelA} vs ${b.modelB} "${b.bucket}"`);
    }
  });
  const styleScale = style ? scaleStyleFeatures(data) : [];
  const edges = pairs.map((p) => ({ i: p.i, j: p.j, winI: p.winI, winJ: p.winJ }));
  data.component = connectedComponents(data.n, edges);
  data.components = data.n === 0 ? 0 : Math.max(...data.component) + 1;
  const rowPair = Int32Array.from(kept, (k) => k.pair);
  return { models, status, pairs, data, rowPair, styleScale, totalBattles, reweight };
}

function requireBuckets(input: RankingInput): readonly StyleBucket[] {
  if (!input.styleBuckets) throw new RangeError("style control needs styleBuckets in the ranking input");
  return input.styleBuckets;
}

function checkCounts(row: PairCounts): void {
  for (const key of ["winsA", "winsB", "ties", "bothBad"] as const) {
    const v = row[key];
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`pair ${row.modelA} vs ${row.modelB}: ${key} must be a non-negative number, got ${v}`);
    }
  }
}

/** {@link withVirtualTies} result. */
export interface CorrectedData {
  data: FitData;
  boundary: (Boundary | null)[];
}

/**
 * Appends one virtual tie (half a win each way, feature vector 0, no spread,
 * the pair's weight) for every pair that crosses between strongly connected components
 * of the beats graph, so every rating is finite (see graph.ts). `data` holds
 * the counts actually used (observed or resampled); `pairs` the pair list.
 */
export function withVirtualTies(design: Design, data: FitData): CorrectedData {
  const edges = design.pairs.map((p) => ({ i: p.i, j: p.j, winI: 0, winJ: 0 }));
  for (let r = 0; r < data.rows; r++) {
    const e = edges[design.rowPair[r]!]!;
    e.winI += data.winI[r]! + data.half[r]! / 2;
    e.winJ += data.winJ[r]! + data.half[r]! / 2;
  }
  const { boundary, crossingEdges } = findBoundaries(data.n, edges, data.component);
  if (crossingEdges.length === 0) return { data, boundary };
  const extra = crossingEdges.length;
  const rows = data.rows + extra;
  const grow = <T extends Float64Array | Int32Array>(a: T, per: number): T => {
    if (a.length === 0) return a;
    const out = new (a.constructor as new (n: number) => T)(rows * per);
    out.set(a);
    return out;
  };
  const out: FitData = {
    ...data,
    rows,
    i: grow(data.i, 1),
    j: grow(data.j, 1),
    features: grow(data.features, data.d),
    winI: grow(data.winI, 1),
    winJ: grow(data.winJ, 1),
    half: grow(data.half, 1),
    weight: grow(data.weight, 1),
    linear: grow(data.linear, data.d),
    scatter: grow(data.scatter, data.d * data.d),
  };
  crossingEdges.forEach((e, k) => {
    const r = data.rows + k;
    const p = design.pairs[e]!;
    out.i[r] = p.i;
    out.j[r] = p.j;
    out.half[r] = 1;
    const total = p.winI + p.winJ + p.ties + p.bothBad;
    out.weight[r] = design.reweight ? 1 / Math.max(total, REWEIGHT_FLOOR) : 1;
  });
  return { data: out, boundary };
}
