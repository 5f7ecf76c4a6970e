/**
 * A shared battle, read-only, for anyone holding its link: the conversation
 * turn by turn, the revealed models (linking to their pages) and the winner.
 * Loaded as its own chunk: people who only battle never download it.
 */
import { useEffect, useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import type { SharedBattleView, Side } from "../../../src/wire";
import { describeError, getJson } from "../api/http";
import { useTitle } from "../app/use-title";
import { SIDE_ERROR_TEXT } from "../battle/state";
import { ImageStrip } from "../battle/ImageStrip";
import { Markdown } from "../markdown/Markdown";
import { isUnknownLink, modeLabel, modelHref, nameOf, outcomeText, sharedBattleApiPath, sidesOf } from "./shared-view";
import "../battle/battle.css";
import "./shared.css";

type Loaded = { status: "loading" } | { status: "ok"; view: SharedBattleView } | { status: "unknown" } | { status: "error"; message: string };

function useSharedBattle(id: string, token: string, attempt: number): Loaded {
  const [state, setState] = useState<Loaded>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    getJson<SharedBattleView>(sharedBattleApiPath(id, token), controller.signal)
      .then((view) => setState({ status: "ok", view }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState(isUnknownLink(error) ? { status: "unknown" } : { status: "error", message: describeError(error) });
      });
    return () => controller.abort();
  }, [id, token, attempt]);
  return state;
}

function ModelCard({ view, side }: { view: SharedBattleView; side: Side }) {
  const model = view.models[side];
  const won = view.winner === side;
  return (
    <div class={won ? "shared-model shared-model--winner" : "shared-model"} data-side={side}>
      <span class="shared-side">Model {side.toUpperCase()}</span>
      {model ? (
        <a class="shared-model-name" href={modelHref(model)}>
          {model.name}
        </a>
      ) : (
        <span class="shared-model-name">{nameOf(view, side)}</span>
      )}
      {model && <span class="pane-detail">{model.organization}</span>}
      {won && <span class="badge badge--ok">Winner</span>}
    </div>
  );
}

function Turn({ view, turn, sides }: { view: SharedBattleView; turn: SharedBattleView["turns"][number]; sides: Side[] }) {
  return (
    <li class="shared-turn">
      <h2 class="visually-hidden">Turn {turn.turn}</h2>
      <p class="turn-prompt">
        <span class="visually-hidden">Prompt: </span>
        {turn.prompt}
      </p>
      {turn.attachments && <ImageStrip images={turn.attachments} alt="Image attached to the prompt" />}
      <div class="panes shared-answers">
        {sides.map((side) => {
          const answer = turn.sides[side];
          const headingId = `turn-${turn.turn}-${side}`;
          return (
            <section key={side} class="pane shared-answer" aria-labelledby={headingId} data-side={side}>
              <h3 id={headingId} class="shared-answer-title">
                {nameOf(view, side)}
              </h3>
              {answer?.images && <ImageStrip images={answer.images} alt={`Image by ${nameOf(view, side)}`} />}
              {answer && answer.text !== "" && <Markdown text={answer.text} streaming={false} />}
              {answer?.error && <p class="side-error">{SIDE_ERROR_TEXT[answer.error]}</p>}
            </section>
          );
        })}
      </div>
    </li>
  );
}

export function SharedBattlePage() {
  const { params } = useRoute();
  const [attempt, setAttempt] = useState(0);
  const loaded = useSharedBattle(params.id ?? "", params.token ?? "", attempt);
  useTitle(loaded.status === "unknown" ? "Link not found" : "Shared battle");

  if (loaded.status === "loading") return <p class="loading" role="status">Loading the shared battle…</p>;
  if (loaded.status === "unknown") {
    return (
      <section class="empty-state" data-state="unknown-link">
        <h1>This link does not exist</h1>
        <p>The shared battle may have been removed, or the link was copied incompletely. Check it with whoever sent it.</p>
        <p>
          <a href="/">Start a battle of your own</a>
        </p>
      </section>
    );
  }
  if (loaded.status === "error") {
    return (
      <section class="empty-state">
        <h1>The shared battle could not be loaded</h1>
        <p class="request-error" role="alert">
          {loaded.message}
        </p>
        <button type="button" class="ghost-button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </section>
    );
  }

  const { view } = loaded;
  const sides = sidesOf(view);
  return (
    <article class="shared-battle" aria-labelledby="shared-title">
      <header class="shared-header">
        <h1 id="shared-title">Shared battle</h1>
        <p class="shared-meta">
          {modeLabel(view.mode)} · {view.turns.length} {view.turns.length === 1 ? "turn" : "turns"}
        </p>
      </header>
      <section class="shared-result" aria-label="Models and outcome">
        <div class="shared-models">
          {sides.map((side) => (
            <ModelCard key={side} view={view} side={side} />
          ))}
        </div>
        <p class="shared-outcome">
          <strong>Outcome:</strong> {outcomeText(view)}
        </p>
      </section>
      <ol class="shared-turns" aria-label="Conversation">
        {view.turns.map((turn) => (
          <Turn key={turn.turn} view={view} turn={turn} sides={sides} />
        ))}
      </ol>
      <p class="shared-cta">
        <a class="primary-button" href="/">
          Start your own battle
        </a>
      </p>
    </article>
  );
}
