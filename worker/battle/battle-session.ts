/**
 * BattleSession: one Durable Object per battle, the single authority over a
 * live battle. It holds the hidden model pair and both sides' histories in its
 * own SQLite storage, streams the models, and applies the rules in
 * src/battle/rules.ts one request at a time — so "vote once" and "vote only
 * after both sides finished" cannot be raced.
 *
 * D1 is the durable record. Writes to it go through an outbox in this
 * object's storage: the local state changes first (atomically, before any
 * await), then the outbox is flushed, and an alarm retries until D1 has every
 * write. A vote acknowledged to the user is therefore never lost, and the
 * idempotent writes in worker/db/record.ts make retries harmless.
 */
import { DurableObject } from "cloudflare:workers";
import { assertCanVote, castVote, historyOf, isTurnComplete, sidesOf, startTurn, type BattleState, type TurnState, type VoteState } from "../../src/battle/rules";
import { tagsAtVote } from "../../src/categories/tags";
import { styleFeatures } from "../../src/battle/style";
import { judgeVote } from "../../src/battle/validity";
import { toResult, type Result } from "../../src/errors";
import type { BattleMode, BattleStreamEvent, BattleView, ImageRef, Modality, RevealedModel, SharedBattleView, ShareResponse, Side, Winner, VoteResponse } from "../../src/wire";
import { configOf } from "../config";
import { claimCountedVote } from "../integrity/vote-quota";
import { applyRecordWrite, battleIdOf, d1Cause, needsBattleRow, storeDeadLetter, type RecordWrite } from "../db/record";
import { imageModelFor, languageModelFor, type ModelEndpoint } from "../providers/registry";
import { generateSideImage, sideMessages, systemPromptOf } from "./arena-sides";
import { requestJudgement } from "../categories/judge-queue";
import { identityMatcherFor } from "./identity";
import { BattleStore, type OutboxEntry } from "./battle-store";
import { afterFailure } from "./outbox";
import { encodeEvent } from "./sse";
import { SIDE_ERROR_MESSAGES, streamSide } from "./stream-side";

/** A model as the battle holds it: how to call it and how to reveal it. */
export type HiddenModel = ModelEndpoint & RevealedModel;

export interface BattleInit {
  battleId: string;
  mode: BattleMode;
  modality: Modality;
  /** The session that started the battle: it may see, continue, stop or vote on it. */
  sessionId: string;
  /**
   * The account the battle belongs to (started signed in, or adopted when
   * its session was merged at sign-in): its sessions on any device may too.
   */
  accountId?: string | null;
  /** Keyed hash of the normalised first prompt, for the duplicate-prompt cap. */
  promptHash: string;
  categories: string[];
  /** The judge model whose classification replaced the heuristic tags, if one did. */
  judgedBy?: string;
  models: Partial<Record<Side, HiddenModel>>;
  createdAt: number;
}

/** How often a streaming answer is checkpointed to storage, in ms. */
const CHECKPOINT_MS = 1_000;
/**
 * How long a battle's live state is kept after its last activity. D1 keeps
 * the record for good; this only bounds Durable Object storage.
 */
export const LIVE_STATE_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** 128 random bits, base64url. */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Compares tokens without an early exit, so timing says nothing about a guess. */
function sameToken(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let diff = 0;
  for (let k = 0; k < expected.length; k++) diff |= expected.charCodeAt(k) ^ given.charCodeAt(k);
  return diff === 0;
}

function reveal(model: HiddenModel): RevealedModel {
  return { id: model.id, name: model.name, organization: model.organization };
}

/** What the voter is told: the outcome, and who the models were. */
function voteAnswer(battleId: string, vote: VoteState, a: HiddenModel, b: HiddenModel): VoteResponse {
  return {
    battleId,
    winner: vote.winner,
    models: { a: reveal(a), b: reveal(b) },
    counted: vote.counted,
    ...(vote.reason ? { reason: vote.reason } : {}),
  };
}

/**
 * The answer for a battle that does not exist AND for one that belongs to
 * another session: the same code and message, so a battle id cannot be
 * probed for existence.
 */
export const NO_SUCH_BATTLE = { ok: false, error: { code: "not_found", message: "no such battle" } } as const;

