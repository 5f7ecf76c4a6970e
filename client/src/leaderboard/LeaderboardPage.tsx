/**
 * The leaderboard: one published ranking per category and style, with its
 * intervals, the pairwise matrices, and how it was computed. Category and
 * style live in the query string, so a view can be shared as a link.
 */
import { useLocation } from "preact-iso";
import type { CategorySummary, LeaderboardIndex, LeaderboardStyle, PublishedLeaderboard } from "../../../src/wire";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { CiPlot } from "./CiPlot";
import { formatCount, formatTime } from "./format";
import { LeaderboardControls } from "./LeaderboardControls";
import { LeaderboardTable } from "./LeaderboardTable";
import { Matrices } from "./Matrices";
import "./leaderboard.css";

function EmptyState({ detail }: { detail?: string }) {
  return (
    <section class="empty-state" data-testid="leaderboard-empty">
      <h2>No votes ranked yet</h2>
      <p>Rankings appear after votes are cast in anonymous battles and the next ranking run publishes them.</p>
      {detail && <p class="empty-detail">{detail}</p>}
      <p>
        <a class="primary-button link-button" href="/">
          Go vote in the arena
        </a>
      </p>
    </section>
  );
}

/** Each arena's own board, one link each: the text arena's is "overall". */
function ArenaTabs({ categories, current }: { categories: CategorySummary[]; current: string }) {
  const arenas = categories.filter((c) => c.group === "arena");
  if (arenas.length < 2) return null;
  return (
    <nav class="arena-tabs" aria-label="Arenas">
      {arenas.map((arena) => (
        <a
          key={arena.id}
          class={arena.id === current ? "arena-tab arena-tab--active" : "arena-tab"}
          href={`/leaderboard?${new URLSearchParams({ category: arena.id })}`}
          aria-current={arena.id === current ? "page" : undefined}
        >
          {arena.id === "overall" ? "Text" : arena.label.replace(/ arena$/, "")}
        </a>
      ))}
    </nav>
  );
}

function Banners({ board }: { board: PublishedLeaderboard }) {
  return (
    <>
      {board.meta.components > 1 && (
        <p class="banner" role="note">
          These models form {board.meta.components} separate groups that have never met in a battle: ratings of separate groups are not
          comparable.
        </p>
      )}
      {board.provisional && (
        <p class="banner" role="note">
          This category is provisional: it has too few votes for stable scores yet.
        </p>
      )}
    </>
  );
}

function Provenance({ board }: { board: PublishedLeaderboard }) {
  const { meta } = board;
  return (
    <details class="provenance">
      <summary>How these scores are computed</summary>
      <ul>
        <li>Bradley-Terry fit on {formatCount(meta.totalBattles)} counted votes across {meta.models} models.</li>
        <li>95% intervals by {meta.ci === "bootstrap" ? `bootstrap (${meta.rounds ?? "?"} rounds)` : "robust (sandwich) standard errors"}.</li>
        <li>Style control {meta.styleControl ? "on: length and markdown are factored out" : "off"}.</li>
        <li>Votes {meta.reweighted ? "reweighted by inverse pair frequency" : "weighted equally"}.</li>
        <li>Published {formatTime(board.computedAt)}.</li>
        {meta.warnings.map((warning) => (
          <li key={warning} class="warning">
            {warning}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function LeaderboardPage() {
  const { query, route } = useLocation();
  useTitle("Leaderboard");
  const index = useJson<LeaderboardIndex>("/api/v1/leaderboard/categories");
  const categories = index.status === "ok" ? index.data.categories : [];
  const category = categories.find((c) => c.id === query.category) ?? categories.find((c) => c.id === "overall") ?? categories[0];
  const style: LeaderboardStyle = query.style === "control" && category?.styles.includes("control") ? "control" : "default";
  const path = category
    ? `/api/v1/leaderboard?${new URLSearchParams({ category: category.id, style, matrices: "1" })}`
    : null;
  const board = useJson<PublishedLeaderboard>(path);

  const select = (next: { category?: string; style?: LeaderboardStyle }) => {
    const params = new URLSearchParams({ category: next.category ?? category?.id ?? "overall", style: next.style ?? style });
    route(`/leaderboard?${params}`, true);
  };

  return (
    <div class="leaderboard-page">
      <header class="page-header">
        <h1>Leaderboard</h1>
        {index.status === "ok" && (
          <p class="page-subtitle">
            {formatCount(index.data.totalVotes)} counted votes · updated {formatTime(index.data.computedAt)} ·{" "}
            <a href="/audit">votes that did not count, and why</a> · <a href="/sampling">how often each model is sampled</a> ·{" "}
            <a href="/register">every variant labs tested</a> · <a href="/lifecycle">releases and retirements</a>
            {index.data.chainHead && (
              <>
                {" · "}
                <span data-testid="chain-head" title={`SHA-256 chain hash of vote ${index.data.chainHead.seq}: ${index.data.chainHead.hash}`}>
                  computed from the <a href={`/api/v1/votes/log?from=1`}>vote log</a> up to vote {formatCount(index.data.chainHead.seq)}, chain hash{" "}
                  <code>{index.data.chainHead.hash.slice(0, 12)}…</code>
                </span>
              </>
            )}
          </p>
        )}
      </header>
      {index.status === "loading" && <p class="loading">Loading rankings…</p>}
      {index.status === "missing" && <EmptyState />}
      {index.status === "error" && <p class="request-error" role="alert">{index.message}</p>}
      {index.status === "ok" && categories.length === 0 && <EmptyState />}
      {category && (
        <>
          <ArenaTabs categories={categories} current={category.id} />
          <LeaderboardControls categories={categories} category={category} style={style} onSelect={select} />
          {board.status === "loading" && <p class="loading">Loading {category.label}…</p>}
          {board.status === "missing" && <EmptyState detail={board.message} />}
          {board.status === "error" && <p class="request-error" role="alert">{board.message}</p>}
          {board.status === "ok" &&
            (board.data.rows.length === 0 ? (
              <EmptyState />
            ) : (
              <>
                <Banners board={board.data} />
                <LeaderboardTable rows={board.data.rows} />
                <div class="charts">
                  <CiPlot rows={board.data.rows} />
                  {board.data.matrices && <Matrices rows={board.data.rows} matrices={board.data.matrices} />}
                </div>
                <Provenance board={board.data} />
              </>
            ))}
        </>
      )}
    </div>
  );
}
