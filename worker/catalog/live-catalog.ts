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
import { syncModelCatalog } from "./sync";

export interface LiveCatalog {
  /** Models in preview or active, the only ones a battle can be given. */
  models: ModelRow[];
  /** Counted votes per model, for the new-model boost. */
  counts: Record<string, number>;
  loadedAt: number;
}

const FRESH_MS = 30_000;

let held: LiveCatalog | undefined;
let loading: Promise<LiveCatalog> | undefined;

/**
 * The live catalogue; `waitUntil` keeps a background refresh alive after
 * the response (pass the request's `ctx.waitUntil`).
 */
export async function liveCatalog(env: Env, waitUntil?: (work: Promise<unknown>) => void): Promise<LiveCatalog> {
  if (held && Date.now() - held.loadedAt < FRESH_MS) return held;
  if (held) {
    const refresh = reload(env).catch((error: unknown) => console.warn(JSON.stringify({ event: "live_catalog.refresh_failed", error: String(error) })));
    waitUntil?.(refresh);
    return held;
  }
  return reload(env);
}

function reload(env: Env): Promise<LiveCatalog> {
  loading ??= (async () => {
    const [published, counts] = await Promise.all([
      env.LEADERBOARD.get<{ models: ModelRow[] }>(KV_BATTLE_MODELS, "json"),
      env.LEADERBOARD.get<Record<string, number>>(KV_SAMPLING_COUNTS, "json"),
    ]);
    const rows = published?.models ?? (await publishBattleModels(env));
    held = { models: rows, counts: counts ?? {}, loadedAt: Date.now() };
    return held;
  })().finally(() => {
    loading = undefined;
  });
  return loading;
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
  if (held) held = { ...held, models: rows, loadedAt: Date.now() };
  return rows;
}

/** Takes the counted votes the cron just published, so this isolate's sampler uses them at once. */
export function rememberSamplingCounts(counts: Record<string, number>): void {
  if (held) held = { ...held, counts };
}
