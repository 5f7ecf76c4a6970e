/**
 * The caller's own battles, from D1: the list (searchable, by category,
 * voted or not, newest first with a keyset cursor), one battle in full,
 * deleting one, the personal leaderboard, and the download of everything.
 *
 * "The caller's" is one predicate, {@link ownedBy}: the account's battles
 * when signed in; otherwise the anonymous session's battles that no account
 * holds. Every query here goes through it, so an id that is not the
 * caller's is answered exactly as an unknown one.
 */
import type { HistoryDetail, HistoryItem, HistoryPage, HistoryTurn, PersonalLeaderboardResponse } from "../../src/accounts/wire";
import { ArenaError } from "../../src/errors";
import { rankPersonalLeaderboard, type PersonalVote } from "../../src/ranking";
import type { ImageRef, PublishedLeaderboard, RevealedModel, Side, Winner } from "../../src/wire";
import { battleObject } from "../battle/service";
import { leaderboardKey } from "../leaderboard/kv-keys";

/** Who is asking, for history: the verified session and the signed-in account, if any. */
export interface Owner {
  sessionId: string;
  accountId: string | null;
}

const PROMPT_PREVIEW = 280;
const DEFAULT_PAGE = 20;

/** The SQL condition (on alias `b`) and its parameter for the caller's battles. */
function ownedBy(owner: Owner): { where: string; params: string[] } {
  return owner.accountId
    ? { where: "b.account_id = ?", params: [owner.accountId] }
    : { where: "b.account_id IS NULL AND b.session_id = ?", params: [owner.sessionId] };
}

interface ItemRow {
  id: string;
  mode: HistoryItem["mode"];
  created_at: number;
  categories: string;
  prompt: string | null;
  turns: number;
  winner: Winner | null;
  counted: number | null;
  exclusion_reason: string | null;
  voted_at: number | null;
  a_id: string;
  a_name: string | null;
  a_org: string | null;
  b_id: string | null;
  b_name: string | null;
  b_org: string | null;
}

const ITEM_COLUMNS = `b.id, b.mode, b.created_at, b.categories,
  (SELECT t.prompt FROM battle_turns t WHERE t.battle_id = b.id ORDER BY t.turn LIMIT 1) AS prompt,
  (SELECT COUNT(*) FROM battle_turns t WHERE t.battle_id = b.id) AS turns,
  v.winner, v.counted, v.exclusion_reason, v.voted_at,
  b.model_a AS a_id, ma.name AS a_name, ma.organization AS a_org,
  b.model_b AS b_id, mb.name AS b_name, mb.organization AS b_org
  FROM battles b
  LEFT JOIN votes v ON v.battle_id = b.id
  LEFT JOIN models ma ON ma.id = b.model_a
  LEFT JOIN models mb ON mb.id = b.model_b`;

function itemOf(row: ItemRow): HistoryItem {
  const prompt = row.prompt ?? "";
  const item: HistoryItem = {
    battleId: row.id,
    mode: row.mode,
    createdAt: row.created_at,
    categories: JSON.parse(row.categories) as string[],
    prompt: prompt.length > PROMPT_PREVIEW ? `${prompt.slice(0, PROMPT_PREVIEW - 1)}…` : prompt,
    turns: row.turns,
  };
  if (row.winner !== null) {
    item.vote = { winner: row.winner, counted: row.counted === 1, votedAt: row.voted_at!, ...(row.exclusion_reason ? { reason: row.exclusion_reason } : {}) };
  }
  // Anonymous battles stay anonymous in history too until the vote.
  if (row.mode !== "anonymous" || row.winner !== null) {
    const models: Partial<Record<Side, RevealedModel>> = { a: { id: row.a_id, name: row.a_name ?? row.a_id, organization: row.a_org ?? "" } };
    if (row.b_id) models.b = { id: row.b_id, name: row.b_name ?? row.b_id, organization: row.b_org ?? "" };
    item.models = models;
  }
  return item;
}

/** Cursor: the last item's creation time and id, base64url of "time:id". */
function decodeCursor(cursor: string): [number, string] {
  const match = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")).trim());
  if (!match) throw new ArenaError("invalid_request", "cursor is not one this API returned");
  return [Number(match[1]), match[2]!];
}

