/**
 * Style-control fit rows from bucket moments: the bucket mean feature, and
 * the first- and second-order terms of the expansion around it (fit.ts).
 */
import type { FitData } from "./likelihood";

/** Number of entries in a bucket's `moments` for 4 features. */
const MOMENTS = 18;

/**
 * Fills row `r`'s mean feature, Σy·(f − f̄) and Σ(f − f̄)(f − f̄)ᵀ from the
 * bucket's raw moments, reoriented when the row's model A is the fit's j.
 * The counts of row `r` must already be set.
 */
export function setStyleRow(data: FitData, r: number, moments: readonly number[], swapped: boolean, where: string): void {
  if (moments.length !== MOMENTS || !moments.every(Number.isFinite)) {
    throw new RangeError(`${where}: moments must be ${MOMENTS} finite numbers`);
  }
  const d = data.d;
  const n = data.winI[r]! + data.winJ[r]! + data.half[r]!;
  const won = data.winI[r]! + data.half[r]! / 2;
  const sign = swapped ? -1 : 1;
  const mean = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    mean[k] = (sign * moments[k]!) / n;
    data.features[r * d + k] = mean[k]!;
    // Swapping sides maps y → 1 − y and f → −f, so Σy·f becomes Σy·f − Σf.
    const winSum = swapped ? moments[d + k]! - moments[k]! : moments[d + k]!;
    data.linear[r * d + k] = winSum - won * mean[k]!;
  }
  let index = 2 * d;
  for (let k = 0; k < d; k++) {
    for (let l = k; l < d; l++) {
      const centred = moments[index++]! - n * mean[k]! * mean[l]!;
      data.scatter[(r * d + k) * d + l] = centred;
      data.scatter[(r * d + l) * d + k] = centred;
    }
  }
}

/**
 * Scales each feature by its root-mean-square over votes (exact, from the
 * second moments). The differences are antisymmetric (swapping sides negates
 * them), so their mean under random side assignment is zero; centring on the
 * sample mean would instead add a constant "side A" bias that depends on the
 * canonical pair order. Scaling only keeps the model symmetric and makes γ
 * "log-odds per root-mean-square unit". Returns the scales.
 */
export function scaleStyleFeatures(data: FitData): number[] {
  const { d, rows } = data;
  const scale: number[] = [];
  let votes = 0;
  for (let r = 0; r < rows; r++) votes += data.winI[r]! + data.winJ[r]! + data.half[r]!;
  for (let k = 0; k < d; k++) {
    let sumSq = 0;
    for (let r = 0; r < rows; r++) {
      const n = data.winI[r]! + data.winJ[r]! + data.half[r]!;
      sumSq += data.scatter[(r * d + k) * d + k]! + n * data.features[r * d + k]! ** 2;
    }
    const rms = votes > 0 ? Math.sqrt(sumSq / votes) : 0;
    scale.push(rms > 0 ? rms : 1);
  }
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < d; k++) {
      data.features[r * d + k]! /= scale[k]!;
      data.linear[r * d + k]! /= scale[k]!;
      for (let l = 0; l < d; l++) data.scatter[(r * d + k) * d + l]! /= scale[k]! * scale[l]!;
    }
  }
  return scale;
}
