/**
 * The models a battle can be given, and the counted votes the sampler's
 * new-model boost reads, held in isolate memory so that starting a battle
 * waits on neither D1 nor KV. A fresh copy (under 30 s old) is used as is; an
 * older one is used while a new one loads in the background; only an
 * isolate's very first battle waits, and then on KV (edge-cached), not D1.
 *
 * KV's copy is written by the ranking cron and by every change to a model
 * (a lab's registration, release or withdrawal; a weight change), so a
 * change reaches this isolate at once and others within about a minute.
 * D1 is read only when KV has no copy yet (a fresh deployment).
 */
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { models, type ModelRow } from "../db/schema";
import { KV_BATTLE_MODELS, KV_SAMPLING_COUNTS } from "../leaderboard/kv-keys";
import { Held } from "../memory/held";
import { syncModelCatalog } from "./sync";

export interface LiveCatalog {
  /** Models in preview or active, the only ones a battle can be given. */
  models: ModelRow[];
  /** Counted votes per model, for the new-model boost. */
  counts: Record<string, number>;
}

const catalog = new Held<LiveCatalog>("live_catalog", 30_000);

/**
 * The live catalogue; `waitUntil` keeps a background refresh alive after
 * the response (pass the request's `ctx.waitUntil`).
 */
export function liveCatalog(env: Env, waitUntil?: (work: Promise<unknown>) => void): Promise<LiveCatalog> {
  return catalog.get(async () => {
    const [published, counts] = await Promise.all([
      env.LEADERBOARD.get<{ models: ModelRow[] }>(KV_BATTLE_MODELS, "json"),
      env.LEADERBOARD.get<Record<string, number>>(KV_SAMPLING_COUNTS, "json"),
    ]);
    return { models: published?.models ?? (await publishBattleModels(env)), counts: counts ?? {} };
  }, waitUntil);
}

/**
 * Reads the models a battle can be given from D1 (the checked-in catalogue
 * synced first) and publishes them to KV and to this isolate's copy. Called
 * by the cron and after every change to a model.
 */
export async function publishBattleModels(env: Env): Promise<ModelRow[]> {
  await syncModelCatalog(env.DB);
  const rows = await drizzle(env.DB).select().from(models).where(inArray(models.status, ["preview", "active"]));
  await env.LEADERBOARD.put(KV_BATTLE_MODELS, JSON.stringify({ models: rows }));
  const held = catalog.peek();
  if (held) catalog.set({ ...held, models: rows });
  return rows;
}

/** Takes the counted votes the cron just published, so this isolate's sampler uses them at once. */
export function rememberSamplingCounts(counts: Record<string, number>): void {
  const held = catalog.peek();
  if (held) catalog.set({ ...held, counts });
}
