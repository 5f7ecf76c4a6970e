/**
 * VoteQuota: the counters of counted votes (a session's day, an IP's day, a
 * prompt), spread over QUOTA_SHARDS Durable Objects by the hash of their key.
 * A Durable Object runs one request at a time and a take is a read and a
 * write with no await between them, so "take one if under the limit" cannot
 * be raced by a script voting on many battles at once, which a read-then-write
 * against D1 could not promise.
 *
 * Why shards and not one object per counter: a counter object was created
 * for every new session, IP and prompt, so nearly every vote waited on three
 * object creations, and a vote took 2.3× as long to acknowledge as a request
 * that only reached its battle (`npm run bench -- --only votes`). A shard is
 * long-lived and stays warm.
 */
import { DurableObject } from "cloudflare:workers";
import { claimsByShard, quotaClaims, refusalReason, type QuotaClaim } from "../../src/integrity/quotas";
import type { ArenaConfig } from "../config";

/** How long a shard remembers which battle took a unit: far longer than any retry of a vote. */
export const TAKERS_KEPT_MS = 24 * 3600 * 1000;

/** What a shard is asked to take: the counter, its cap, and when it may be forgotten. */
export type CounterClaim = Pick<QuotaClaim, "key" | "limit" | "expiresAt">;

export class VoteQuota extends DurableObject<Env> {
  /** The earliest alarm this instance knows is set, so a take does not ask storage each time. */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER) WITHOUT ROWID",
    );
    // Which battle took a unit, for a day: a vote retried after its answer
    // was lost (the battle's object reset mid-vote) takes no second unit.
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS takers (key TEXT NOT NULL, battle_id TEXT NOT NULL, taken_at INTEGER NOT NULL, PRIMARY KEY (key, battle_id)) WITHOUT ROWID",
    );
  }

  /**
   * Takes one unit from each counter that is under its limit; says, claim by
   * claim, whether it did. A counter past its expiry counts as empty, even
   * before the alarm has swept it.
   */
  async take(claims: CounterClaim[], now: number, battleId: string): Promise<boolean[]> {
    const sql = this.ctx.storage.sql;
    const granted = claims.map((claim) => {
      if (claim.limit <= 0) return false;
      // Two statements per claim, the common case: recording the taker says
      // whether this battle took a unit before (no row back), and the counter
      // takes one only under its limit (an expired counter starts again at 1).
      const first = sql.exec("INSERT INTO takers (key, battle_id, taken_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1", claim.key, battleId, now).toArray().length > 0;
      if (!first) return true;
      const taken =
        sql
          .exec(
            `INSERT INTO counters (key, count, expires_at) VALUES (?1, 1, ?2)
             ON CONFLICT (key) DO UPDATE SET
               count = CASE WHEN expires_at IS NOT NULL AND expires_at <= ?3 THEN 1 ELSE count + 1 END,
               expires_at = excluded.expires_at
             WHERE (expires_at IS NOT NULL AND expires_at <= ?3) OR count < ?4
             RETURNING 1`,
            claim.key,
            claim.expiresAt,
            now,
            claim.limit,
          )
          .toArray().length > 0;
      if (!taken) sql.exec("DELETE FROM takers WHERE key = ? AND battle_id = ?", claim.key, battleId);
      return taken;
    });
    const expiring = claims.filter((c, k) => granted[k] && c.expiresAt !== null).map((c) => c.expiresAt!);
    await this.alarmBy(Math.min(now + TAKERS_KEPT_MS, ...expiring));
    return granted;
  }

  /** Gives back the units a battle took for a vote that another cap refused. */
  async release(keys: string[], battleId: string): Promise<void> {
    for (const key of keys) {
      if (!this.tookFor(key, battleId)) continue;
      this.ctx.storage.sql.exec("DELETE FROM takers WHERE key = ? AND battle_id = ?", key, battleId);
      this.ctx.storage.sql.exec("UPDATE counters SET count = count - 1 WHERE key = ? AND count > 0", key);
    }
  }

  /** A counter's count (for tests and the operator). */
  async current(key: string, now = Date.now()): Promise<number> {
    return this.count(key, now);
  }

  /** Forgets the counters whose time is over, and wakes again for the next to expire. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    // An object of the one-per-counter layout this replaced kept its count here.
    this.ctx.storage.kv.delete("count");
    this.ctx.storage.sql.exec("DELETE FROM counters WHERE expires_at IS NOT NULL AND expires_at <= ?", now);
    this.ctx.storage.sql.exec("DELETE FROM takers WHERE taken_at <= ?", now - TAKERS_KEPT_MS);
    const counter = this.ctx.storage.sql.exec<{ next: number | null }>("SELECT min(expires_at) AS next FROM counters").one().next;
    const taker = this.ctx.storage.sql.exec<{ next: number | null }>("SELECT min(taken_at) AS next FROM takers").one().next;
    const next = [counter, taker === null ? null : taker + TAKERS_KEPT_MS].filter((at): at is number => at !== null);
    this.alarmAt = null;
    if (next.length > 0) await this.alarmBy(Math.min(...next));
  }

  private tookFor(key: string, battleId: string): boolean {
    return this.ctx.storage.sql.exec("SELECT 1 FROM takers WHERE key = ? AND battle_id = ?", key, battleId).toArray().length > 0;
  }

  private count(key: string, now: number): number {
    const row = this.ctx.storage.sql.exec<{ count: number; expires_at: number | null }>("SELECT count, expires_at FROM counters WHERE key = ?", key).toArray()[0];
    return row && (row.expires_at === null || row.expires_at > now) ? row.count : 0;
  }

  /** Makes sure the alarm fires no later than `at`. */
  private async alarmBy(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }
}

/** Who cast a vote, as the caps see them (the IP only as a keyed hash). */
export interface Voter {
  sessionId: string;
  ipKey: string;
  promptHash: string;
  /** The battle voted on: a retried vote on it takes nothing twice. */
  battleId: string;
}

function shard(env: Env, index: number) {
  return env.VOTE_QUOTA.get(env.VOTE_QUOTA.idFromName(`shard:${index}`));
}

/**
 * Claims a counted vote against every cap at once: one request per shard
 * its counters live in, in parallel. Claiming again for the same battle
 * takes nothing more. When one cap refuses, the units the
 * others granted are given back, so a refused vote uses up nothing.
 *
 * @returns null when the vote may count, else the reason it does not.
 */
export async function claimCountedVote(env: Env, caps: ArenaConfig["voteCaps"], voter: Voter, now: number): Promise<QuotaClaim["reason"] | null> {
  const claims = quotaClaims(voter, caps, now);
  const groups = [...claimsByShard(claims)];
  const granted: boolean[] = [];
  await Promise.all(
    groups.map(async ([index, group]) => {
      const answers = await shard(env, index).take(group.map(({ claim }) => ({ key: claim.key, limit: claim.limit, expiresAt: claim.expiresAt })), now, voter.battleId);
      group.forEach(({ index: k }, j) => (granted[k] = answers[j]!));
    }),
  );
  const reason = refusalReason(claims, granted);
  if (reason) {
    await Promise.all(
      groups.map(([index, group]) => {
        const taken = group.filter(({ index: k }) => granted[k]).map(({ claim }) => claim.key);
        return taken.length > 0 ? shard(env, index).release(taken, voter.battleId) : undefined;
      }),
    );
  }
  return reason;
}
