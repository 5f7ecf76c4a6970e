/**
 * The ranking cron: sync the catalogue, fold the votes counted since the
 * last watermark, re-test voters for anomalies (worker/integrity/), fold and
 * publish the audit of excluded votes (worker/audit/) and the sampling
 * report (worker/catalog/), then recompute and publish every category. Each step is safe to repeat and to overlap with
 * another run (see fold.ts, publish.ts).
 */
import { foldAuditCounts, type AuditFoldReport } from "../audit/fold";
import { publishAudit, type AuditPublishReport } from "../audit/publish";
import { publishSamplingReport, type SamplingReportResult } from "../catalog/sampling-report";
import { publishBattleModels } from "../catalog/live-catalog";
import { evaluateAnomalousVoters, type AnomalyReport } from "../integrity/anomalous-voters";
import { publishTransparency } from "../labs/transparency";
import { emitCronEvents } from "../webhooks/cron-events";
import { enqueueWebhookEvent, resendStalledDeliveries } from "../webhooks/enqueue";
import { appendVoteLog, type AppendReport } from "../votelog/append";
import { writeDataset, type DatasetReport } from "../votelog/dataset";
import { exportLogSegments, type ExportReport } from "../votelog/export";
import { foldNewVotes, type FoldReport } from "./fold";
import { putPublication } from "./publication-id";
import { publishLeaderboards, type PublishReport } from "./publish";

export interface CronReport {
  fold: FoldReport;
  /** Votes chained into the public vote log this run. */
  log: AppendReport;
  /** Vote-log segments written to R2 this run. */
  exported: ExportReport;
  /** The open dataset of this run's publication. */
  dataset: DatasetReport;
  anomaly: AnomalyReport;
  audit: AuditFoldReport & { changed: boolean };
  sampling: SamplingReportResult;
  publish: PublishReport;
  /** Whether the private-variant register or the lifecycle log changed. */
  transparency: { changed: boolean };
  /** Webhook events handed to the queue this run, and earlier deliveries the queue had not accepted, sent again. */
  webhooks: { events: number; resent: number };
  cpuMs?: number;
}

/** Votes folded per D1 transaction, and at most per run. */
const FOLD_CHUNK = 1_000;
const FOLD_MAX_PER_RUN = 100_000;
/** Votes, counted or not, chained per run: at least the fold's, so the log reaches every publication's watermark. */
const LOG_MAX_PER_RUN = 2 * FOLD_MAX_PER_RUN;

export async function runRankingCron(env: Env, now = Date.now()): Promise<CronReport> {
  await publishBattleModels(env);
  const fold = await foldNewVotes(env.DB, { chunk: FOLD_CHUNK, maxVotes: FOLD_MAX_PER_RUN });
  // After the fold: the log then reaches its watermark, and the publication can name the chain's head there.
  const log = await appendVoteLog(env.DB, { chunk: FOLD_CHUNK, maxVotes: LOG_MAX_PER_RUN }, now);
  const exported = await exportLogSegments(env);
  // Before publishing, so a flag raised or lifted now is in this run's boards.
  const anomaly = await evaluateAnomalousVoters(env, now);
  const auditFold = await foldAuditCounts(env.DB, { chunk: FOLD_CHUNK, maxVotes: FOLD_MAX_PER_RUN });
  const auditPublish: AuditPublishReport = await publishAudit(env, now);
  const sampling = await publishSamplingReport(env, now);
  const publish = await publishLeaderboards(env, now);
  const dataset: DatasetReport = publish.publication ? await writeDataset(env, publish.publication) : { written: null, pruned: 0 };
  // After the boards: a disclosed preview's score comes from its lab's results.
  const transparency = await publishTransparency(env, now);
  // Excluded votes change the audit, weights the sampling report, and lab actions
  // the register, without changing any board; a new publication id then makes
  // their cached answers unreachable.
  if ((auditPublish.changed || sampling.changed || transparency.changed) && publish.skipped) await putPublication(env.LEADERBOARD, `${publish.watermark}.${now}`);
  // Last: the events describe what is now published.
  const webhooks = {
    events: await emitCronEvents(env, publish, (lab, event) => enqueueWebhookEvent(env, lab, event, now), now),
    resent: await resendStalledDeliveries(env, now),
  };
  console.log(JSON.stringify({ cron: "ranking", ...fold, logged: log.appended, dataset: dataset.written, published: publish.published.length, failed: publish.failed, skipped: publish.skipped, voters: anomaly.evaluated, flipped: anomaly.flipped, audited: auditFold.folded, auditChanged: auditPublish.changed, weightChanges: sampling.changes, webhookEvents: webhooks.events, webhooksResent: webhooks.resent }));
  return { fold, log, exported, dataset, anomaly, audit: { ...auditFold, changed: auditPublish.changed }, sampling, publish, transparency, webhooks };
}
