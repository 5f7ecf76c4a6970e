/**
 * Sampling is policy, not favour: each model's weight in anonymous battles
 * follows published rules (src/battle/sampling.ts `effectiveWeight`), and
 * this module says why a model has its weight, what share of battles that
 * weight gives it, and which weights changed between two runs — the data of
 * the public `GET /api/v1/sampling`. "The Leaderboard Illusion" (Singh et
 * al., 2025) found two labs drawing about 20 % of all battles each under
 * opaque rules; here anyone can recompute every share from the weights.
 */
import { effectiveWeight, type SamplingCandidate, type SamplingPolicy } from "./sampling";

export type WeightReason = "new_model_boost" | "equal" | "outage" | "not_sampled";

export interface ModelWeight {
  id: string;
  /** The weight the model is drawn with now. */
  weight: number;
  reason: WeightReason;
}

/**
 * The weight and its reason: retired (or another modality) → not sampled;
 * an operator weight of 0 → outage; fewer counted votes than the boost
 * threshold → boosted; otherwise the operator weight (1 unless set).
 */
export function modelWeight(model: SamplingCandidate, policy: SamplingPolicy): ModelWeight {
  const weight = effectiveWeight(model, policy);
  if (model.status === "retired" || !model.arenas.includes(policy.modality)) return { id: model.id, weight: 0, reason: "not_sampled" };
  if (weight === 0) return { id: model.id, weight: 0, reason: "outage" };
  const boosted = model.countedVotes < policy.boostUntilVotes && policy.newModelBoost !== 1;
  return { id: model.id, weight, reason: boosted ? "new_model_boost" : "equal" };
}

/**
 * Each model's expected share of battles under `samplePair` (first model by
 * weight, opponent by weight among the rest): with W the total weight,
 * P(i in a battle) = wᵢ/W + Σ_{j≠i} (wⱼ/W)·wᵢ/(W − wⱼ). Shares sum to 2, since
 * every battle has two models.
 *
 * @example pairShares([{ id: "a", weight: 1 }, { id: "b", weight: 1 }]) // { a: 1, b: 1 }
 */
export function pairShares(weights: ReadonlyArray<{ id: string; weight: number }>): Record<string, number> {
  const drawn = weights.filter((w) => w.weight > 0);
  const total = drawn.reduce((sum, w) => sum + w.weight, 0);
  const shares: Record<string, number> = {};
  for (const w of weights) shares[w.id] = 0;
  if (drawn.length < 2) return shares;
  for (const i of drawn) {
    let asOpponent = 0;
    for (const j of drawn) if (j.id !== i.id) asOpponent += (j.weight / total) * (i.weight / (total - j.weight));
    shares[i.id] = i.weight / total + asOpponent;
  }
  return shares;
}

export interface WeightChange {
  modelId: string;
  at: string;
  fromWeight: number;
  toWeight: number;
  reason: WeightReason;
}

/**
 * The weights that changed from `previous` to `next`, dated `at`, with the
 * reason of the new weight. A model seen for the first time is a change from 0.
 */
export function weightChanges(previous: readonly ModelWeight[], next: readonly ModelWeight[], at: Date): WeightChange[] {
  const before = new Map(previous.map((w) => [w.id, w]));
  const changes: WeightChange[] = [];
  for (const w of next) {
    const old = before.get(w.id);
    if (old && old.weight === w.weight && old.reason === w.reason) continue;
    changes.push({ modelId: w.id, at: at.toISOString(), fromWeight: old?.weight ?? 0, toWeight: w.weight, reason: w.reason });
  }
  return changes;
}