function encodeCursor(item: HistoryItem): string {
  return btoa(`${item.createdAt}:${item.battleId}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** LIKE pattern matching `text` anywhere, with its wildcards escaped. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export interface HistoryQuery {
  q?: string;
  category?: string;
  voted?: "true" | "false";
  cursor?: string;
  limit?: number;
}

/** A page of the caller's battles, newest first. */
export async function listHistory(env: Env, owner: Owner, query: HistoryQuery): Promise<HistoryPage> {
  const own = ownedBy(owner);
  const where = [own.where];
  const params: (string | number)[] = [...own.params];
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor);
    where.push("(b.created_at < ? OR (b.created_at = ? AND b.id < ?))");
    params.push(time, time, id);
  }
  if (query.category) {
    where.push("EXISTS (SELECT 1 FROM json_each(b.categories) c WHERE c.value = ?)");
    params.push(query.category);
  }
  if (query.voted === "true") where.push("v.seq IS NOT NULL");
  if (query.voted === "false") where.push("v.seq IS NULL");
  const q = query.q?.trim();
  if (q) {
    where.push("EXISTS (SELECT 1 FROM battle_turns t WHERE t.battle_id = b.id AND (t.prompt LIKE ? ESCAPE '\\' OR t.response_a LIKE ? ESCAPE '\\' OR t.response_b LIKE ? ESCAPE '\\'))");
    const pattern = containing(q);
    params.push(pattern, pattern, pattern);
  }
  const limit = query.limit ?? DEFAULT_PAGE;
  const { results } = await env.DB.prepare(`SELECT ${ITEM_COLUMNS} WHERE ${where.join(" AND ")} ORDER BY b.created_at DESC, b.id DESC LIMIT ?`)
    .bind(...params, limit + 1)
    .all<ItemRow>();
  const items = results.slice(0, limit).map(itemOf);
  return { battles: items, nextCursor: results.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}

interface TurnRow {
  turn: number;
  prompt: string;
  response_a: string;
  response_b: string | null;
  status_a: "done" | "error";
  status_b: "done" | "error" | null;
  error_a: string | null;
  error_b: string | null;
  attachments: string | null;
  images_a: string | null;
  images_b: string | null;
}

async function ownedItem(env: Env, owner: Owner, battleId: string): Promise<ItemRow | null> {
  const own = ownedBy(owner);
  return env.DB.prepare(`SELECT ${ITEM_COLUMNS} WHERE b.id = ? AND ${own.where}`).bind(battleId, ...own.params).first<ItemRow>();
}

const images = (json: string | null): { images?: ImageRef[] } => (json ? { images: JSON.parse(json) as ImageRef[] } : {});
const answer = (text: string, status: "done" | "error", error: string | null, imagesJson: string | null) => ({ text, status, ...(error ? { error } : {}), ...images(imagesJson) });

function turnOf(t: TurnRow): HistoryTurn {
  return {
    turn: t.turn,
    prompt: t.prompt,
    ...(t.attachments ? { attachments: JSON.parse(t.attachments) as ImageRef[] } : {}),
    answers: {
      a: answer(t.response_a, t.status_a, t.error_a, t.images_a),
      ...(t.status_b ? { b: answer(t.response_b ?? "", t.status_b, t.error_b, t.images_b) } : {}),
    },
  };
}

/**
 * The caller's newest `limit` battles with every turn, in two queries (the
 * download of all their data).
 */
export async function historyWithTurns(env: Env, owner: Owner, limit: number): Promise<{ battles: (HistoryItem & { turnsDetail: HistoryTurn[] })[]; truncated: boolean }> {
  const own = ownedBy(owner);
  const [items, turns] = await env.DB.batch([
    env.DB.prepare(`SELECT ${ITEM_COLUMNS} WHERE ${own.where} ORDER BY b.created_at DESC, b.id DESC LIMIT ?`).bind(...own.params, limit + 1),
    env.DB.prepare(
      `SELECT t.* FROM battle_turns t WHERE t.battle_id IN (SELECT b.id FROM battles b WHERE ${own.where} ORDER BY b.created_at DESC, b.id DESC LIMIT ?) ORDER BY t.battle_id, t.turn`,
    ).bind(...own.params, limit),
  ]);
  const byBattle = new Map<string, HistoryTurn[]>();
  for (const t of turns!.results as (TurnRow & { battle_id: string })[]) {
    const list = byBattle.get(t.battle_id) ?? [];
    list.push(turnOf(t));
    byBattle.set(t.battle_id, list);
  }
  const rows = items!.results as ItemRow[];
  return { battles: rows.slice(0, limit).map((row) => ({ ...itemOf(row), turnsDetail: byBattle.get(row.id) ?? [] })), truncated: rows.length > limit };
}

/** One of the caller's battles in full; `continuable` when it is unvoted and its live state is kept. */
export async function historyDetail(env: Env, owner: Owner, battleId: string): Promise<HistoryDetail> {
  const row = await ownedItem(env, owner, battleId);
  if (!row) throw new ArenaError("not_found", "no such battle");
  const { results } = await env.DB.prepare("SELECT * FROM battle_turns WHERE battle_id = ? ORDER BY turn").bind(battleId).all<TurnRow>();
  const turnsDetail = results.map(turnOf);
  let continuable = false;
  if (row.winner === null) {
    const live = await battleObject(env, battleId)?.view(owner);
    continuable = live?.ok === true && !live.value.voted;
  }
  return { ...itemOf(row), turnsDetail, continuable };
}

/**
 * Deletes one of the caller's battles from their history: its prompts and
 * answers go, in D1 and in live state; a vote on it stays in the public
 * record, no longer linked to them.
 */
export async function deleteHistoryBattle(env: Env, owner: Owner, battleId: string): Promise<void> {
  const row = await ownedItem(env, owner, battleId);
  if (!row) throw new ArenaError("not_found", "no such battle");
  const forgotten = await battleObject(env, battleId)?.forget(owner);
  if (forgotten && !forgotten.ok && forgotten.error.code !== "not_found") throw new ArenaError(forgotten.error.code, forgotten.error.message);
  await env.DB.batch([
    env.DB.prepare("DELETE FROM battle_turns WHERE battle_id = ?").bind(battleId),
    env.DB.prepare("UPDATE battles SET account_id = NULL, session_id = NULL WHERE id = ?").bind(battleId),
  ]);
}

/** How many battles and votes the caller has. */
export async function historyCounts(env: Env, owner: Owner): Promise<{ battles: number; votes: number }> {
  const own = ownedBy(owner);
  const row = await env.DB.prepare(`SELECT COUNT(*) AS battles, COUNT(v.seq) AS votes FROM battles b LEFT JOIN votes v ON v.battle_id = b.id WHERE ${own.where}`)
    .bind(...own.params)
    .first<{ battles: number; votes: number }>();
  return { battles: row?.battles ?? 0, votes: row?.votes ?? 0 };
}

/** The caller's personal leaderboard: their counted anonymous votes, fitted toward the public overall board. */
export async function personalLeaderboard(env: Env, owner: Owner): Promise<PersonalLeaderboardResponse> {
  const own = ownedBy(owner);
  const { results } = await env.DB.prepare(
    `SELECT v.model_a, v.model_b, v.winner FROM votes v JOIN battles b ON b.id = v.battle_id WHERE ${own.where} AND v.counted = 1 AND v.mode = 'anonymous' ORDER BY v.seq`,
  )
    .bind(...own.params)
    .all<{ model_a: string; model_b: string; winner: Winner }>();
  const votes: PersonalVote[] = results.map((r) => ({ modelA: r.model_a, modelB: r.model_b, winner: r.winner }));
  const published = await env.LEADERBOARD.get<PublishedLeaderboard>(leaderboardKey("overall", "default"), "json");
  const names = new Map((published?.rows ?? []).map((r) => [r.modelId, r.name]));
  const board = rankPersonalLeaderboard(votes, (published?.rows ?? []).map((r) => ({ model: r.modelId, rating: r.rating })));
  return {
    votes: board.votes,
    minimumVotes: board.minimumVotes,
    shown: board.shown,
    rows: board.shown
      ? board.rows
          .filter((r) => r.seen)
          .map((r) => ({ model: r.model, name: names.get(r.model) ?? r.model, rating: r.rating, publicRating: r.publicRating, delta: r.delta, votes: r.votes, wins: r.wins, losses: r.losses, ties: r.ties }))
      : [],
    agreement: board.shown ? board.agreement : null,
  };
}
