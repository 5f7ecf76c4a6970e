/**
 * Each model's score with its 95% interval, best first. An open side (a
 * model that never lost or never won) runs to the plot's edge as an arrow.
 */
import { scaleLinear } from "d3-scale";
import type { PublishedRow } from "../../../src/wire";
import { formatInterval, formatRating } from "./format";

const ROW_H = 26;
const LABEL_W = 170;
const PLOT_W = 900;
const PAD = { top: 28, right: 24, bottom: 8 };

export function CiPlot({ rows }: { rows: PublishedRow[] }) {
  const sorted = [...rows].sort((a, b) => b.rating - a.rating);
  const finite = sorted.flatMap((row) => [row.rating, row.lower, row.upper]).filter((v): v is number => v !== null);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const margin = Math.max(10, (max - min) * 0.08);
  const x = scaleLinear().domain([min - margin, max + margin]).range([LABEL_W, LABEL_W + PLOT_W]).nice();
  const [left, right] = x.range() as [number, number];
  const height = PAD.top + sorted.length * ROW_H + PAD.bottom;
  const width = LABEL_W + PLOT_W + PAD.right;

  return (
    <figure class="chart-card chart-card--wide">
      <figcaption>
        <h2>Scores with 95% intervals</h2>
        <p>Overlapping intervals mean the ranking between those models is not settled.</p>
      </figcaption>
      <div class="chart-scroll">
      <svg class="ci-plot" viewBox={`0 0 ${width} ${height}`} style={{ maxWidth: `${width}px` }} role="img" aria-label="Scores with 95% confidence intervals, one line per model">
        {x.ticks(6).map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={PAD.top - 6} y2={height - PAD.bottom} class="grid-line" />
            <text x={x(tick)} y={PAD.top - 12} class="axis-label" text-anchor="middle">
              {tick}
            </text>
          </g>
        ))}
        {sorted.map((row, i) => {
          const y = PAD.top + i * ROW_H + ROW_H / 2;
          const lo = row.lower === null ? left : x(row.lower);
          const hi = row.upper === null ? right : x(row.upper);
          return (
            <g key={row.modelId} class={row.provisional ? "ci-row ci-row--provisional" : "ci-row"}>
              <title>{`${row.name}: ${formatRating(row.rating)} (${formatInterval(row.rating, row.lower, row.upper)})`}</title>
              <text x={LABEL_W - 10} y={y + 4} text-anchor="end" class="row-label">
                {row.name.length > 22 ? `${row.name.slice(0, 21)}…` : row.name}
              </text>
              <line x1={lo} x2={hi} y1={y} y2={y} class="ci-line" />
              {row.lower !== null && <line x1={lo} x2={lo} y1={y - 5} y2={y + 5} class="ci-line" />}
              {row.upper !== null && <line x1={hi} x2={hi} y1={y - 5} y2={y + 5} class="ci-line" />}
              {row.lower === null && <path d={`M${lo} ${y}l7 -5v10z`} class="ci-arrow" />}
              {row.upper === null && <path d={`M${hi} ${y}l-7 -5v10z`} class="ci-arrow" />}
              <circle cx={x(row.rating)} cy={y} r={4.5} class="ci-point" />
            </g>
          );
        })}
      </svg>
      </div>
    </figure>
  );
}
