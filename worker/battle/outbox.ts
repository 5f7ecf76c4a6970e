/**
 * The outbox retry policy: when a write owed to D1 is tried again and when
 * the BattleSession gives up waiting and moves it to the `dead_letters`
 * table. Pure, so the schedule can be read and tested without a Durable
 * Object; the state it works on (attempts, next attempt time) lives in the
 * object's storage, so an evicted object resumes on the same schedule.
 */

/** How the outbox retries. */
export interface OutboxPolicy {
  /** Failed attempts after which a write is dead-lettered. */
  maxAttempts: number;
  /** Delay after the first failure, in ms; it doubles with each failure. */
  minDelayMs: number;
  /** Longest delay between two attempts, in ms; also the pace of a write D1 refuses to dead-letter. */
  maxDelayMs: number;
}

/** First retry after one second: a D1 blip is usually over by then. */
export const OUTBOX_RETRY_MIN_MS = 1_000;

/**
 * Delay before the next attempt after `failures` failed ones: 1 s, 2 s,
 * 4 s, … up to the cap. With the defaults (12 attempts, 60 s cap) the waits
 * between the 12 attempts add up to 363 s: a write is tried for about six
 * minutes before it is dead-lettered.
 *
 * @example retryDelayMs(3, { maxAttempts: 12, minDelayMs: 1000, maxDelayMs: 60000 }) // 4000
 */
export function retryDelayMs(failures: number, policy: OutboxPolicy): number {
  // Capped exponent: 2 ** 1024 is Infinity, and any cap is reached long before 2 ** 40.
  const doubling = 2 ** Math.min(Math.max(failures - 1, 0), 40);
  return Math.min(policy.minDelayMs * doubling, policy.maxDelayMs);
}

/** What to do with a write after a failed attempt. */
export type AfterFailure = { action: "retry"; nextAttemptAt: number } | { action: "dead-letter" };

/**
 * Decides after the `failures`-th failed attempt of a write, at time `now`.
 *
 * @example afterFailure(12, Date.now(), policy) // { action: "dead-letter" } with maxAttempts 12
 */
export function afterFailure(failures: number, now: number, policy: OutboxPolicy): AfterFailure {
  if (failures >= policy.maxAttempts) return { action: "dead-letter" };
  return { action: "retry", nextAttemptAt: now + retryDelayMs(failures, policy) };
}
