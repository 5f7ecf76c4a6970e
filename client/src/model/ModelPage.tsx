/**
 * One model: its standing in every category, its overall rating over time,
 * and how it fared against each opponent.
 */
import { useRoute } from "preact-iso";
import type { LeaderboardIndex, ModelDetail } from "../../../src/wire";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { formatCount, formatInterval, formatPercent, formatRating } from "../leaderboard/format";
import { RatingChart } from "./RatingChart";
import "../leaderboard/leaderboard.css";
import "./model.css";

function Standings({ detail, labels }: { detail: ModelDetail; labels: Map<string, string> }) {
  if (detail.standings.length === 0) return <p class="muted">Not ranked in any category yet.</p>;
  return (
    <div class="table-card">
      <div class="table-scroll">
        <table class="leaderboard-table">
          <caption class="visually-hidden">Standing by category</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" class="numeric">Rank</th>
              <th scope="col" class="numeric">Score</th>
              <th scope="col" class="numeric">95% CI</th>
              <th scope="col" class="numeric">Votes</th>
            </tr>
          </thead>
          <tbody>
            {detail.standings.map((s) => (
              <tr key={s.category}>
                <th scope="row">
                  <a href={`/leaderboard?category=${encodeURIComponent(s.category)}`}>{labels.get(s.category) ?? s.category}</a>
                  {s.provisional && <span class="badge badge--warn">Provisional</span>}
                </th>
                <td class="numeric">{s.rank}</td>
                <td class="numeric">{formatRating(s.rating)}</td>
                <td class="numeric ci-cell">{formatInterval(s.rating, s.lower, s.upper)}</td>
                <td class="numeric">{formatCount(s.votes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function HeadToHeads({ detail }: { detail: ModelDetail }) {
  if (detail.headToHead.length === 0) return <p class="muted">No counted battles yet.</p>;
  return (
    <div class="table-card">
      <div class="table-scroll">
        <table class="leaderboard-table">
          <caption class="visually-hidden">Head-to-head results</caption>
          <thead>
            <tr>
              <th scope="col">Opponent</th>
              <th scope="col" class="numeric">Battles</th>
              <th scope="col" class="numeric">W / L / T</th>
              <th scope="col" class="numeric">Win rate</th>
              <th scope="col" class="numeric">Predicted</th>
            </tr>
          </thead>
          <tbody>
            {detail.headToHead.map((h) => (
              <tr key={h.opponentId}>
                <th scope="row">
                  <a href={`/models/${encodeURIComponent(h.opponentId)}`}>{h.opponentName}</a>
                </th>
                <td class="numeric">{formatCount(h.votes)}</td>
                <td class="numeric">
                  {h.wins} / {h.losses} / {h.ties}
                </td>
                <td class="numeric">
                  <span class="win-bar" style={{ "--win": h.winFraction ?? 0 }} aria-hidden="true" />
                  {formatPercent(h.winFraction)}
                </td>
                <td class="numeric ci-cell">{formatPercent(h.predicted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ModelPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const detail = useJson<ModelDetail>(`/api/v1/models/${encodeURIComponent(id)}`);
  useTitle(detail.status === "ok" ? detail.data.model.name : "Model");
  // Category labels come from the index; the detail names categories by id only.
  const index = useJson<LeaderboardIndex>("/api/v1/leaderboard/categories");
  const labels = new Map(index.status === "ok" ? index.data.categories.map((c) => [c.id, c.label]) : []);
  return (
    <div class="model-page">
      <p class="breadcrumb">
        <a href="/leaderboard">← Leaderboard</a>
      </p>
      {detail.status === "loading" && <p class="loading">Loading…</p>}
      {detail.status === "missing" && (
        <section class="empty-state">
          <h1>No votes ranked yet</h1>
          <p>This model has no published ranking yet. It appears here after it has been voted on and the next ranking run.</p>
        </section>
      )}
      {detail.status === "error" && <p class="request-error" role="alert">{detail.message}</p>}
      {detail.status === "ok" && (
        <>
          <header class="page-header">
            <h1>{detail.data.model.name}</h1>
            <p class="page-subtitle">
              {detail.data.model.organization} · {detail.data.model.license ?? "licence not stated"}
              {detail.data.model.status === "preview" && " · preview"}
            </p>
          </header>
          <section class="model-section" aria-labelledby="history-title">
            <h2 id="history-title">Overall rating over time</h2>
            {detail.data.history.length > 1 ? (
              <div class="chart-card">
                <RatingChart history={detail.data.history} />
              </div>
            ) : (
              <p class="muted">The chart appears after two ranking runs.</p>
            )}
          </section>
          <section class="model-section" aria-labelledby="standings-title">
            <h2 id="standings-title">Standings</h2>
            <Standings detail={detail.data} labels={labels} />
          </section>
          <section class="model-section" aria-labelledby="h2h-title">
            <h2 id="h2h-title">Head to head</h2>
            <HeadToHeads detail={detail.data} />
          </section>
        </>
      )}
    </div>
  );
}
