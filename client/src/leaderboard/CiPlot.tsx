/**
 * Each model's score with its 95% interval, best first. An open side (a
 * model that never lost or never won) runs to the plot's edge as an arrow.
 */
import { scaleLinear } from "d3-scale";
import { useEffect, useRef, useState } from "preact/hooks";
import type { PublishedRow } from "../../../src/wire";
import { formatInterval, formatRating } from "./format";

const ROW_H = 26;
const PAD = { top: 28, right: 24, bottom: 8 };
const MAX_WIDTH = 1100;

/** The element's content width, kept up to date, so the plot draws at 1 unit = 1 px and text stays legible. */
function useWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.round(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

export function CiPlot({ rows }: { rows: PublishedRow[] }) {
  const [host, available] = useWidth<HTMLDivElement>(900);
  const width = Math.max(300, Math.min(available, MAX_WIDTH));
  const narrow = width < 560;
  const labelWidth = narrow ? 112 : 170;
  const maxLabel = narrow ? 15 : 22;
  const sorted = [...rows].sort((a, b) => b.rating - a.rating);
  const finite = sorted.flatMap((row) => [row.rating, row.lower, row.upper]).filter((v): v is number => v !== null);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const margin = Math.max(10, (max - min) * 0.08);
  const x = scaleLinear().domain([min - margin, max + margin]).range([labelWidth, width - PAD.right]).nice();
  const [left, right] = x.range() as [number, number];
  const height = PAD.top + sorted.length * ROW_H + PAD.bottom;

  return (
    <figure class="chart-card chart-card--wide">
      <figcaption>
        <h2>Scores with 95% intervals</h2>
        <p>Overlapping intervals mean the ranking between those models is not settled.</p>
      </figcaption>
      <div ref={host} class="ci-host">
        <svg
          class="ci-plot"
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          role="img"
          aria-label="Scores with 95% confidence intervals, one line per model"
        >
          {x.ticks(narrow ? 4 : 6).map((tick) => (
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
                <text x={labelWidth - 10} y={y + 4} text-anchor="end" class="row-label">
                  {row.name.length > maxLabel ? `${row.name.slice(0, maxLabel - 1)}…` : row.name}
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
