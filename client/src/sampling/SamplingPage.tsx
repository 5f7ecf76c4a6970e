/**
 * Sampling weights: how often each model is drawn into anonymous battles and
 * why, its share of the last 30 days' battles, and the dated history of
 * every weight change, so anyone can check sampling is policy, not favour.
 */
import type { SamplingArena, SamplingReport } from "../../../src/wire";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { formatCount, formatTime } from "../leaderboard/format";
import { Published } from "../transparency/Published";
import "../leaderboard/leaderboard.css";
import "../audit/audit.css";

const REASONS: Record<SamplingReport["models"][number]["reason"], string> = {
  new_model_boost: "New-model boost",
  equal: "Equal weight",
  outage: "Outage",
  not_sampled: "Not sampled (retired)",
};

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

const ARENA_NAMES = { vision: "Vision arena", "text-to-image": "Text-to-image arena", webdev: "WebDev arena" } as const;

/** One arena's weights table: each model's weight, why, its expected share and its share of the last 30 days. */
function ArenaWeights({ arena, caption }: { arena: SamplingArena; caption: string }) {
  return (
    <div class="table-scroll">
      <table class="audit-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Lab</th>
            <th scope="col" class="num">Weight</th>
            <th scope="col">Why</th>
            <th scope="col" class="num">Expected share</th>
            <th scope="col" class="num">Last 30 days</th>
          </tr>
        </thead>
        <tbody>
          {arena.models.map((m) => (
            <tr key={m.modelId}>
              <th scope="row">
                <a href={`/models/${encodeURIComponent(m.modelId)}`}>{m.name}</a>
              </th>
              <td>{m.organization}</td>
              <td class="num">{m.weight}</td>
              <td>{REASONS[m.reason]}</td>
              <td class="num">{percent(m.expectedShare)}</td>
              <td class="num">
                {percent(m.share30d)} ({formatCount(m.battles30d)})
              </td>
            </tr>
          ))}
          {arena.previews.count > 0 && (
            <tr>
              <th scope="row">
                {arena.previews.count} private preview{arena.previews.count === 1 ? "" : "s"}
              </th>
              <td>—</td>
              <td class="num">—</td>
              <td>Named when released</td>
              <td class="num">{percent(arena.previews.expectedShare)}</td>
              <td class="num">{percent(arena.previews.share30d)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export function SamplingPage() {
  useTitle("Sampling weights");
  const sampling = useJson<SamplingReport>("/api/v1/sampling");
  return (
    <Published
      title="Sampling weights"
      subtitle="Which models meet in anonymous battles follows published rules, and every change is logged."
      what="sampling report"
      state={sampling}
    >
      {(report) => (
        <>
          <p class="page-subtitle">Updated {formatTime(report.computedAt)}.</p>
          <p class="audit-note" data-testid="sampling-rules">
            Rules: a model with fewer than {formatCount(report.rules.boostUntilVotes)} counted votes is drawn with {report.rules.newModelBoost}× weight;
            every other model with equal weight; a model whose provider is down with none. A battle draws its first model by weight and its opponent by
            weight among the rest, so the expected shares below sum to 200% (two models a battle).
          </p>
          <ArenaWeights arena={report} caption={`Text arena: current weights (${formatCount(report.battles30d)} anonymous battles in the last 30 days)`} />
          {(Object.entries(report.arenas ?? {}) as [keyof typeof ARENA_NAMES, SamplingArena][]).map(([arena, section]) => (
            <ArenaWeights key={arena} arena={section} caption={`${ARENA_NAMES[arena]}: current weights (${formatCount(section.battles30d)} anonymous battles in the last 30 days)`} />
          ))}
          <div class="table-scroll">
            <table class="audit-table" data-testid="sampling-history">
              <caption>Every weight change</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Model</th>
                  <th scope="col" class="num">From</th>
                  <th scope="col" class="num">To</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {report.history.map((h, i) => (
                  <tr key={`${h.modelId}-${h.at}-${i}`}>
                    <td>{formatTime(h.at)}</td>
                    <th scope="row">{h.name}</th>
                    <td class="num">{h.fromWeight}</td>
                    <td class="num">{h.toWeight}</td>
                    <td>{REASONS[h.reason]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Published>
  );
}
