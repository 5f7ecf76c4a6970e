/**
 * Pair sampling for anonymous battles.
 *
 * The first model is drawn by weight, the opponent by weight from the rest,
 * and the sides are shuffled, so neither position nor order says which model
 * is which. Weights are public data (they will be published), which is why
 * the rule is this simple.
 */
import { ArenaError } from "../errors";
import { isSampled, type ModelStatus } from "../labs/lifecycle";
import type { Random } from "../random";
import type { Modality, Side } from "../wire";

export interface SamplingCandidate {
  id: string;
  /** The arenas the model takes part in (a chat model may also do vision and WebDev). */
  arenas: readonly Modality[];
  status: ModelStatus;
  /** Public sampling weight; 0 takes a model out (an outage), never negative. */
  weight: number;
  /** Counted votes so far, for the new-model boost. */
  countedVotes: number;
}

export interface SamplingPolicy {
  /** The arena being sampled for. */
  modality: Modality;
  /** Multiplier for models with fewer than `boostUntilVotes` counted votes. */
  newModelBoost: number;
  boostUntilVotes: number;
}

/** The weight a model is actually drawn with under `policy`. */
export function effectiveWeight(model: SamplingCandidate, policy: SamplingPolicy): number {
  if (!isSampled(model.status) || !model.arenas.includes(policy.modality)) return 0;
  if (!(model.weight > 0) || !Number.isFinite(model.weight)) return 0;
  return model.countedVotes < policy.boostUntilVotes ? model.weight * policy.newModelBoost : model.weight;
}

function drawByWeight<T>(items: readonly T[], weights: readonly number[], rng: Random): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let point = rng() * total;
  for (let i = 0; i < items.length; i++) {
    point -= weights[i]!;
    if (point < 0) return i;
  }
  // Floating-point rounding can leave `point` at ~0 after the last item.
  return weights.findLastIndex((w) => w > 0);
}

/**
 * Draws two different models for an anonymous battle and assigns them to
 * random sides. Throws `no_models_available` when fewer than two models can
 * be drawn.
 *
 * @example samplePair(models, { modality: "text", newModelBoost: 3, boostUntilVotes: 1000 }, seededRandom(1))
 */
export function samplePair(
  models: readonly SamplingCandidate[],
  policy: SamplingPolicy,
  rng: Random,
): Record<Side, SamplingCandidate> {
  const eligible = models.filter((m) => effectiveWeight(m, policy) > 0);
  if (new Set(eligible.map((m) => m.id)).size < 2) {
    throw new ArenaError("no_models_available", `fewer than two ${policy.modality} models are available right now`);
  }
  const weights = eligible.map((m) => effectiveWeight(m, policy));
  const first = eligible[drawByWeight(eligible, weights, rng)]!;
  const restWeights = eligible.map((m, i) => (m.id === first.id ? 0 : weights[i]!));
  const second = eligible[drawByWeight(eligible, restWeights, rng)]!;
  return rng() < 0.5 ? { a: first, b: second } : { a: second, b: first };
}