/** Who asks: the verified anonymous session, and the signed-in account if any. */
export interface BattleCaller {
  sessionId: string;
  accountId: string | null;
}

/** The voter as the vote caps see them (the IP only as a keyed hash). */
export interface VoteCaller extends BattleCaller {
  ipKey: string;
}

export class BattleSession extends DurableObject<Env> {
  private readonly store: BattleStore;
  private init?: BattleInit;
  private battle?: BattleState;
  private flushing?: Promise<void>;
  /** Sides generating in this instance, to stop them on request. */
  private readonly live = new Map<Side, AbortController>();
  /** Set while a vote awaits its caps, so nothing else can change the battle meanwhile. */
  private voting = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new BattleStore(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => {
      const loaded = this.store.load<BattleInit>();
      if (!loaded) return;
      this.init = loaded.init;
      this.battle = loaded.battle;
      this.recoverInterruptedTurn();
    });
  }

  /** Creates the battle and streams its first turn. */
  async start(init: BattleInit, prompt: string, attachments: ImageRef[] = []): Promise<Result<ReadableStream<Uint8Array>>> {
    if (this.init) return { ok: false, error: { code: "conflict", message: "this battle already exists" } };
    const battle: BattleState = { battleId: init.battleId, mode: init.mode, sides: sidesOf(init.mode), turns: [] };
    const opened = toResult(() => startTurn(battle, prompt, attachments));
    if (!opened.ok) return opened;
    this.init = init;
    this.battle = battle;
    this.ctx.storage.transactionSync(() => {
      this.store.saveInit(init);
      this.store.saveTurn(opened.value);
      this.store.enqueue({
        kind: "battle",
        row: {
          id: init.battleId,
          mode: init.mode,
          modality: init.modality,
          modelA: init.models.a!.id,
          modelB: init.models.b?.id ?? null,
          sessionId: init.sessionId,
          accountId: init.accountId ?? null,
          categories: init.categories,
          createdAt: init.createdAt,
        },
      });
    });
    this.touch();
    const stream = this.streamTurn(opened.value);
    if (init.modality === "text") this.ctx.waitUntil(requestJudgement(this.env, { battleId: init.battleId, prompt }).catch(() => {}));
    return { ok: true, value: stream };
  }

  /**
   * Takes the category judge's tags in place of the heuristic ones. A vote
   * fixes a battle's tags (they are part of the vote's record), so a
   * judgement that arrives after the vote is not used.
   */
  async judged(categories: string[], judge: string): Promise<boolean> {
    const init = this.init;
    if (!init || !this.battle || this.battle.vote || this.voting) return false;
    init.categories = categories;
    init.judgedBy = judge;
    this.store.saveInit(init);
    return true;
  }

  /** Streams the next turn of an existing battle. */
  async continue(caller: BattleCaller, prompt: string): Promise<Result<ReadableStream<Uint8Array>>> {
    const battle = this.battle;
    if (!battle || !this.ownedBy(caller)) return NO_SUCH_BATTLE;
    if (this.voting) return { ok: false, error: { code: "conflict", message: "a vote on this battle is being recorded" } };
    const opened = toResult(() => startTurn(battle, prompt));
    if (!opened.ok) return opened;
    this.store.saveTurn(opened.value);
    this.touch();
    return { ok: true, value: this.streamTurn(opened.value) };
  }

  /**
   * Casts the vote (once) and reveals the models. A vote that would count
   * must also fit under the caps (src/integrity/quotas.ts); the caps live in
   * other objects, so while they answer the battle is locked against a
   * second vote or a new turn.
   */
  async vote(voter: VoteCaller, winner: Winner, identityShown: readonly Side[] = []): Promise<Result<VoteResponse>> {
    const { battle, init } = this;
    if (!battle || !init || !this.ownedBy(voter)) return NO_SUCH_BATTLE;
    if (this.voting) return { ok: false, error: { code: "already_voted", message: "this battle's vote is already being recorded" } };
    const a = init.models.a!;
    const b = init.models.b!;
    // The same vote again (its answer was lost: a dropped connection, a
    // reset of this object) gets the answer it was given; nothing is cast twice.
    if (battle.vote?.winner === winner) {
      await this.flushOutbox();
      return { ok: true, value: voteAnswer(battle.battleId, battle.vote, a, b) };
    }
    const allowed = toResult(() => assertCanVote(battle));
    if (!allowed.ok) return allowed;
    // A generated image is an answer even though it has no text.
    const answers = (side: Side) => battle.turns.map((t) => (t.sides[side]?.images?.length ? "[image]" : (t.sides[side]?.text ?? "")));
    const errored = (side: Side) => battle.turns.some((t) => t.sides[side]?.status === "error");
    let judgement = judgeVote({
      mode: battle.mode,
      sides: { a: { answers: answers("a"), errored: errored("a") }, b: { answers: answers("b"), errored: errored("b") } },
      identity: identityMatcherFor(this.env, [a, b]),
    });
    // The voter saw a name, logo or watermark the text scan cannot see (in an image or a running app).
    if (judgement.counted && identityShown.length > 0) judgement = { counted: false, reason: "identity_reported" };
    if (judgement.counted) {
      this.voting = true;
      try {
        const over = await claimCountedVote(this.env, configOf(this.env).voteCaps, { sessionId: voter.sessionId, ipKey: voter.ipKey, promptHash: init.promptHash, battleId: battle.battleId }, Date.now());
        if (over) judgement = { counted: false, reason: over };
      } finally {
        this.voting = false;
      }
    }
    // Everything up to the outbox write is synchronous: no other request can
    // interleave, so exactly one vote is ever recorded for this battle.
    const vote = castVote(battle, winner, judgement, Date.now());
    this.ctx.storage.transactionSync(() => {
      this.store.saveVote(vote);
      this.store.enqueue({
        kind: "vote",
        row: {
          battleId: battle.battleId,
          sessionId: init.sessionId,
          mode: battle.mode,
          modelA: a.id,
          modelB: b.id,
          winner,
          counted: vote.counted,
          exclusionReason: vote.reason ?? null,
          categories: tagsAtVote(init.categories, battle.turns.length),
          turns: battle.turns.length,
          styleA: styleFeatures(battle.turns.map((t) => t.sides.a?.text ?? "")),
          styleB: styleFeatures(battle.turns.map((t) => t.sides.b?.text ?? "")),
          votedAt: vote.votedAt,
          promptHash: init.promptHash,
          ipKey: voter.ipKey,
        },
      });
    });
    this.touch();
    await this.flushOutbox();
    return { ok: true, value: voteAnswer(battle.battleId, vote, a, b) };
  }

  /**
   * Stops the sides still generating (the user pressed Stop). They end as
   * `stopped` errors, so the turn completes and the vote, if cast, does not
   * count: an answer cut short by the voter is not a fair comparison.
   */
  async stop(caller: BattleCaller): Promise<Result<{ battleId: string; stopped: Side[] }>> {
    const battle = this.battle;
    if (!battle || !this.ownedBy(caller)) return NO_SUCH_BATTLE;
    const stopped = [...this.live.keys()].sort();
    for (const controller of this.live.values()) controller.abort();
    return { ok: true, value: { battleId: battle.battleId, stopped } };
  }

  /** The battle as its session may see it; models only once they may be revealed. */
  async view(caller: BattleCaller): Promise<Result<BattleView>> {
    const { battle, init } = this;
    if (!battle || !init || !this.ownedBy(caller)) return NO_SUCH_BATTLE;
    const revealed = battle.mode !== "anonymous" || battle.vote !== undefined;
    return {
      ok: true,
      value: {
        battleId: battle.battleId,
        mode: battle.mode,
        arena: init.modality,
        turns: this.turnViews(),
        voted: battle.vote !== undefined,
        ...(battle.vote ? { winner: battle.vote.winner, counted: battle.vote.counted } : {}),
        ...(battle.vote?.reason ? { reason: battle.vote.reason } : {}),
        ...(revealed ? { models: this.revealedModels() } : {}),
      },
    };
  }

  /**
   * Makes a voted battle readable by whoever holds the returned token; the
   * same token on every call. Before the vote there is nothing to share:
   * the models are still hidden.
   */
  async share(caller: BattleCaller): Promise<Result<ShareResponse>> {
    const { battle } = this;
    if (!battle || !this.ownedBy(caller)) return NO_SUCH_BATTLE;
    if (!battle.vote) return { ok: false, error: { code: "vote_not_allowed", message: "a battle can be shared once it has been voted on" } };
    const token = this.store.shareToken() ?? this.store.saveShareToken(randomToken());
    return { ok: true, value: { battleId: battle.battleId, token, path: `/shared/${battle.battleId}/${token}` } };
  }

  /** The shared, read-only view, for the holder of the share token; never the voter. */
  async viewShared(token: string): Promise<Result<SharedBattleView>> {
    const { battle } = this;
    const expected = this.store.shareToken();
    if (!battle?.vote || !expected || !sameToken(expected, token)) return NO_SUCH_BATTLE;
    return {
      ok: true,
      value: {
        battleId: battle.battleId,
        mode: battle.mode,
        arena: this.init!.modality,
        turns: this.turnViews(),
        winner: battle.vote.winner,
        models: this.revealedModels(),
      },
    };
  }

  /**
   * Makes the battle its account's, once its session has been merged into
   * that account at sign-in. Only for the session that started it, and
   * never from one account to another.
   */
  async adopt(sessionId: string, accountId: string): Promise<boolean> {
    const init = this.init;
    if (!init || init.sessionId !== sessionId || (init.accountId && init.accountId !== accountId)) return false;
    if (init.accountId === accountId) return true;
    init.accountId = accountId;
    this.store.saveInit(init);
    return true;
  }

  /**
   * Removes the live state (the owner deleted the battle from history, or
   * their account). Every write owed to D1 goes first — a vote is never
   * lost — so this answers `conflict` while D1 cannot take them.
   */
  async forget(caller: BattleCaller): Promise<Result<{ battleId: string }>> {
    const battle = this.battle;
    if (!battle || !this.ownedBy(caller)) return NO_SUCH_BATTLE;
    if (this.live.size > 0 || this.voting) return { ok: false, error: { code: "turn_in_progress", message: "the battle is still generating; stop it or wait, then delete it" } };
    await this.flushOutbox();
    if (this.store.pending() > 0) return { ok: false, error: { code: "conflict", message: "the battle is still being saved; try again in a minute" } };
    await this.ctx.storage.deleteAll();
    this.init = undefined;
    this.battle = undefined;
    return { ok: true, value: { battleId: battle.battleId } };
  }

  private ownedBy(caller: BattleCaller): boolean {
    const init = this.init;
    if (!init) return false;
    return init.sessionId === caller.sessionId || (caller.accountId !== null && init.accountId === caller.accountId);
  }

  private turnViews(): BattleView["turns"] {
    return this.battle!.turns.map((t) => ({
      turn: t.turn,
      prompt: t.prompt,
      ...(t.attachments ? { attachments: structuredClone(t.attachments) } : {}),
      sides: structuredClone(t.sides),
    }));
  }

  private revealedModels(): Partial<Record<Side, RevealedModel>> {
    const models: Partial<Record<Side, RevealedModel>> = {};
    for (const side of this.battle!.sides) models[side] = reveal(this.init!.models[side]!);
    return models;
  }

  /**
   * One alarm serves two purposes: retrying the outbox, and removing the
   * live state once the battle has been idle past the retention period (only
   * when D1 has every write). While writes are owed the flush has set the
   * alarm for the next retry; the retention expiry matters only once the
   * outbox is empty, because live state is never removed before that.
   */
  override async alarm(): Promise<void> {
    await this.flushOutbox(true);
    if (this.store.pending() > 0) return;
    const expiresAt = this.store.lastActivity() + LIVE_STATE_RETENTION_MS;
    if (Date.now() >= expiresAt) {
      await this.ctx.storage.deleteAll();
      this.init = undefined;
      this.battle = undefined;
    } else {
      await this.ctx.storage.setAlarm(expiresAt);
    }
  }

  /** Records activity and makes sure an alarm will eventually clean up. */
  private touch(): void {
    this.store.touch(Date.now());
    void this.ctx.storage.getAlarm().then((alarm) => {
      if (alarm === null) return this.ctx.storage.setAlarm(Date.now() + LIVE_STATE_RETENTION_MS);
    });
  }

  private streamTurn(turn: TurnState): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    // A reader that goes away must not stop generation: the answer is still
    // recorded, and the user can reload the battle and vote.
    const send = (event: BattleStreamEvent) => void writer.write(encodeEvent(event)).catch(() => {});
    const battle = this.battle!;
    send({ type: "battle", battleId: battle.battleId, turn: turn.turn, mode: battle.mode });
    const run = (async () => {
      await Promise.all(battle.sides.map((side) => this.runSide(turn, side, send)));
      this.completeTurn(turn);
      send({ type: "end", battleId: battle.battleId, turn: turn.turn });
      void writer.close().catch(() => {});
      await this.flushOutbox();
    })();
    this.ctx.waitUntil(run);
    return readable;
  }

  private async runSide(turn: TurnState, side: Side, send: (event: BattleStreamEvent) => void): Promise<void> {
    const answer = turn.sides[side]!;
    const stop = new AbortController();
    this.live.set(side, stop);
    const outcome = await this.answerSide(turn, side, send, stop.signal).catch((error: unknown) => ({
      status: "error" as const,
      code: "provider_error" as const,
      detail: error instanceof Error ? error.message : String(error),
    }));
    this.live.delete(side);
    if (outcome.status === "done") {
      answer.status = "done";
      answer.finishReason = outcome.finishReason;
      send({ type: "done", side, finishReason: outcome.finishReason });
    } else {
      answer.status = "error";
      answer.error = outcome.code;
      console.warn(JSON.stringify({ battleId: this.battle!.battleId, side, code: outcome.code, detail: outcome.detail }));
      send({ type: "error", side, code: outcome.code, message: SIDE_ERROR_MESSAGES[outcome.code] });
    }
    this.store.saveAnswer(turn.turn, side, answer);
  }

  /** Runs one side in the battle's arena: a streamed text answer, or a generated image. */
  private async answerSide(turn: TurnState, side: Side, send: (event: BattleStreamEvent) => void, stop: AbortSignal) {
    const answer = turn.sides[side]!;
    const model = this.init!.models[side]!;
    const arena = this.init!.modality;
    const limits = configOf(this.env).stream;
    if (arena === "text-to-image") {
      const outcome = await generateSideImage(imageModelFor(model, this.env), turn.prompt, limits, this.env.MEDIA, stop);
      if (outcome.status === "done") {
        answer.images = [outcome.image];
        send({ type: "image", side, ...outcome.image });
      }
      return outcome;
    }
    let lastCheckpoint = Date.now();
    const messages = arena === "vision" ? await sideMessages(this.env.MEDIA, this.battle!, side, turn.turn) : historyOf(this.battle!, side, turn.turn);
    const onDelta = (text: string) => {
      answer.text += text;
      send({ type: "delta", side, text });
      if (Date.now() - lastCheckpoint >= CHECKPOINT_MS) {
        lastCheckpoint = Date.now();
        this.store.saveAnswer(turn.turn, side, answer);
      }
    };
    return streamSide(languageModelFor(model, this.env), messages, limits, onDelta, stop, systemPromptOf(arena));
  }

  /** Queues the finished turn for D1. */
  private completeTurn(turn: TurnState): void {
    const row = (side: Side) => turn.sides[side];
    const write: RecordWrite = {
      kind: "turn",
      row: {
        battleId: this.battle!.battleId,
        turn: turn.turn,
        prompt: turn.prompt,
        responseA: row("a")!.text,
        responseB: row("b")?.text ?? null,
        statusA: row("a")!.status === "done" ? "done" : "error",
        statusB: row("b") ? (row("b")!.status === "done" ? "done" : "error") : null,
        finishA: row("a")!.finishReason ?? null,
        finishB: row("b")?.finishReason ?? null,
        errorA: row("a")!.error ?? null,
        errorB: row("b")?.error ?? null,
        attachments: turn.attachments ?? null,
        imagesA: row("a")!.images ?? null,
        imagesB: row("b")?.images ?? null,
      },
    };
    this.store.enqueue(write);
  }

  /**
   * After an eviction or restart, a side still marked "streaming" has lost
   * its generator: it becomes an `interrupted` error, so the turn completes,
   * the user can vote (the vote will not count) or continue.
   */
  private recoverInterruptedTurn(): void {
    const turn = this.battle?.turns.at(-1);
    if (!turn || isTurnComplete(turn)) return;
    for (const [side, answer] of Object.entries(turn.sides) as [Side, NonNullable<TurnState["sides"][Side]>][]) {
      if (answer.status !== "streaming" && answer.status !== "pending") continue;
      answer.status = "error";
      answer.error = "interrupted";
      this.store.saveAnswer(turn.turn, side, answer);
    }
    this.completeTurn(turn);
    void this.ctx.storage.setAlarm(Date.now() + 10);
  }

  /**
   * Sends the queued writes to D1 in order, stopping at the first that fails:
   * a turn or a vote must not reach D1 before its battle row. A failed write
   * waits out its back-off (kept in storage, so an evicted object resumes on
   * the same schedule) unless the alarm, set for exactly that time, fires.
   * Whatever stops the flush, the alarm is armed while a write is owed.
   */
  private flushOutbox(byAlarm = false): Promise<void> {
    this.flushing ??= (async () => {
      try {
        for (let entry = this.store.peek(); entry; entry = this.store.peek()) {
          if (!byAlarm && entry.nextAttemptAt > Date.now()) break;
          if (!(await this.deliver(entry))) break;
        }
      } finally {
        this.flushing = undefined;
        const owed = this.store.peek();
        if (owed) await this.ctx.storage.setAlarm(owed.nextAttemptAt);
      }
    })();
    return this.flushing;
  }

  /**
   * Tries one write; true once it has left the outbox (in D1's record or in
   * its dead letters). A write whose battle row was dead-lettered is not
   * tried: it could only fail on the foreign key, so it follows the row.
   */
  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const deadRow = needsBattleRow(entry.write) ? this.store.deadBattleRow() : undefined;
    if (deadRow !== undefined) return this.deadLetter(entry, entry.attempts, `held behind the dead-lettered battle row (outbox ${deadRow})`);
    let failure: string;
    try {
      await applyRecordWrite(this.env.DB, entry.write);
      this.store.dequeue(entry.id);
      return true;
    } catch (error) {
      failure = d1Cause(error);
    }
    const attempts = entry.attempts + 1;
    const decision = entry.dead ? ({ action: "dead-letter" } as const) : afterFailure(attempts, Date.now(), configOf(this.env).outbox);
    if (decision.action === "dead-letter") return this.deadLetter(entry, attempts, failure);
    this.store.recordFailure(entry.id, { attempts, nextAttemptAt: decision.nextAttemptAt, lastError: failure, dead: false });
    console.warn(JSON.stringify({ event: "outbox.retry", ...this.describe(entry), attempts, retryAt: decision.nextAttemptAt, error: failure }));
    return false;
  }

  /**
   * Moves a write to D1's dead letters. If D1 refuses that too, the write
   * stays in the outbox marked dead and is tried again (write first, then
   * the move) at the longest interval: nothing owed is ever dropped.
   */
  private async deadLetter(entry: OutboxEntry, attempts: number, lastError: string): Promise<boolean> {
    try {
      await storeDeadLetter(this.env.DB, { outboxId: entry.id, write: entry.write, attempts, lastError });
    } catch (error) {
      const nextAttemptAt = Date.now() + configOf(this.env).outbox.maxDelayMs;
      this.store.recordFailure(entry.id, { attempts, nextAttemptAt, lastError, dead: true });
      console.error(JSON.stringify({ event: "outbox.dead_letter_refused", ...this.describe(entry), attempts, retryAt: nextAttemptAt, error: d1Cause(error) }));
      return false;
    }
    this.ctx.storage.transactionSync(() => {
      this.store.dequeue(entry.id);
      if (entry.write.kind === "battle") this.store.markBattleRowDead(entry.id);
    });
    console.error(JSON.stringify({ event: "outbox.dead_letter", ...this.describe(entry), attempts, lastError }));
    return true;
  }

  private describe(entry: OutboxEntry): { battleId: string; outboxId: number; kind: RecordWrite["kind"] } {
    return { battleId: battleIdOf(entry.write), outboxId: entry.id, kind: entry.write.kind };
  }
}
