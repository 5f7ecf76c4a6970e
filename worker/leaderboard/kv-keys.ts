/**
 * KV keys of published, derived data. KV holds only what the ranking cron
 * derived from D1; D1 stays the record.
 *
 * - `leaderboard:index` → LeaderboardIndex
 * - `leaderboard:{category}:{style}` → PublishedLeaderboard without `matrices` (style: default | control)
 * - `leaderboard:{category}:{style}:matrices` → LeaderboardMatrices (only charts read them)
 * - `models:public` → { models: PublicModel[] } (the catalogue, refreshed by the cron)
 * - `model:{id}` → ModelDetail
 * - `sampling:counted-votes` → Record<modelId, counted votes> (read by pair sampling)
 * - `catalog:battle-models` → { models: ModelRow[] }: the models a battle can be given (worker/catalog/live-catalog.ts), kept in isolate memory
 * - `publication:id` → opaque id of the current publication, written last; the
 *   public read cache is keyed by it, so a new publication is never hidden
 *   behind an older cached answer
 * - `integrity:anomaly` → AnomalySummary (worker/integrity/anomalous-voters.ts): the anomaly test's threshold and counts
 * - `sampling:report` → SamplingReport (worker/catalog/sampling-report.ts): weights, their reasons, shares and history
 * - `lab-results:{labId}` → LabResults (worker/labs/results.ts): a lab's own models in every board, previews included, private to the lab
 * - `transparency:register` → VariantRegister, `transparency:lifecycle` → LifecycleLog (worker/labs/transparency.ts)
 * - `audit:votes` → AuditReport (worker/audit/publish.ts): stored, counted and excluded votes per category, model, lab and reason
 */
import type { LeaderboardStyle } from "../../src/wire";

export const KV_INDEX = "leaderboard:index";
export const KV_PUBLIC_MODELS = "models:public";
export const KV_SAMPLING_COUNTS = "sampling:counted-votes";
export const KV_BATTLE_MODELS = "catalog:battle-models";
export const KV_PUBLICATION_ID = "publication:id";
export const KV_ANOMALY_SUMMARY = "integrity:anomaly";
export const KV_AUDIT = "audit:votes";
export const KV_SAMPLING_REPORT = "sampling:report";
export const KV_REGISTER = "transparency:register";
export const KV_LIFECYCLE = "transparency:lifecycle";

export function leaderboardKey(category: string, style: LeaderboardStyle): string {
  return `leaderboard:${category}:${style}`;
}

export function matricesKey(category: string, style: LeaderboardStyle): string {
  return `leaderboard:${category}:${style}:matrices`;
}

export function modelKey(id: string): string {
  return `model:${id}`;
}

export function labResultsKey(labId: string): string {
  return `lab-results:${labId}`;
}
