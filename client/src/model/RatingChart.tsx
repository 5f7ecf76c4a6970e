/**
 * A model's overall rating over time, with its 95% band, drawn by uPlot.
 * Colours are read from the page's CSS variables, so the chart follows the
 * theme; the chart is rebuilt when its width or the theme changes.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { RatingPoint } from "../../../src/wire";

const HEIGHT = 260;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function build(el: HTMLElement, history: RatingPoint[]): uPlot {
  const times = history.map((p) => Date.parse(p.computedAt) / 1000);
  // An open side of the interval is drawn as the rating itself: uPlot bands need numbers.
  const lower = history.map((p) => p.lower ?? p.rating);
  const upper = history.map((p) => p.upper ?? p.rating);
  const rating = history.map((p) => p.rating);
  const accent = cssVar("--accent");
  const muted = cssVar("--muted");
  const grid = cssVar("--border");
  const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return new uPlot(
    {
      width: el.clientWidth,
      height: HEIGHT,
      series: [
        {},
        { label: "Upper", stroke: "transparent", points: { show: false } },
        { label: "Rating", stroke: accent, width: 2, points: { show: history.length < 40, fill: accent } },
        { label: "Lower", stroke: "transparent", points: { show: false } },
      ],
      bands: [{ series: [1, 3], fill: `color-mix(in srgb, ${accent} 18%, transparent)` }],
      axes: [axis, { ...axis, size: 50 }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
    },
    [times, upper, rating, lower],
    el,
  );
}

export function RatingChart({ history }: { history: RatingPoint[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let chart = build(el, history);
    const rebuild = () => {
      chart.destroy();
      chart = build(el, history);
    };
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    // data-theme is always explicit (the toggle's or the system's choice), so watching it is enough.
    const theme = new MutationObserver(rebuild);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => {
      resize.disconnect();
      theme.disconnect();
      chart.destroy();
    };
  }, [history]);
  return <div ref={host} class="rating-chart" role="img" aria-label="Overall rating over time with its 95% interval" />;
}
