/**
 * The ranking table: searchable, sortable by clicking a column header
 * (`aria-sort` tells assistive technology which column sorts and how).
 */
import { useMemo, useState } from "preact/hooks";
import type { PublishedRow } from "../../../src/wire";
import { formatCount, formatInterval, formatRating } from "./format";
import { rankRanges } from "./rank-range";

type SortKey = "rank" | "rating" | "votes" | "name" | "organization";
interface Sort {
  key: SortKey;
  descending: boolean;
}

const COLUMNS: { key: SortKey | null; label: string; numeric?: boolean }[] = [
  { key: "rank", label: "Rank", numeric: true },
  { key: "name", label: "Model" },
  { key: "rating", label: "Score", numeric: true },
  { key: null, label: "95% CI", numeric: true },
  { key: "votes", label: "Votes", numeric: true },
  { key: "organization", label: "Organisation" },
  { key: null, label: "Licence" },
  { key: null, label: "Price in / out ($ per M tokens)", numeric: true },
  { key: null, label: "Context", numeric: true },
];

/** What a model's lab states it costs; "–" when it stated nothing. */
function formatPrice(row: PublishedRow): string {
  if (!row.pricing) return "–";
  const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : n.toFixed(0)}`;
  return `${usd(row.pricing.inputPerMillion)} / ${usd(row.pricing.outputPerMillion)}`;
}

function formatContext(tokens: number | undefined): string {
  if (!tokens) return "–";
  return tokens >= 1_000_000 ? `${(tokens / 1_000_000).toFixed(tokens % 1_000_000 ? 1 : 0)}M` : `${Math.round(tokens / 1_000)}k`;
}

const BOUNDARY_NOTE: Record<NonNullable<PublishedRow["boundary"]>, string> = {
  "all-wins": "never lost, so its score has no upper bound yet",
  "all-losses": "never won, so its score has no lower bound yet",
  separated: "sits between groups that never met, so its bounds are open",
};

function compare(a: PublishedRow, b: PublishedRow, key: SortKey): number {
  switch (key) {
    case "rank":
      return a.rank - b.rank || b.rating - a.rating;
    case "rating":
      return a.rating - b.rating;
    case "votes":
      return a.votes - b.votes;
    case "name":
      return a.name.localeCompare(b.name);
    case "organization":
      return a.organization.localeCompare(b.organization);
  }
}

export function LeaderboardTable({ rows }: { rows: PublishedRow[] }) {
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "rank", descending: false });
  const ranges = useMemo(() => rankRanges(rows), [rows]);

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const matching = needle
      ? rows.filter((row) => `${row.name} ${row.organization} ${row.modelId}`.toLowerCase().includes(needle))
      : rows;
    const sorted = [...matching].sort((a, b) => compare(a, b, sort.key));
    return sort.descending ? sorted.reverse() : sorted;
  }, [rows, query, sort]);

  const toggle = (key: SortKey) =>
    setSort((current) =>
      current.key === key ? { key, descending: !current.descending } : { key, descending: key === "rating" || key === "votes" },
    );

  return (
    <div class="table-card">
      <div class="table-tools">
        <label class="search">
          <span class="visually-hidden">Search models</span>
          <input type="search" placeholder="Search models or organisations" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <span class="table-count" aria-live="polite">
          {shown.length} of {rows.length} models
        </span>
      </div>
      <div class="table-scroll">
        <table class="leaderboard-table">
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const active = column.key !== null && sort.key === column.key;
                return (
                  <th
                    key={column.label}
                    scope="col"
                    class={column.numeric ? "numeric" : undefined}
                    aria-sort={active ? (sort.descending ? "descending" : "ascending") : undefined}
                  >
                    {column.key === null ? (
                      column.label
                    ) : (
                      <button type="button" class="sort-button" onClick={() => toggle(column.key!)}>
                        {column.label}
                        <span aria-hidden="true" class="sort-arrow">
                          {active ? (sort.descending ? "▼" : "▲") : ""}
                        </span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const range = ranges.get(row.modelId);
              return (
                <tr key={row.modelId}>
                  <td class="numeric rank-cell">
                    <strong>{row.rank}</strong>
                    {range && range.worst > range.best && (
                      <span class="rank-range" title="Ranks this model could hold given the 95% intervals">
                        {range.best}–{range.worst}
                      </span>
                    )}
                  </td>
                  <th scope="row" class="model-cell">
                    <a href={`/models/${encodeURIComponent(row.modelId)}`}>{row.name}</a>
                    {row.provisional && (
                      <span class="badge badge--warn" title="Too few votes for a stable score">
                        Provisional
                      </span>
                    )}
                    {row.status === "preview" && <span class="badge badge--muted">Preview</span>}
                    {row.status === "retired" && (
                      <span class="badge badge--muted" title="No longer sampled; its votes still count">
                        Retired
                      </span>
                    )}
                    {row.boundary && <span class="boundary-note">{BOUNDARY_NOTE[row.boundary]}</span>}
                  </th>
                  <td class="numeric">{formatRating(row.rating)}</td>
                  <td class="numeric ci-cell">{formatInterval(row.rating, row.lower, row.upper)}</td>
                  <td class="numeric">{formatCount(row.votes)}</td>
                  <td>{row.organization}</td>
                  <td>{row.license ?? "–"}</td>
                  <td class="numeric">{formatPrice(row)}</td>
                  <td class="numeric">{formatContext(row.contextLength)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p class="empty-row">No model matches “{query}”.</p>}
    </div>
  );
}
