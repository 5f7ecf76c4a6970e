/**
 * A small seeded PRNG (mulberry32) for deterministic sampling in tests and
 * reproducible draws. Not cryptographic: in production the seed comes from
 * `crypto.getRandomValues`, so draws are unpredictable to users.
 */
export type Random = () => number;

/**
 * Returns a generator of floats in [0, 1) determined by `seed`.
 *
 * @example const rng = seededRandom(42); rng(); // same value on every run
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
