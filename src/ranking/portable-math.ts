/**
 * exp and log1p that give the same bits on every JavaScript engine.
 *
 * ECMAScript fixes +, −, ×, ÷ and √ to the correctly rounded IEEE-754
 * result, but leaves Math.exp, Math.log1p and the rest "implementation-
 * approximated": measured here, Node 22's V8 and workerd's newer V8 return
 * different last bits for exp, log, log1p, cos and pow on most inputs. A
 * published board is recomputed by `edge-arena verify` in Node from boards
 * the cron fitted in workerd, so the fit uses these instead: argument
 * reduction and polynomials in basic operations only, accurate to a few
 * units in the last place (tested against Math.*), identical everywhere.
 */

const LN2_HI = 0.6931471803691238; // ln 2 rounded to 32 significant bits: k·LN2_HI is exact for |k| < 2²⁰
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const INV_LN2 = 1.4426950408889634;
const EXP_MAX = 709.782712893384;
const EXP_MIN = -745.1332191019412;

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for an integer −1022 ≤ k ≤ 1023, built from its exponent bits. */
function powerOfTwo(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/**
 * eˣ to within a few ulp, the same bits on every engine.
 *
 * @example portableExp(1) // 2.718281828459045
 */
export function portableExp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_MAX) return Infinity;
  if (x < EXP_MIN) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  // Taylor series of eʳ for |r| ≤ ln2/2 + ε, to r¹⁴/14! (< 10⁻¹⁷ relative).
  let p = 1;
  for (let n = 14; n >= 1; n--) p = 1 + (r / n) * p;
  // p·2ᵏ in steps that stay normal, for the subnormal end of the range.
  if (k > 1023) return p * powerOfTwo(1023) * powerOfTwo(k - 1023);
  if (k < -1022) return p * powerOfTwo(-1022) * powerOfTwo(k + 1022);
  return p * powerOfTwo(k);
}

/** ln m for 1/√2 ≤ m < √2, by 2·atanh((m − 1)/(m + 1)). */
function logReduced(m: number): number {
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  // 2(s + s³/3 + … + s²³/23): |s| ≤ 0.172, the next term is < 10⁻¹⁹.
  let q = 1 / 23;
  for (let n = 21; n >= 1; n -= 2) q = q * s2 + 1 / n;
  return 2 * s * q;
}

/** ln y for a finite y > 0. */
function portableLog(y: number): number {
  bits.setFloat64(0, y);
  let exponent = ((bits.getUint32(0) >>> 20) & 0x7ff) - 1023;
  let m: number;
  if (exponent === -1023) {
    // Subnormal: scale into the normal range first.
    return portableLog(y * powerOfTwo(54)) - 54 * LN2_HI - 54 * LN2_LO;
  }
  bits.setUint32(0, (bits.getUint32(0) & 0x800fffff) | (1023 << 20));
  m = bits.getFloat64(0);
  if (m > Math.SQRT2) {
    m /= 2;
    exponent++;
  }
  return exponent * LN2_HI + (logReduced(m) + exponent * LN2_LO);
}

/**
 * ln(1 + x) for x > −1 to within a few ulp, accurate for tiny x too, the
 * same bits on every engine.
 *
 * @example portableLog1p(1e-20) // 1e-20
 */
export function portableLog1p(x: number): number {
  if (Number.isNaN(x) || x < -1) return NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity) return Infinity;
  if (Math.abs(x) < 1e-4) {
    // Series: x − x²/2 + x³/3 − x⁴/4 + x⁵/5, the next term < 10⁻²⁴ relative.
    return x * (1 - x * (1 / 2 - x * (1 / 3 - x * (1 / 4 - x / 5))));
  }
  const u = 1 + x;
  // u − 1 is exact; (x − (u − 1))/u corrects the rounding of 1 + x.
  return portableLog(u) + (x - (u - 1)) / u;
}
