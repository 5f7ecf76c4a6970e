/**
 * The arena: choose a mode, ask, watch the answers stream side by side,
 * vote, see who was who, and share the battle.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { BattleMode, Modality, PublicModel, Side, UploadResponse } from "../../../src/wire";
import { getJson } from "../api/http";
import { useTitle } from "../app/use-title";
import { AnswerPane } from "./AnswerPane";
import { ImagePicker } from "./ImagePicker";
import { arenasOfModel, ModePicker } from "./ModePicker";
import { PromptBox } from "./PromptBox";
import { RevealNotice } from "./RevealNotice";
import { SharePanel } from "./SharePanel";
import { canVote, hasFailedSide, type ArenaState } from "./state";
import { useTurnstile } from "./turnstile";
import { useArena } from "./use-arena";
import { VoteBar } from "./VoteBar";
import "./battle.css";

function statusMessage(state: ArenaState): string {
  switch (state.phase) {
    case "idle":
      return "";
    case "streaming":
      return "Answers are being written.";
    case "stopped":
      return "Stopped. Waiting for the models to finish.";
    case "ready":
      return state.mode === "direct" ? "The answer is complete." : "Both answers are complete. Vote with keys 1 to 4.";
    case "voting":
      return "Sending your vote.";
    case "voted":
      return state.vote ? `Vote recorded. Model A was ${state.vote.models.a.name}, model B was ${state.vote.models.b.name}.` : "";
  }
}

function voteHint(state: ArenaState): string {
  if (state.vote) return "Thanks for voting.";
  if (state.phase === "idle") return "Ask something to start a battle.";
  if (state.phase === "streaming" || state.phase === "stopped") return "Voting opens when both answers are complete.";
  const notes = ["Keys 1–4 vote (Esc leaves the prompt field first)."];
  if (hasFailedSide(state)) notes.push("An answer failed, so this vote will not count.");
  else if (state.mode === "side-by-side") notes.push("Side-by-side votes are recorded but not ranked.");
  return notes.join(" ");
}

export function BattlePage() {
  useTitle(undefined);
  const turnstile = useTurnstile();
  const { state, send, stop, vote, share, reset } = useArena("anonymous", turnstile.token);
  const [models, setModels] = useState<PublicModel[]>([]);
  const [chosen, setChosen] = useState<{ a?: string; b?: string }>({});
  const [images, setImages] = useState<UploadResponse[]>([]);

  useEffect(() => {
    getJson<{ models: PublicModel[] }>("/api/v1/models")
      .then((body) => {
        setModels(body.models);
        setChosen({ a: body.models[0]?.id, b: body.models[1]?.id });
      })
      .catch(() => setModels([]));
  }, []);

  const changeMode = useCallback((next: BattleMode) => reset(next), [reset]);
  const changeArena = useCallback(
    (next: Modality) => {
      reset(state.mode, next);
      setImages([]);
      const inArena = models.filter((m) => arenasOfModel(m).includes(next));
      setChosen({ a: inArena[0]?.id, b: inArena[1]?.id });
    },
    [reset, state.mode, models],
  );
  const appSrc = (side: Side) => (turn: number) =>
    state.battleId ? `/api/v1/battles/${encodeURIComponent(state.battleId)}/app?turn=${turn}&side=${side}` : undefined;

  const nameOf = (id?: string) => models.find((m) => m.id === id);
  const labelOf = (side: Side): { label: string; detail?: string } => {
    const revealed = state.vote?.models[side];
    if (revealed) return { label: revealed.name, detail: revealed.organization };
    const restored = state.models?.[side];
    if (restored) return { label: restored.name, detail: restored.organization };
    if (state.mode !== "anonymous") {
      const model = nameOf(chosen[side]);
      if (model) return { label: model.name, detail: model.organization };
    }
    return { label: side === "a" ? "Model A" : "Model B" };
  };

  const started = state.turns.length > 0;
  const streaming = state.phase === "streaming";
  const sameModel = state.mode === "side-by-side" && chosen.a !== undefined && chosen.a === chosen.b;
  const needsModels = (state.mode === "side-by-side" && (!chosen.a || !chosen.b || sameModel)) || (state.mode === "direct" && !chosen.a);
  const winnerSide = state.vote?.winner === "a" || state.vote?.winner === "b" ? state.vote.winner : undefined;
  const placeholder = state.vote
    ? "Voted. Start a new battle to ask again."
    : started
      ? "Continue the conversation…"
      : state.mode === "direct"
        ? "Message the model…"
        : "Ask anything; two models will answer…";

  return (
    <div class="arena">
      <h1 class="visually-hidden">Arena</h1>
      <ModePicker
        arena={state.arena}
        onArena={changeArena}
        mode={state.mode}
        onMode={changeMode}
        models={models}
        chosen={chosen}
        onChoose={(side, id) => setChosen((c) => ({ ...c, [side]: id }))}
        locked={started}
      />
      <div class={state.sides.length === 1 ? "panes panes--single" : "panes"}>
        {state.sides.map((side) => (
          <AnswerPane
            key={side}
            side={side}
            {...labelOf(side)}
            revealed={state.vote !== undefined}
            winner={winnerSide === side}
            turns={state.turns}
            votable={state.mode !== "direct"}
            arena={state.arena}
            appSrc={appSrc(side)}
          />
        ))}
      </div>
      <p class="visually-hidden" aria-live="polite" role="status">
        {statusMessage(state)}
      </p>
      {state.requestError && (
        <p class="request-error" role="alert">
          {state.requestError}
        </p>
      )}
      {state.vote && <RevealNotice vote={state.vote} />}
      {state.vote && <SharePanel share={state.share} onShare={share} />}
      <div class="turnstile" ref={turnstile.container} />
      {turnstile.problem && (
        <p class="request-error" role="alert">
          {turnstile.problem}
        </p>
      )}
      {state.mode !== "direct" && !state.vote && <VoteBar enabled={canVote(state)} onVote={vote} hint={voteHint(state)} identityReport={state.arena !== "text"} />}
      <PromptBox
        placeholder={sameModel ? "Choose two different models." : needsModels ? "Choose the models first." : placeholder}
        disabled={needsModels || state.phase === "voting" || state.phase === "stopped" || state.vote !== undefined}
        streaming={streaming}
        onSend={(prompt) => {
          void send(prompt, chosen, images);
          setImages([]);
        }}
        attachments={state.arena === "vision" && !started && <ImagePicker images={images} onChange={setImages} disabled={streaming} />}
        onStop={stop}
        actions={
          started && (
            <button type="button" class={state.vote ? "primary-button" : "ghost-button"} onClick={() => reset(state.mode, state.arena)}>
              {state.mode === "direct" ? "New chat" : "New battle"}
            </button>
          )
        }
      />
    </div>
  );
}
