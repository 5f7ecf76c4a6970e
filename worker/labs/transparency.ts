/**
 * The two public documents that answer "what did labs test, and what
 * changed": the private-variant register and the lifecycle log. The cron
 * writes them to KV after the boards (a preview's score comes from its lab's
 * results, worker/labs/results.ts), and they are served like the boards.
 *
 * - Register: every lab model whose `disclosed_at` is set — a lab's release
 *   or withdrawal discloses every preview it has registered so far
 *   (worker/labs/models.ts) — with codename, dates, votes and overall score.
 * - Lifecycle: releases, withdrawals and retirements of lab models; a
 *   registration once the model is public or disclosed; and every weight
 *   change of a public model (`sampling_changes`).
 */
import { isPublic, type ModelStatus } from "../../src/labs/lifecycle";
import type { LifecycleEvent, LifecycleLog, RegisterEntry, VariantRegister } from "../../src/wire";
import { KV_LIFECYCLE, KV_REGISTER } from "../leaderboard/kv-keys";
import { readLabResults } from "./results";

/** Newest lifecycle events kept in the published log. */
export const LIFECYCLE_EVENTS_MAX = 2_000;

interface DisclosedRow {
  id: string;
  codename: string;
  name: string;
  owner_id: string;
  lab: string;
  status: ModelStatus;
  created_at: number;
  disclosed_at: number;
  released_at: number | null;
  withdrawn_at: number | null;
}

interface EventRow {
  at: number;
  kind: LifecycleEvent["kind"];
  model_id: string;
  name: string;
  organization: string;
  status: ModelStatus;
  disclosed_at: number | null;
  detail: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function buildRegister(env: Env, computedAt: string): Promise<VariantRegister> {
  const { results } = await env.DB.prepare(
    `SELECT m.id, m.codename, m.name, m.owner_id, l.name AS lab, m.status, m.created_at, m.disclosed_at, m.released_at, m.withdrawn_at
     FROM models m JOIN labs l ON l.id = m.owner_id WHERE m.disclosed_at IS NOT NULL ORDER BY l.name, m.created_at, m.id`,
  ).all<DisclosedRow>();
  const labs = new Map(await Promise.all([...new Set(results.map((r) => r.owner_id))].map(async (lab) => [lab, await readLabResults(env.LEADERBOARD, lab)] as const)));
  const entries = results.map((r): RegisterEntry => {
    const overall = labs.get(r.owner_id)?.models[r.id]?.find((s) => s.category === "overall" && s.style === "default");
    return {
      modelId: r.id,
      codename: r.codename,
      lab: r.lab,
      status: r.status,
      registeredAt: iso(r.created_at)!,
      disclosedAt: iso(r.disclosed_at)!,
      releasedAt: iso(r.released_at),
      withdrawnAt: iso(r.withdrawn_at),
      publicName: r.released_at === null ? null : r.name,
      votes: overall?.votes ?? 0,
      rating: overall?.rating ?? null,
      lower: overall?.lower ?? null,
      upper: overall?.upper ?? null,
    };
  });
  return { computedAt, entries };
}

async function buildLifecycle(env: Env, computedAt: string): Promise<LifecycleLog> {
  const { results } = await env.DB.prepare(
    `SELECT * FROM (
       SELECT e.at, e.kind, e.model_id, m.name, m.organization, m.status, m.disclosed_at, e.detail
       FROM model_events e JOIN models m ON m.id = e.model_id
       UNION ALL
       SELECT s.at, 'weight_changed', s.model_id, m.name, m.organization, m.status, m.disclosed_at,
              json_object('from', CAST(s.from_weight AS TEXT), 'to', CAST(s.to_weight AS TEXT), 'reason', s.reason)
       FROM sampling_changes s JOIN models m ON m.id = s.model_id
     ) ORDER BY at DESC LIMIT ?`,
  )
    .bind(LIFECYCLE_EVENTS_MAX * 2)
    .all<EventRow>();
  const events = results
    // A preview's registration and weight changes stay private until it is released or disclosed.
    .filter((e) => (e.kind === "registered" ? isPublic(e.status) || e.disclosed_at !== null : e.kind === "weight_changed" ? isPublic(e.status) : true))
    .slice(0, LIFECYCLE_EVENTS_MAX)
    .map((e) => ({ at: iso(e.at)!, kind: e.kind, modelId: e.model_id, name: e.name, organization: e.organization, detail: JSON.parse(e.detail) as Record<string, string> }));
  return { computedAt, events };
}

/** Builds and stores both documents; says whether either changed in more than its time. */
export async function publishTransparency(env: Env, now = Date.now()): Promise<{ changed: boolean }> {
  const computedAt = new Date(now).toISOString();
  const [register, lifecycle, oldRegister, oldLifecycle] = await Promise.all([
    buildRegister(env, computedAt),
    buildLifecycle(env, computedAt),
    env.LEADERBOARD.get<VariantRegister>(KV_REGISTER, "json"),
    env.LEADERBOARD.get<LifecycleLog>(KV_LIFECYCLE, "json"),
  ]);
  const same = (a: object | null, b: object) => a !== null && JSON.stringify({ ...a, computedAt: 0 }) === JSON.stringify({ ...b, computedAt: 0 });
  const changed = !same(oldRegister, register) || !same(oldLifecycle, lifecycle);
  if (changed) await Promise.all([env.LEADERBOARD.put(KV_REGISTER, JSON.stringify(register)), env.LEADERBOARD.put(KV_LIFECYCLE, JSON.stringify(lifecycle))]);
  return { changed };
}
