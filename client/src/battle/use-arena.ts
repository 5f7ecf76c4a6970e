/**
 * Connects the battle reducer to the API: starts and continues battles over
 * the event stream, stops reading on request, votes, and, after a stop,
 * follows the server's record until the turn is complete (the server keeps
 * generating when the reader goes away, and a vote needs finished answers).
 * An unvoted battle is remembered for the tab, so a reload brings it back.
 * After the vote, it asks for the battle's read-only share link.
 */
import { useCallback, useEffect, useReducer, useRef } from "preact/hooks";
import type { BattleMode, BattleStreamEvent, BattleView, CreateBattleRequest, Modality, ShareResponse, Side, UploadResponse, VoteResponse, Winner } from "../../../src/wire";
import { messagesPath, streamBattle } from "../api/battle-stream";
import { ApiError, describeError, getJson, postJson } from "../api/http";
import { arenaReducer, initialArena, type ArenaState } from "./state";

const SYNC_INTERVAL_MS = 1000;
/** The unvoted battle of this tab, so a reload can bring it back. */
const CURRENT_BATTLE_KEY = "edge-arena:battle";

function remember(id: string | undefined): void {
  try {
    if (id) sessionStorage.setItem(CURRENT_BATTLE_KEY, id);
    else sessionStorage.removeItem(CURRENT_BATTLE_KEY);
  } catch {
    // Storage unavailable: a reload simply starts a new battle.
  }
}

function remembered(): string | null {
  try {
    return sessionStorage.getItem(CURRENT_BATTLE_KEY);
  } catch {
    return null;
  }
}

/** Makes `id` the tab's current battle, so the arena page opens it to be continued and voted on. */
export function resumeBattle(id: string): void {
  remember(id);
}

const viewPath = (id: string) => `/api/v1/battles/${encodeURIComponent(id)}`;

export interface ArenaControls {
  state: ArenaState;
  /** Starts a battle, or continues the current one, with `prompt`. */
  send(prompt: string, models?: { a?: string; b?: string }, images?: UploadResponse[]): Promise<void>;
  /** Stops reading the current turn. */
  stop(): void;
  /** Votes; `identityShown` names sides whose image or app showed who made it. */
  vote(winner: Winner, identityShown?: Side[]): Promise<void>;
  /** Asks for the voted battle's share link (the same link on every call). */
  share(): Promise<void>;
  /** Forgets the battle and starts over in `mode` (and `arena`, else the current one). */
  reset(mode: BattleMode, arena?: Modality): void;
}

function createRequest(mode: BattleMode, arena: Modality, prompt: string, models: { a?: string; b?: string }, images: UploadResponse[]): CreateBattleRequest {
  const options = { ...(arena !== "text" ? { arena } : {}), ...(images.length ? { images: images.map((i) => i.id) } : {}) };
  if (mode === "side-by-side") return { mode, prompt, models: [models.a ?? "", models.b ?? ""], ...options };
  if (mode === "direct") return { mode, prompt, model: models.a ?? "", ...options };
  return { mode, prompt, ...options };
}

/**
 * State and actions of the battle page. `startToken` gives the Turnstile
 * token a new battle needs (undefined when the arena asks for none).
 */
