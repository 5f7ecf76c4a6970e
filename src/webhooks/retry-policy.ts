/**
 * When a failed webhook delivery is tried again, and when it is given up.
 *
 * Exponential backoff with full jitter (Brooker, "Exponential Backoff And
 * Jitter", AWS Architecture Blog, 2015): attempt n waits a uniform draw in
 * [1, min(cap, base·2ⁿ⁻¹)] seconds, so receivers that failed together do not
 * all retry in the same second. Delays are whole seconds, at least 1, and at
 * most 12 hours: Cloudflare Queues takes `delaySeconds` as an integer and
 * refuses longer delays (docs: Queues, "Batching, Retries and Delays").
 */

export interface RetryPolicy {
  /** First retry's upper bound, seconds (≥ 1). */
  baseSeconds: number;
  /** Longest wait between two attempts, seconds. */
  capSeconds: number;
  /** Attempts in all, the first included; after the last failure the delivery is dead-lettered. */
  maxAttempts: number;
}

export type RetryDecision = { action: "retry"; delaySeconds: number } | { action: "dead-letter" };

/** Cloudflare Queues' longest retry delay. */
export const QUEUE_MAX_DELAY_SECONDS = 12 * 60 * 60;

/** One minute doubling to an hour; 12 attempts span about half a day. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseSeconds: 60, capSeconds: 3_600, maxAttempts: 12 };

/**
 * What to do after `attempt` (1 = the first delivery) failed. `random`
 * returns uniform draws in [0, 1): the caller's seeded PRNG in tests.
 *
 * @example nextAttemptDelay(1, Math.random, DEFAULT_RETRY_POLICY) // { action: "retry", delaySeconds: 1..60 }
 */
export function nextAttemptDelay(attempt: number, random: () => number, policy: RetryPolicy): RetryDecision {
  if (attempt >= policy.maxAttempts) return { action: "dead-letter" };
  const base = Math.max(1, policy.baseSeconds);
  const ceiling = Math.min(policy.capSeconds, QUEUE_MAX_DELAY_SECONDS, base * 2 ** Math.min(attempt - 1, 30));
  const delaySeconds = Math.max(1, Math.min(Math.ceil(random() * ceiling), Math.floor(ceiling)));
  return { action: "retry", delaySeconds };
}
