/**
 * The battle verbs the routes call: each takes the caller (the verified
 * session and client IP) and the validated input, and returns a Result for
 * the route to map. The live battle is its Durable Object's; these only find
 * it, prepare what it needs, and pass the caller along so the object can
 * check ownership itself.
 */
import { tagsForFirstPrompt } from "../../src/categories/tags";
import { assertPromptAllowed } from "../../src/battle/rules";
import { extractWebApp } from "../../src/battle/webdev";
import { ArenaError, type Result } from "../../src/errors";
import { normalizePrompt } from "../../src/integrity/quotas";
import type { BattleView, CreateBattleRequest, SharedBattleView, ShareResponse, Side, VoteResponse, Winner } from "../../src/wire";
import { uploadedImages } from "../media/store";
import { arenaSecret, keyedHash } from "../keys";
import { NO_SUCH_BATTLE, type BattleCaller, type BattleInit } from "./battle-session";
import { chooseModels } from "./choose-models";

/** Who is asking: the verified session, the signed-in account if any, and the client IP. */
export interface Caller {
  env: Env;
  sessionId: string;
  accountId: string | null;
  clientIp: string;
  /** Keeps work started for this request (a cache refresh) alive after its response. */
  waitUntil?: (work: Promise<unknown>) => void;
}

function ownerOf(caller: Caller): BattleCaller {
  return { sessionId: caller.sessionId, accountId: caller.accountId };
}

export type TurnStream = { battleId: string; stream: ReadableStream<Uint8Array> };

const BATTLE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The battle's object, or undefined for an id that cannot be a battle. */
export function battleObject(env: Env, id: string) {
  return BATTLE_ID.test(id) ? env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(id)) : undefined;
}

/** Starts a battle: picks the models, and streams the first turn. */
export async function startBattle(caller: Caller, input: CreateBattleRequest): Promise<Result<TurnStream>> {
  assertPromptAllowed(input.prompt);
  const arena = input.arena ?? "text";
  if (input.images && arena !== "vision") throw new ArenaError("invalid_request", "images can only be attached in the vision arena");
  const attachments = input.images ? await uploadedImages(caller.env.MEDIA, input.images) : [];
  const battleId = crypto.randomUUID();
  const init: BattleInit = {
    battleId,
    mode: input.mode,
    modality: arena,
    sessionId: caller.sessionId,
    accountId: caller.accountId,
    promptHash: await keyedHash(arenaSecret(caller.env), "prompt", normalizePrompt(input.prompt)),
    categories: tagsForFirstPrompt(input.prompt, arena),
    models: await chooseModels(caller.env, input, caller.waitUntil),
    createdAt: Date.now(),
  };
  const started = await battleObject(caller.env, battleId)!.start(init, input.prompt, attachments);
  return started.ok ? { ok: true, value: { battleId, stream: started.value } } : started;
}

/** Streams the next turn of the caller's battle. */
export async function continueBattle(caller: Caller, battleId: string, prompt: string): Promise<Result<TurnStream>> {
  const battle = battleObject(caller.env, battleId);
  if (!battle) return NO_SUCH_BATTLE;
  assertPromptAllowed(prompt);
  const next = await battle.continue(ownerOf(caller), prompt);
  return next.ok ? { ok: true, value: { battleId, stream: next.value } } : next;
}

/** Votes on the caller's battle and reveals the models. */
export async function voteOnBattle(caller: Caller, battleId: string, winner: Winner, identityShown: Side[] = []): Promise<Result<VoteResponse>> {
  const battle = battleObject(caller.env, battleId);
  if (!battle) return NO_SUCH_BATTLE;
  const ipKey = await keyedHash(arenaSecret(caller.env), "ip", caller.clientIp);
  return battle.vote({ ...ownerOf(caller), ipKey }, winner, identityShown);
}

/** Stops the caller's battle's sides still generating. */
export async function stopBattle(caller: Caller, battleId: string): Promise<Result<{ battleId: string; stopped: Side[] }>> {
  return (await battleObject(caller.env, battleId)?.stop(ownerOf(caller))) ?? NO_SUCH_BATTLE;
}

/** The caller's battle so far. */
export async function viewBattle(caller: Caller, battleId: string): Promise<Result<BattleView>> {
  return (await battleObject(caller.env, battleId)?.view(ownerOf(caller))) ?? NO_SUCH_BATTLE;
}

/** Makes the caller's voted battle readable through a share link. */
export async function shareBattle(caller: Caller, battleId: string): Promise<Result<ShareResponse>> {
  return (await battleObject(caller.env, battleId)?.share(ownerOf(caller))) ?? NO_SUCH_BATTLE;
}

/** A shared battle, for anyone holding its link. */
export async function viewSharedBattle(env: Env, battleId: string, token: string): Promise<Result<SharedBattleView>> {
  return (await battleObject(env, battleId)?.viewShared(token)) ?? NO_SUCH_BATTLE;
}

/** The app one side wrote in a WebDev turn, for the caller's battle or a shared one. */
export function webAppOf(view: BattleView | SharedBattleView, turn: number, side: Side): Result<string> {
  const answer = view.arena === "webdev" ? view.turns.find((t) => t.turn === turn)?.sides[side] : undefined;
  const app = answer ? extractWebApp(answer.text) : undefined;
  return app === undefined ? { ok: false, error: { code: "not_found", message: "no web app in this answer" } } : { ok: true, value: app };
}
