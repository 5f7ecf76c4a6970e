/**
 * Your battles, newest first, searchable, with your personal leaderboard.
 * Signed out it shows this browser's own battles.
 */
import { useEffect, useState } from "preact/hooks";
import type { HistoryItem, HistoryPage as Page, MeResponse, PersonalLeaderboardResponse } from "../../../src/accounts/wire";
import { describeError, getJson } from "../api/http";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { agreementText, formatWhen, historyPath, outcomeOf, type HistoryFilters } from "./account-view";
import "./account.css";

const CATEGORIES = ["coding", "math", "creative-writing", "hard-prompts", "instruction-following", "multi-turn", "long-query"];

export function HistoryPage() {
  useTitle("Your history");
  const me = useJson<MeResponse>("/api/v1/me");
  const [filters, setFilters] = useState<HistoryFilters>({ q: "", category: "", voted: "" });
  const [draft, setDraft] = useState("");
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({ loading: true, error: null });

  const load = (next: string | null) => {
    setState({ loading: true, error: null });
    getJson<Page>(historyPath(filters, next))
      .then((page) => {
        setItems((previous) => (next ? [...previous, ...page.battles] : page.battles));
        setCursor(page.nextCursor);
        setState({ loading: false, error: null });
      })
      .catch((error: unknown) => setState({ loading: false, error: describeError(error) }));
  };
  useEffect(() => load(null), [filters]);

  return (
    <section class="history-page" aria-labelledby="history-title">
      <h1 id="history-title">Your battles</h1>
      {me.status === "ok" && !me.data.signedIn && (
        <p class="small">
          These are this browser's battles. <a href="/account">Sign in</a> to keep them across browsers.
        </p>
      )}
      <form
        class="history-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ ...filters, q: draft });
        }}
      >
        <label>
          Search prompts and answers <input type="search" name="q" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Category{" "}
          <select value={filters.category} onChange={(e) => setFilters({ ...filters, category: (e.target as HTMLSelectElement).value })}>
            <option value="">All</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c.replace(/-/g, " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Vote{" "}
          <select value={filters.voted} onChange={(e) => setFilters({ ...filters, voted: (e.target as HTMLSelectElement).value as HistoryFilters["voted"] })}>
            <option value="">All</option>
            <option value="true">Voted</option>
            <option value="false">Not voted</option>
          </select>
        </label>
        <button type="submit" class="ghost-button">
          Search
        </button>
      </form>
      {state.error && <p class="request-error" role="alert">{state.error}</p>}
      {!state.loading && items.length === 0 && !state.error && <p class="empty-state">No battles here yet. Ask something in the arena.</p>}
      <ol class="history-list">
        {items.map((item) => (
          <li key={item.battleId} class="history-item" data-testid="history-item">
            <a href={`/history/${item.battleId}`} class="history-prompt">
              {item.prompt || "(no prompt)"}
            </a>
            <span class="small">
              {formatWhen(item.createdAt)} · {item.turns} turn(s) · {outcomeOf(item)}
            </span>
            <span class="history-tags">
              {item.categories.map((c) => (
                <span key={c} class="badge badge--muted">
                  {c}
                </span>
              ))}
            </span>
          </li>
        ))}
      </ol>
      {cursor && (
        <button type="button" class="ghost-button" disabled={state.loading} onClick={() => load(cursor)}>
          Load more
        </button>
      )}
      <PersonalBoard />
    </section>
  );
}

function PersonalBoard() {
  const board = useJson<PersonalLeaderboardResponse>("/api/v1/me/leaderboard");
  if (board.status !== "ok") return null;
  const b = board.data;
  return (
    <section class="account-card" aria-labelledby="personal-title">
      <h2 id="personal-title">Your personal leaderboard</h2>
      {!b.shown ? (
        <p>
          Vote {b.minimumVotes - b.votes} more time(s) in anonymous battles to see your personal leaderboard ({b.votes} of {b.minimumVotes} counted votes).
        </p>
      ) : (
        <>
          <table class="personal-table">
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Model</th>
                <th scope="col">Your rating</th>
                <th scope="col">Public rating</th>
                <th scope="col">Difference</th>
                <th scope="col">Your votes</th>
              </tr>
            </thead>
            <tbody>
              {b.rows.map((row, k) => (
                <tr key={row.model}>
                  <td>{k + 1}</td>
                  <td>
                    <a href={`/models/${encodeURIComponent(row.model)}`}>{row.name}</a>
                  </td>
                  <td>{Math.round(row.rating)}</td>
                  <td>{row.publicRating === null ? "not ranked" : Math.round(row.publicRating)}</td>
                  <td>{`${row.delta >= 0 ? "+" : "−"}${Math.abs(Math.round(row.delta))}`}</td>
                  <td>{row.votes}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {agreementText(b).map((line) => (
            <p key={line} class="small">
              {line}
            </p>
          ))}
        </>
      )}
    </section>
  );
}
