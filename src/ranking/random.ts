/**
 * Seeded randomness for the bootstrap and the simulations: a small PRNG and
 * binomial / multinomial samplers whose cost does not grow with the number of
 * battles, so a bootstrap round over 10M votes costs as much as one over 10k.
 */

/** A source of uniform doubles in [0, 1). */
export interface Random {
  next(): number;
}

/**
 * Turns a number or string seed into 32 bits (FNV-1a over the characters of
 * strings); equal seeds give equal streams on every platform.
 */
function seedBits(seed: number | string): number {
  if (typeof seed === "number") return (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
  let hash = 0x811c9dc5;
  for (let k = 0; k < seed.length; k++) {
    hash = Math.imul(hash ^ seed.charCodeAt(k), 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/): 32-bit
 * operations only, so it is fast without BigInt; the state is filled from the
 * seed with splitmix32 so that nearby seeds give unrelated streams. Doubles
 * take 53 random bits from two outputs.
 *
 * @example const rng = createRandom(42); rng.next(); // 0 ≤ x < 1, same every run
 */
export function createRandom(seed: number | string): Random {
  let z = seedBits(seed);
  const splitmix = (): number => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z ^ (z >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return {
    next: () => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992,
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LOG_FACTORIAL_TABLE = (() => {
  const table = new Float64Array(128);
  for (let k = 1; k < table.length; k++) table[k] = table[k - 1]! + Math.log(k);
  return table;
})();

/** ln(k!), exact sums below 128 and Stirling's series above (error < 1e-15). */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE.length) return LOG_FACTORIAL_TABLE[k]!;
  const x = k + 1;
  const x2 = x * x;
  return (
    (x - 0.5) * Math.log(x) - x + 0.9189385332046728 + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x
  );
}

/**
 * One draw from Binomial(n, p) in O(1) expected time.
 *
 * Small means (n·min(p, 1−p) < 10) use inversion from 0, which walks at most
 * a few dozen steps; larger ones use Hörmann's BTRS transformed rejection
 * ("The generation of binomial random variates", J. Statist. Comput. Simul.
 * 46, 1993), the algorithm NumPy also uses for large means.
 */
export function sampleBinomial(rng: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  if (n * p < 10) return binomialInversion(rng, n, p);
  return binomialBtrs(rng, n, p);
}

function binomialInversion(rng: Random, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  for (;;) {
    let r = Math.exp(n * Math.log1p(-p));
    let u = rng.next();
    let x = 0;
    while (u > r) {
      u -= r;
      x++;
      if (x > n) break;
      r *= a / x - s;
    }
    if (x <= n) return x;
  }
}

function binomialBtrs(rng: Random, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  // The squeeze accepts most draws, so the log-factorial constants of the
  // exact test are computed only when a draw first needs them.
  let lpq = Number.NaN;
  let h = Number.NaN;
  for (;;) {
    const u = rng.next() - 0.5;
    let v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    if (Number.isNaN(h)) {
      lpq = Math.log(p / q);
      h = logFactorial(m) + logFactorial(n - m);
    }
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}

/**
 * Draws Multinomial(n, weights) by conditional binomials: cost is one binomial
 * per cell, whatever n is. `weights` need not be normalised; `out` receives
 * the counts (same length).
 *
 * @example sampleMultinomial(rng, 1_000_000, [3, 1], new Float64Array(2)) // ≈ [750000, 250000]
 */
export function sampleMultinomial(
  rng: Random,
  n: number,
  weights: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  let mass = 0;
  for (let k = 0; k < weights.length; k++) mass += weights[k]!;
  let remaining = n;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    if (remaining <= 0 || w <= 0 || mass <= 0) {
      out[k] = 0;
    } else if (k === weights.length - 1 || w >= mass) {
      out[k] = remaining;
      remaining = 0;
    } else {
      const x = sampleBinomial(rng, remaining, w / mass);
      out[k] = x;
      remaining -= x;
    }
    mass -= w;
  }
  return out;
}
