/** Number formats shared by the leaderboard and model pages. */

/** A rating rounded for display. */
export const formatRating = (rating: number) => Math.round(rating).toString();

/** The 95% interval as "+12 / −9" around the rating; "∞" on an unbounded side. */
export function formatInterval(rating: number, lower: number | null, upper: number | null): string {
  const plus = upper === null ? "∞" : `+${Math.round(upper - rating)}`;
  const minus = lower === null ? "∞" : `${Math.round(rating - lower)}`;
  return `${plus} / −${minus}`;
}

/** A fraction as a whole percentage, or "–" when unknown. */
export const formatPercent = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)}%`);

/** A count with thousands separators. */
export const formatCount = (value: number) => value.toLocaleString("en-US");

/** An ISO time as a short local date and time. */
export const formatTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
