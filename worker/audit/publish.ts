/**
 * The cron step that publishes the audit of excluded votes to KV
 * (`KV_AUDIT`): the folded counts, with the counted votes of sessions flagged
 * right now moved to `anomalous_voter` (src/audit/report.ts).
 *
 * It runs after the anomaly test, so the flags and the published summary are
 * this run's, and before the leaderboards are published, so the publication
 * id written last by the publisher covers the new audit. The document is
 * written only when something in it other than its time changed.
 */
import { buildAuditReport, type AuditModelInfo, type FlaggedVote } from "../../src/audit/report";
import type { AuditAnomalySummary, AuditReport } from "../../src/wire";
import { isPublic, type ModelStatus } from "../../src/labs/lifecycle";
import { configOf } from "../config";
import { selectFlaggedVotes } from "../integrity/voters";
import { KV_ANOMALY_SUMMARY, KV_AUDIT } from "../leaderboard/kv-keys";
import { auditWatermark } from "./fold";

export interface AuditPublishReport {
  watermark: number;
  /** True when a new document was written. */
  changed: boolean;
}

const SELECT_FLAGGED_VOTES = selectFlaggedVotes("v.categories, v.model_a, v.model_b");

/** Everything of a report but the time it was computed, for change detection. */
function withoutTime(report: AuditReport): string {
  return JSON.stringify({ ...report, computedAt: undefined });
}

export async function publishAudit(env: Env, now = Date.now()): Promise<AuditPublishReport> {
  const d1 = env.DB;
  const watermark = await auditWatermark(d1);
  const [rows, flagged, models, anomaly, previous] = await Promise.all([
    d1.prepare("SELECT category, model_id AS modelId, reason, votes FROM audit_counts").all<{ category: string; modelId: string; reason: string; votes: number }>(),
    d1.prepare(SELECT_FLAGGED_VOTES).bind(watermark).all<{ categories: string; model_a: string; model_b: string }>(),
    d1.prepare("SELECT id, name, organization, is_demo, status FROM models").all<{ id: string; name: string; organization: string; is_demo: number; status: ModelStatus }>(),
    env.LEADERBOARD.get<AuditAnomalySummary>(KV_ANOMALY_SUMMARY, "json"),
    env.LEADERBOARD.get<AuditReport>(KV_AUDIT, "json"),
  ]);
  // The same models a public board may name: demo models only where the arena shows them, no preview or withdrawn model.
  const showDemo = configOf(env).demoModels;
  const named = new Map<string, AuditModelInfo>();
  for (const m of models.results) if ((showDemo || !m.is_demo) && isPublic(m.status)) named.set(m.id, { name: m.name, organization: m.organization });
  const flaggedVotes: FlaggedVote[] = flagged.results.map((v) => ({ categories: JSON.parse(v.categories) as string[], modelA: v.model_a, modelB: v.model_b }));
  const report = buildAuditReport({
    rows: rows.results,
    flagged: flaggedVotes,
    models: named,
    anomaly: anomaly && {
      alpha: anomaly.alpha,
      minVotes: anomaly.minVotes,
      minPairHistory: anomaly.minPairHistory,
      sessionsTested: anomaly.sessionsTested,
      sessionsFlagged: anomaly.sessionsFlagged,
      ipsTested: anomaly.ipsTested ?? 0,
      ipsFlagged: anomaly.ipsFlagged ?? 0,
      votesExcluded: anomaly.votesExcluded,
    },
    watermark,
    computedAt: new Date(now).toISOString(),
  });
  if (previous && withoutTime(previous) === withoutTime(report)) return { watermark, changed: false };
  await env.LEADERBOARD.put(KV_AUDIT, JSON.stringify(report));
  return { watermark, changed: true };
}
