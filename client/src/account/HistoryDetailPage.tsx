/**
 * One of your battles in full: every turn with both answers, the models
 * once revealed, your vote; delete it, or continue it in the arena while
 * it is unvoted and still live.
 */
import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import type { HistoryDetail } from "../../../src/accounts/wire";
import { describeError, sendJson } from "../api/http";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { ImageStrip } from "../battle/ImageStrip";
import { resumeBattle } from "../battle/use-arena";
import { Markdown } from "../markdown/Markdown";
import { battlePath, formatWhen, outcomeOf } from "./account-view";
import "../battle/battle.css";
import "./account.css";

export function HistoryDetailPage() {
  useTitle("A battle of yours");
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? "";
  const loaded = useJson<HistoryDetail>(battlePath(id));
  const [error, setError] = useState<string | null>(null);
  if (loaded.status === "loading") return <p aria-busy="true">Loading…</p>;
  if (loaded.status === "missing") return <p class="empty-state">This battle is not in your history.</p>;
  if (loaded.status === "error") return <p class="request-error" role="alert">{loaded.message}</p>;
  const battle = loaded.data;
  const name = (side: "a" | "b") => battle.models?.[side]?.name ?? `Model ${side.toUpperCase()}`;
  return (
    <article class="history-detail" aria-labelledby="battle-title">
      <p>
        <a href="/history">← Your battles</a>
      </p>
      <h1 id="battle-title">{battle.prompt || "A battle"}</h1>
      <p class="small">
        {formatWhen(battle.createdAt)} · {battle.mode} · {outcomeOf(battle)}
      </p>
      {error && <p class="request-error" role="alert">{error}</p>}
      <div class="account-actions">
        {battle.continuable && (
          <button
            type="button"
            class="primary-button"
            onClick={() => {
              resumeBattle(battle.battleId);
              route("/");
            }}
          >
            Continue this battle
          </button>
        )}
        <button
          type="button"
          class="ghost-button"
          onClick={async () => {
            if (!confirm("Delete this battle from your history? Its vote stays counted, no longer linked to you.")) return;
            try {
              await sendJson("DELETE", battlePath(battle.battleId));
              route("/history");
            } catch (e) {
              setError(describeError(e));
            }
          }}
        >
          Delete from history
        </button>
      </div>
      <ol class="history-turns">
        {battle.turnsDetail.map((turn) => (
          <li key={turn.turn}>
            <p class="turn-prompt">{turn.prompt}</p>
            {turn.attachments && <ImageStrip images={turn.attachments} alt="Image attached to the prompt" />}
            <div class="history-answers">
              {(["a", "b"] as const)
                .filter((side) => turn.answers[side])
                .map((side) => (
                  <section key={side} class="history-answer" aria-label={name(side)}>
                    <h2 class="small">{name(side)}</h2>
                    {turn.answers[side]!.images && <ImageStrip images={turn.answers[side]!.images!} alt={`Image by ${name(side)}`} />}
                    {turn.answers[side]!.status === "error" ? (
                      <p class="request-error">This answer failed.</p>
                    ) : (
                      turn.answers[side]!.text !== "" && <Markdown text={turn.answers[side]!.text} streaming={false} />
                    )}
                  </section>
                ))}
            </div>
          </li>
        ))}
      </ol>
    </article>
  );
}
