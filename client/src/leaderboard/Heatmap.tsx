/**
 * A model-by-model matrix drawn as an SVG grid: the row model against the
 * column model. Colours come from d3 scales; each cell has a tooltip, and
 * small matrices print their values.
 */
import { scaleDiverging, scaleSequential } from "d3-scale";
import { interpolateBlues, interpolateRdBu } from "d3-scale-chromatic";

export interface HeatmapProps {
  title: string;
  description: string;
  labels: string[];
  values: (number | null)[][];
  kind: "fraction" | "count";
  format(value: number): string;
}

const CELL = 34;
const LABEL_W = 150;
const LABEL_H = 110;
const SHOW_VALUES_UP_TO = 14;

const shorten = (label: string) => (label.length > 20 ? `${label.slice(0, 19)}…` : label);

/** Dark text on light cells and light text on dark ones, judged by the scale position. */
function textOn(kind: HeatmapProps["kind"], t: number): string {
  const dark = kind === "fraction" ? Math.abs(t - 0.5) > 0.3 : t > 0.55;
  return dark ? "#fff" : "#111";
}

export function Heatmap({ title, description, labels, values, kind, format }: HeatmapProps) {
  const n = labels.length;
  const max = Math.max(1, ...values.flat().filter((v): v is number => v !== null));
  // Red for losing, blue for winning, white at an even split.
  const fractionColour = scaleDiverging(interpolateRdBu).domain([0, 0.5, 1]);
  const countColour = scaleSequential(interpolateBlues).domain([0, max]);
  const colour = (v: number) => (kind === "fraction" ? fractionColour(v) : countColour(v));
  const position = (v: number) => (kind === "fraction" ? v : v / max);
  // Room on the right for the last rotated column label.
  const size = LABEL_W + n * CELL + 60;

  return (
    <figure class="chart-card">
      <figcaption>
        <h2>{title}</h2>
        <p>{description}</p>
      </figcaption>
      <div class="chart-scroll">
        <svg class="heatmap" viewBox={`0 0 ${size} ${LABEL_H + n * CELL + 8}`} width={size} role="img" aria-label={title}>
          {labels.map((label, j) => (
            <text
              key={`c${j}`}
              class="row-label"
              transform={`translate(${LABEL_W + j * CELL + CELL / 2 + 4} ${LABEL_H - 6}) rotate(-50)`}
            >
              {shorten(label)}
            </text>
          ))}
          {labels.map((rowLabel, i) => (
            <g key={`r${i}`}>
              <text x={LABEL_W - 8} y={LABEL_H + i * CELL + CELL / 2 + 4} text-anchor="end" class="row-label">
                {shorten(rowLabel)}
              </text>
              {labels.map((columnLabel, j) => {
                const value = values[i]?.[j] ?? null;
                const x = LABEL_W + j * CELL;
                const y = LABEL_H + i * CELL;
                return (
                  <g key={j}>
                    <rect x={x} y={y} width={CELL - 2} height={CELL - 2} rx={4} class={value === null ? "cell-empty" : undefined} fill={value === null ? undefined : colour(value)}>
                      <title>{`${rowLabel} vs ${columnLabel}: ${value === null ? "no battles" : format(value)}`}</title>
                    </rect>
                    {value !== null && n <= SHOW_VALUES_UP_TO && (
                      <text x={x + (CELL - 2) / 2} y={y + CELL / 2 + 2} text-anchor="middle" class="cell-value" fill={textOn(kind, position(value))}>
                        {format(value)}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
    </figure>
  );
}
