/**
 * The comparison graph: which ratings are identified at all (connected
 * components) and which are finite (strong connectivity of "beat" edges).
 */
import type { Boundary } from "./types";

/** A pair of model indices with the win weight each side earned (ties as half). */
export interface WeightedEdge {
  i: number;
  j: number;
  /** Win weight of i over j, ties and both-bad counted as half. */
  winI: number;
  /** Win weight of j over i. */
  winJ: number;
}

/**
 * Connected components of the undirected comparison graph (an edge for each
 * pair with at least one battle), numbered in order of their lowest model
 * index, so numbering is stable for a given model order.
 */
export function connectedComponents(n: number, edges: readonly WeightedEdge[]): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, k) => k);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of edges) {
    if (e.winI + e.winJ <= 0) continue;
    const a = find(e.i);
    const b = find(e.j);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const component = new Int32Array(n).fill(-1);
  const label = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const root = find(k);
    let c = label.get(root);
    if (c === undefined) {
      c = label.size;
      label.set(root, c);
    }
    component[k] = c;
  }
  return component;
}

/** Result of {@link findBoundaries}. */
export interface BoundaryAnalysis {
  /** Strongly connected component of each model in the "beats" digraph. */
  scc: Int32Array;
  /** Flag for models whose maximum-likelihood rating is infinite; null otherwise. */
  boundary: (Boundary | null)[];
  /**
   * Edges (indices into the input) that cross between different SCCs, empty
   * ones included: a bootstrap round that drew no battle for a pair still
   * gets its virtual tie, which keeps the original component connected.
   */
  crossingEdges: number[];
}

/**
 * Finds models whose maximum-likelihood rating does not exist.
 *
 * The Bradley-Terry MLE is finite iff, within each connected component, every
 * model can reach every other along "i won at least once against j" edges
 * (Zermelo 1929; Ford 1957). When that fails, the strongly connected
 * components (SCCs) of the beats digraph form a DAG. Ratings are relative, so
 * the largest SCC of each component is taken as the anchor whose ratings stay
 * finite; an SCC that sits above it in the DAG (its models, taken together,
 * never lost to anything at or below the anchor) is `all-wins`, one below it
 * `all-losses`, and one with no order to it `separated`. When no SCC is
 * strictly largest, every SCC is flagged by its place in the DAG.
 *
 * The remedy (applied by the caller) is a virtual tie — half a win each way —
 * on each pair that crosses between SCCs, and only there: models whose MLE
 * exists are fitted on their data alone, and a flagged model gets the finite
 * rating of a Haldane-style 0.5 correction, with the unbounded side of its
 * interval reported as null.
 */
export function findBoundaries(
  n: number,
  edges: readonly WeightedEdge[],
  component: Int32Array,
): BoundaryAnalysis {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    if (e.winI > 0) out[e.i]!.push(e.j);
    if (e.winJ > 0) out[e.j]!.push(e.i);
  }
  const scc = tarjan(n, out);
  const sccCount = n === 0 ? 0 : Math.max(...scc) + 1;
  const below: Set<number>[] = Array.from({ length: sccCount }, () => new Set());
  const above: Set<number>[] = Array.from({ length: sccCount }, () => new Set());
  const crossingEdges: number[] = [];
  edges.forEach((e, k) => {
    const a = scc[e.i]!;
    const b = scc[e.j]!;
    if (a === b) return;
    crossingEdges.push(k);
    if (e.winI > 0) (below[a]!.add(b), above[b]!.add(a));
    if (e.winJ > 0) (below[b]!.add(a), above[a]!.add(b));
  });
  // The anchor of a component is its largest SCC, when one is strictly
  // largest: its ratings stay finite and the other SCCs are placed relative
  // to it. Without a unique anchor (e.g. two models, one vote) no group is
  // privileged: sources are all-wins, sinks all-losses, the rest separated.
  const size = new Int32Array(sccCount);
  for (let k = 0; k < n; k++) size[scc[k]!]!++;
  const anchor = new Map<number, number>();
  const tied = new Set<number>();
  for (let k = 0; k < n; k++) {
    const c = component[k]!;
    const current = anchor.get(c);
    if (current === undefined || size[scc[k]!]! > size[current]!) {
      anchor.set(c, scc[k]!);
      tied.delete(c);
    } else if (current !== scc[k] && size[scc[k]!] === size[current]) tied.add(c);
  }
  const boundary: (Boundary | null)[] = new Array<Boundary | null>(n).fill(null);
  for (const [c, root] of anchor) {
    if (tied.has(c)) {
      for (let k = 0; k < n; k++) {
        const s = scc[k]!;
        if (component[k] !== c) continue;
        boundary[k] = above[s]!.size === 0 ? "all-wins" : below[s]!.size === 0 ? "all-losses" : "separated";
      }
      continue;
    }
    const lower = reach(root, below);
    const higher = reach(root, above);
    for (let k = 0; k < n; k++) {
      const s = scc[k]!;
      if (component[k] !== c || s === root) continue;
      boundary[k] = higher.has(s) ? "all-wins" : lower.has(s) ? "all-losses" : "separated";
    }
  }
  return { scc, boundary, crossingEdges };
}

/** SCCs reachable from `start` along `next` edges of the condensation. */
function reach(start: number, next: Set<number>[]): Set<number> {
  const seen = new Set<number>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const t of next[queue.pop()!]!) {
      if (!seen.has(t)) (seen.add(t), queue.push(t));
    }
  }
  return seen;
}

/** Tarjan's SCC algorithm, iterative so deep graphs cannot overflow the stack. */
function tarjan(n: number, out: number[][]): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const scc = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let sccCount = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const frames: [node: number, next: number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const v = frame[0];
      const neighbours = out[v]!;
      if (frame[1] < neighbours.length) {
        const w = neighbours[frame[1]++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          scc[w] = sccCount;
        } while (w !== v);
        sccCount++;
      }
    }
  }
  return scc;
}
