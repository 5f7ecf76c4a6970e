/**
 * The pairwise win-rate and battle-count heatmaps, ordered like the table
 * (best first) and limited to the top models so cells stay readable.
 */
import type { PublishedLeaderboard, PublishedRow } from "../../../src/wire";
import { Heatmap } from "./Heatmap";

const MAX_MODELS = 20;

type LeaderboardMatrices = NonNullable<PublishedLeaderboard["matrices"]>;

export function Matrices({ rows, matrices }: { rows: PublishedRow[]; matrices: LeaderboardMatrices }) {
  const position = new Map(matrices.models.map((id, i) => [id, i]));
  const top = [...rows]
    .sort((a, b) => a.rank - b.rank || b.rating - a.rating)
    .filter((row) => position.has(row.modelId))
    .slice(0, MAX_MODELS);
  const order = top.map((row) => position.get(row.modelId)!);
  const pick = <T,>(matrix: T[][]) => order.map((i) => order.map((j) => matrix[i]?.[j] ?? null));
  const labels = top.map((row) => row.name);
  const truncated = rows.length > top.length ? ` Top ${top.length} models.` : "";
  return (
    <>
      <Heatmap
        title="Win rate"
        description={`How often the row model beat the column model, ties as half.${truncated}`}
        labels={labels}
        values={pick(matrices.winFraction).map((row, i) => row.map((v, j) => (i === j ? null : v)))}
        kind="fraction"
        format={(v) => `${Math.round(v * 100)}`}
      />
      <Heatmap
        title="Battles"
        description={`Counted battles between each pair; blank where they never met.${truncated}`}
        labels={labels}
        values={pick(matrices.battles).map((row, i) => row.map((v, j) => (i === j || !v ? null : v)))}
        kind="count"
        format={(v) => String(v)}
      />
    </>
  );
}
