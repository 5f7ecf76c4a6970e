/**
 * The events each ranking run owes labs, from what it published
 * (worker/leaderboard/publish.ts): `leaderboard.published` to every lab,
 * `model.rank_changed` for a lab model whose rank moved on a public board,
 * `model.votes_milestone` once per milestone per model (the highest one
 * announced is kept in `ranking_state`, written after the events are handed
 * over: a run that fails in between announces it again rather than never),
 * and `preview.results_ready` when a preview's private results
 * changed. Delivery (queues, retries, signatures) is worker/webhooks/enqueue.ts's.
 */
import type { LeaderboardIndex } from "../../src/wire";
import { envelope, type WebhookEnvelope } from "../../src/webhooks/events";
import { milestonesCrossed } from "../../src/webhooks/changes";
import { KV_INDEX, KV_SAMPLING_COUNTS } from "../leaderboard/kv-keys";
import type { PublishReport } from "../leaderboard/publish";

/** Hands one event to one lab's webhooks. */
export type SendToLab = (labId: string, event: WebhookEnvelope) => Promise<unknown>;

const MILESTONES_KEY = "webhook-milestones";

interface LabModel {
  id: string;
  owner_id: string;
  name: string;
  codename: string | null;
}

/** Builds and sends this run's events; returns how many were handed over. */
export async function emitCronEvents(env: Env, publish: PublishReport, send: SendToLab, now = Date.now()): Promise<number> {
  if (!publish.publicationId) return 0;
  const at = new Date(now);
  const [labs, models, index, counts, state] = await Promise.all([
    env.DB.prepare("SELECT DISTINCT lab_id FROM webhooks WHERE deleted_at IS NULL").all<{ lab_id: string }>(),
    env.DB.prepare("SELECT id, owner_id, name, codename FROM models WHERE owner_id IS NOT NULL").all<LabModel>(),
    env.LEADERBOARD.get<LeaderboardIndex>(KV_INDEX, "json"),
    env.LEADERBOARD.get<Record<string, number>>(KV_SAMPLING_COUNTS, "json"),
    env.DB.prepare("SELECT value FROM ranking_state WHERE key = ?").bind(MILESTONES_KEY).first<{ value: string }>(),
  ]);
  const listening = new Set(labs.results.map((l) => l.lab_id));
  const events: [string, WebhookEnvelope][] = [];
  const categories = [...new Set(publish.published.map((b) => b.split(":")[0]!))];
  for (const lab of listening) {
    events.push([lab, envelope("leaderboard.published", { publicationId: publish.publicationId, computedAt: at.toISOString(), categories, totalVotes: index?.totalVotes ?? 0 }, at)]);
  }
  for (const c of publish.rankChanges ?? []) {
    const data = { modelId: c.modelId, name: c.name, category: c.category, style: c.style, previousRank: c.previousRank, rank: c.rank, rating: c.rating, publicationId: publish.publicationId };
    events.push([c.labId, envelope("model.rank_changed", data, at)]);
  }
  const byId = new Map(models.results.map((m) => [m.id, m]));
  for (const u of publish.previewUpdates ?? []) {
    const codename = byId.get(u.modelId)?.codename ?? u.modelId;
    events.push([u.labId, envelope("preview.results_ready", { modelId: u.modelId, codename, votes: u.votes, resultsPath: `/api/v1/lab/models/${u.modelId}/results` }, at)]);
  }
  const announced = state ? (JSON.parse(state.value) as Record<string, number>) : {};
  for (const m of models.results) {
    const votes = counts?.[m.id] ?? 0;
    const crossed = milestonesCrossed(announced[m.id] ?? 0, votes);
    if (crossed.length === 0) continue;
    // Only the highest milestone passed since the last run is announced.
    const milestone = crossed.at(-1)!;
    announced[m.id] = milestone;
    events.push([m.owner_id, envelope("model.votes_milestone", { modelId: m.id, name: m.name, milestone, votes }, at)]);
  }
  const deliverable = events.filter(([lab]) => listening.has(lab));
  for (const [lab, event] of deliverable) await send(lab, event);
  await env.DB.prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?1, ?2, 0) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .bind(MILESTONES_KEY, JSON.stringify(announced))
    .run();
  return deliverable.length;
}
