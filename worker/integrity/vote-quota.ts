/**
 * VoteQuota: one Durable Object per counter of counted votes (a session's
 * day, an IP's day, a prompt). A Durable Object runs one request at a time,
 * so "take one if under the limit" cannot be raced by a script voting on many
 * battles at once, which a read-then-write against D1 could not promise.
 */
import { DurableObject } from "cloudflare:workers";
import { quotaClaims, refusalReason, type QuotaClaim } from "../../src/integrity/quotas";
import type { ArenaConfig } from "../config";

export class VoteQuota extends DurableObject<Env> {
  private count(): number {
    return this.ctx.storage.kv.get<number>("count") ?? 0;
  }

  /** Takes one unit if the counter is under `limit`; says whether it did. */
  async take(limit: number, expiresAt: number | null): Promise<boolean> {
    const count = this.count();
    if (count >= limit) return false;
    this.ctx.storage.kv.put("count", count + 1);
    if (expiresAt !== null && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(expiresAt);
    return true;
  }

  /** Gives back a unit taken for a vote that another cap refused. */
  async release(): Promise<void> {
    const count = this.count();
    if (count > 0) this.ctx.storage.kv.put("count", count - 1);
  }

  /** The current count (for tests and the operator). */
  async current(): Promise<number> {
    return this.count();
  }

  /** A day's counter is forgotten once the day is over. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/** Who cast a vote, as the caps see them (the IP only as a keyed hash). */
export interface Voter {
  sessionId: string;
  ipKey: string;
  promptHash: string;
}

function counter(env: Env, claim: QuotaClaim) {
  return env.VOTE_QUOTA.get(env.VOTE_QUOTA.idFromName(claim.key));
}

/**
 * Claims a counted vote against every cap at once. When one cap refuses, the
 * units the others granted are given back, so a refused vote uses up nothing.
 *
 * @returns null when the vote may count, else the reason it does not.
 */
export async function claimCountedVote(env: Env, caps: ArenaConfig["voteCaps"], voter: Voter, now: number): Promise<QuotaClaim["reason"] | null> {
  const claims = quotaClaims(voter, caps, now);
  const granted = await Promise.all(claims.map((claim) => counter(env, claim).take(claim.limit, claim.expiresAt)));
  const reason = refusalReason(claims, granted);
  if (reason) await Promise.all(claims.map((claim, k) => (granted[k] ? counter(env, claim).release() : undefined)));
  return reason;
}
