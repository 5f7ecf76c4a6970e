/**
 * Reading the public vote log out of D1: each stored vote as its public
 * record (src/votelog/record.ts), joined with its hash once the cron has
 * chained it. The record is built from `votes` only, which never change.
 */
import type { StyleFeatures } from "../../src/battle/style";
import type { ChainedRecord } from "../../src/votelog/chain";
import type { PublicVoteRecord } from "../../src/votelog/record";

export interface VoteRow {
  seq: number;
  battle_id: string;
  mode: PublicVoteRecord["mode"];
  model_a: string;
  model_b: string;
  winner: PublicVoteRecord["winner"];
  categories: string;
  turns: number;
  style_a: string;
  style_b: string;
  voted_at: number;
  counted: number;
  exclusion_reason: string | null;
}

export const VOTE_COLUMNS = "v.seq, v.battle_id, v.mode, v.model_a, v.model_b, v.winner, v.categories, v.turns, v.style_a, v.style_b, v.voted_at, v.counted, v.exclusion_reason";

function style(json: string): StyleFeatures {
  const s = JSON.parse(json) as StyleFeatures;
  return { tokens: s.tokens, headers: s.headers, listItems: s.listItems, bold: s.bold };
}

export function publicRecord(row: VoteRow): PublicVoteRecord {
  return {
    seq: row.seq,
    battleId: row.battle_id,
    mode: row.mode,
    modelA: row.model_a,
    modelB: row.model_b,
    winner: row.winner,
    categories: (JSON.parse(row.categories) as string[]).slice().sort(),
    turns: row.turns,
    styleA: style(row.style_a),
    styleB: style(row.style_b),
    votedAt: row.voted_at,
    counted: Boolean(row.counted),
    reason: row.counted ? null : (row.exclusion_reason as PublicVoteRecord["reason"]),
  };
}

/** The chain's head: the last chained vote, or the genesis before the first. */
export async function logHead(d1: D1Database, atMost = Number.MAX_SAFE_INTEGER): Promise<{ seq: number; hash: string } | null> {
  return d1.prepare("SELECT seq, hash FROM vote_log WHERE seq <= ? ORDER BY seq DESC LIMIT 1").bind(atMost).first<{ seq: number; hash: string }>();
}

/** Up to `limit` chained records with seq ≥ `from`, in order. */
export async function readLog(d1: D1Database, from: number, limit: number): Promise<ChainedRecord[]> {
  const { results } = await d1
    .prepare(`SELECT ${VOTE_COLUMNS}, l.hash FROM vote_log l JOIN votes v ON v.seq = l.seq WHERE l.seq >= ? ORDER BY l.seq LIMIT ?`)
    .bind(from, limit)
    .all<VoteRow & { hash: string }>();
  return results.map((row) => ({ ...publicRecord(row), hash: row.hash }));
}