export function useArena(mode: BattleMode, startToken: () => Promise<string | undefined> = async () => undefined): ArenaControls {
  const [state, dispatch] = useReducer(arenaReducer, mode, initialArena);
  const reader = useRef<AbortController | null>(null);
  // Bumped on reset and unmount so late answers of an old battle are ignored.
  const generation = useRef(0);
  const battleId = useRef<string | undefined>(undefined);
  // Set once the user acts, so a slow restore never replaces what they started.
  const touched = useRef(false);

  useEffect(() => () => {
    generation.current++;
    reader.current?.abort();
  }, []);

  const followUntilSettled = useCallback(async (id: string, gen: number) => {
    while (generation.current === gen) {
      try {
        const view = await getJson<BattleView>(viewPath(id));
        if (generation.current !== gen) return;
        dispatch({ type: "synced", view });
        const last = view.turns.at(-1);
        if (!last || Object.values(last.sides).every((a) => a.status === "done" || a.status === "error")) return;
      } catch {
        // Transient: try again on the next tick.
      }
      await new Promise((resolve) => setTimeout(resolve, SYNC_INTERVAL_MS));
    }
  }, []);

  useEffect(() => {
    const id = remembered();
    if (!id) return;
    const gen = generation.current;
    getJson<BattleView>(viewPath(id))
      .then((view) => {
        if (touched.current || generation.current !== gen) return;
        if (view.voted) return remember(undefined);
        battleId.current = id;
        dispatch({ type: "restored", view });
        void followUntilSettled(id, gen);
      })
      .catch(() => remember(undefined));
  }, [followUntilSettled]);

  const send = useCallback(
    async (prompt: string, models: { a?: string; b?: string } = {}, images: UploadResponse[] = []) => {
      touched.current = true;
      const gen = generation.current;
      const controller = new AbortController();
      reader.current = controller;
      const attachments = images.map(({ url, mediaType, width, height }) => ({ url, mediaType, width, height }));
      dispatch({ type: "submit", prompt, attachments });
      let opened = false;
      let ended = false;
      const onEvent = (event: BattleStreamEvent) => {
        if (generation.current !== gen) return;
        if (event.type === "battle") {
          opened = true;
          battleId.current = event.battleId;
          remember(event.battleId);
        }
        if (event.type === "end") ended = true;
        dispatch({ type: "event", event });
      };
      // Known from the response headers: a Stop before the first event still
      // leaves a battle the page can follow to its end.
      let started: string | undefined;
      const onOpen = (id: string) => {
        if (generation.current !== gen || battleId.current) return;
        started = id;
        battleId.current = id;
        remember(id);
      };
      try {
        const id = battleId.current;
        if (id) await streamBattle(messagesPath(id), { prompt }, onEvent, controller.signal);
        else {
          const turnstileToken = await startToken();
          const request = createRequest(state.mode, state.arena, prompt, models, images);
          await streamBattle("/api/v1/battles", turnstileToken ? { ...request, turnstileToken } : request, onEvent, controller.signal, onOpen);
        }
        if (ended || generation.current !== gen) return;
        dispatch({ type: "stopped" });
        dispatch({ type: "failed", message: "The connection closed early; fetching the rest of the answers…" });
      } catch (error) {
        if (generation.current !== gen) return;
        const aborted = controller.signal.aborted;
        if (!opened && !started) {
          dispatch({ type: "failed", message: aborted ? "Stopped before the battle started." : describeError(error) });
          return;
        }
        dispatch({ type: "stopped" });
        if (!aborted) dispatch({ type: "failed", message: describeError(error) });
      } finally {
        if (reader.current === controller) reader.current = null;
      }
      if (battleId.current) await followUntilSettled(battleId.current, gen);
    },
    [state.mode, state.arena, followUntilSettled, startToken],
  );

  // Stop reading at once, and ask the server to stop generating (saving the
  // providers' work); the page then follows the record as after any stop.
  const stop = useCallback(() => {
    reader.current?.abort();
    const id = battleId.current;
    if (id) postJson(`/api/v1/battles/${encodeURIComponent(id)}/stop`, {}).catch(() => {});
  }, []);

  const vote = useCallback(async (winner: Winner, identityShown: Side[] = []) => {
    const id = battleId.current;
    if (!id) return;
    const gen = generation.current;
    dispatch({ type: "voting" });
    try {
      const result = await postJson<VoteResponse>(`/api/v1/battles/${encodeURIComponent(id)}/vote`, identityShown.length ? { winner, identityShown } : { winner });
      remember(undefined);
      if (generation.current === gen) dispatch({ type: "voted", vote: result });
    } catch (error) {
      if (generation.current !== gen) return;
      const message = error instanceof ApiError && error.status === 409 ? `${error.message}.` : describeError(error);
      dispatch({ type: "failed", message });
    }
  }, []);

  const share = useCallback(async () => {
    const id = battleId.current;
    if (!id) return;
    const gen = generation.current;
    dispatch({ type: "sharing" });
    try {
      const result = await postJson<ShareResponse>(`/api/v1/battles/${encodeURIComponent(id)}/share`, {});
      if (generation.current === gen) dispatch({ type: "shared", share: result, origin: location.origin });
    } catch (error) {
      if (generation.current === gen) dispatch({ type: "shareFailed", message: describeError(error) });
    }
  }, []);

  const reset = useCallback((next: BattleMode, arena?: Modality) => {
    generation.current++;
    touched.current = true;
    reader.current?.abort();
    battleId.current = undefined;
    remember(undefined);
    dispatch({ type: "reset", mode: next, arena });
  }, []);

  return { state, send, stop, vote, share, reset };
}
