/**
 * The cron step that publishes the sampling report (`GET /api/v1/sampling`):
 * every text model's current weight under the published rules, why, its
 * expected share of battles and its actual share of the last 30 days'
 * anonymous battles, and the dated history of every weight change.
 *
 * Weights are computed exactly as pair sampling computes them
 * (worker/battle/choose-models.ts → src/battle/sampling.ts). A model is
 * listed from the first run its provider can be called (its key is set);
 * after that, losing it counts as an outage. The
 * weights of the previous run live in `ranking_state` (key `sampling`); each
 * difference is appended to `sampling_changes` before the new state is
 * stored, so a run that fails between the two appends the same change again
 * rather than losing it. Previews are part of every share (they are drawn)
 * but appear only in aggregate until they are released. Counted votes (for
 * the new-model boost) are those of the last publication, as pair sampling
 * reads them.
 */
import { modelWeight, pairShares, weightChanges, type ModelWeight } from "../../src/battle/sampling-policy";
import { MODALITIES, type Modality, type SamplingArena, type SamplingReport, type SamplingRow } from "../../src/wire";
import { arenasOf } from "./arenas";
import { isPublic, type ModelStatus } from "../../src/labs/lifecycle";
import { configOf } from "../config";
import { KV_SAMPLING_COUNTS, KV_SAMPLING_REPORT } from "../leaderboard/kv-keys";
import { ENDPOINT_COLUMNS, endpointOfColumns, isModelAvailable, type EndpointColumns } from "../providers/registry";

const STATE_KEY = "sampling";
const HISTORY_LIMIT = 500;
const WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

interface ModelRow extends EndpointColumns {
  name: string;
  organization: string;
  status: ModelStatus;
  modality: Modality;
  arenas: string | null;
  sampling_weight: number;
}

export interface SamplingReportResult {
  models: number;
  changes: number;
  /** True when the report differs from the stored one in more than its time. */
  changed: boolean;
}


// Each battle counted once per model in it, per arena; driven by battles_created.
const BATTLES_30D = `
SELECT modality, model, count(*) AS n FROM (
  SELECT modality, model_a AS model FROM battles WHERE mode = 'anonymous' AND created_at >= ?1
  UNION ALL SELECT modality, model_b FROM battles WHERE mode = 'anonymous' AND created_at >= ?1 AND model_b IS NOT NULL
) GROUP BY modality, model`;

/** One arena's part of the report: its models' weights and shares, and its battles of the last 30 days. */
function arenaSection(
  arena: Modality,
  listed: readonly ModelRow[],
  weightIn: (m: ModelRow, arena: Modality) => ModelWeight,
  battles: ReadonlyMap<string, number>,
  total: number,
): SamplingArena {
  const members = listed.filter((m) => arenasOf(m).includes(arena));
  const weights = new Map(members.map((m) => [m.id, weightIn(m, arena)]));
  const shares = pairShares([...weights.values()]);
  const share30d = (id: string) => (total === 0 ? 0 : (battles.get(`${arena}\n${id}`) ?? 0) / total);
  const previews = members.filter((m) => m.status === "preview");
  return {
    battles30d: total,
    models: members
      .filter((m) => isPublic(m.status))
      .map((m) => ({
        modelId: m.id,
        name: m.name,
        organization: m.organization,
        status: m.status as SamplingRow["status"],
        weight: weights.get(m.id)!.weight,
        reason: weights.get(m.id)!.reason,
        expectedShare: shares[m.id] ?? 0,
        battles30d: battles.get(`${arena}\n${m.id}`) ?? 0,
        share30d: share30d(m.id),
      }))
      .sort((x, y) => y.expectedShare - x.expectedShare || x.name.localeCompare(y.name)),
    previews: {
      count: previews.length,
      expectedShare: previews.reduce((sum, m) => sum + (shares[m.id] ?? 0), 0),
      share30d: previews.reduce((sum, m) => sum + share30d(m.id), 0),
    },
  };
}

export async function publishSamplingReport(env: Env, now = Date.now()): Promise<SamplingReportResult> {
  const d1 = env.DB;
  const config = configOf(env);
  const [rows, counts, previous, recent, totals] = await Promise.all([
    d1.prepare(`SELECT name, organization, status, modality, arenas, sampling_weight, ${ENDPOINT_COLUMNS} FROM models`).all<ModelRow>(),
    env.LEADERBOARD.get<Record<string, number>>(KV_SAMPLING_COUNTS, "json"),
    d1.prepare("SELECT value FROM ranking_state WHERE key = ?").bind(STATE_KEY).first<{ value: string }>(),
    d1.prepare(BATTLES_30D).bind(now - WINDOW_MS).all<{ modality: Modality; model: string; n: number }>(),
    d1.prepare("SELECT modality, count(*) AS n FROM battles WHERE mode = 'anonymous' AND created_at >= ? GROUP BY modality").bind(now - WINDOW_MS).all<{ modality: Modality; n: number }>(),
  ]);
  const before = previous ? (JSON.parse(previous.value) as ModelWeight[]) : [];
  const seen = new Set(before.map((w) => w.id));
  // A model is listed once it can be called here (its key is set; demo models
  // only where the arena runs them); once listed, losing its provider shows as an outage.
  const listed = rows.results.filter((m) => (!m.is_demo || config.demoModels) && (isModelAvailable(endpointOfColumns(m), env) || seen.has(m.id)));
  const weightIn = (m: ModelRow, arena: Modality): ModelWeight => {
    const weight = isModelAvailable(endpointOfColumns(m), env) ? m.sampling_weight : 0;
    return modelWeight({ id: m.id, arenas: arenasOf(m), status: m.status, weight, countedVotes: counts?.[m.id] ?? 0 }, { modality: arena, ...config.sampling });
  };
  // A model's weight is the same in each of its arenas: the history logs it once, from its first arena.
  const weights: ModelWeight[] = listed.map((m) => weightIn(m, arenasOf(m)[0] ?? m.modality));
  const battles = new Map(recent.results.map((r) => [`${r.modality}\n${r.model}`, r.n]));
  const totalIn = new Map(totals.results.map((t) => [t.modality, t.n]));

  const publicIds = new Set(listed.filter((m) => isPublic(m.status)).map((m) => m.id));
  const changes = weightChanges(before, weights, new Date(now)).filter((c) => publicIds.has(c.modelId));
  const statements = changes.map((c) =>
    d1.prepare("INSERT INTO sampling_changes (model_id, at, from_weight, to_weight, reason) VALUES (?, ?, ?, ?, ?)").bind(c.modelId, now, c.fromWeight, c.toWeight, c.reason),
  );
  statements.push(
    d1
      .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?, ?, 0) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(STATE_KEY, JSON.stringify(weights)),
  );
  await d1.batch(statements);

  const names = new Map(listed.filter((m) => publicIds.has(m.id)).map((m) => [m.id, m.name]));
  const history = await d1
    .prepare("SELECT model_id, at, from_weight, to_weight, reason FROM sampling_changes ORDER BY at DESC, id DESC LIMIT ?")
    .bind(HISTORY_LIMIT)
    .all<{ model_id: string; at: number; from_weight: number; to_weight: number; reason: SamplingRow["reason"] }>();
  const section = (arena: Modality) => arenaSection(arena, listed, weightIn, battles, totalIn.get(arena) ?? 0);
  const others: SamplingReport["arenas"] = {};
  for (const arena of MODALITIES) {
    if (arena === "text" || !listed.some((m) => arenasOf(m).includes(arena))) continue;
    others[arena] = section(arena);
  }
  const report: SamplingReport = {
    computedAt: new Date(now).toISOString(),
    rules: { newModelBoost: config.sampling.newModelBoost, boostUntilVotes: config.sampling.boostUntilVotes },
    ...section("text"),
    ...(Object.keys(others).length > 0 ? { arenas: others } : {}),
    history: history.results.map((h) => ({ modelId: h.model_id, name: names.get(h.model_id) ?? h.model_id, at: new Date(h.at).toISOString(), fromWeight: h.from_weight, toWeight: h.to_weight, reason: h.reason })),
  };
  const stored = await env.LEADERBOARD.get<SamplingReport>(KV_SAMPLING_REPORT, "json");
  const changed = !stored || JSON.stringify({ ...stored, computedAt: undefined }) !== JSON.stringify({ ...report, computedAt: undefined });
  if (changed) await env.LEADERBOARD.put(KV_SAMPLING_REPORT, JSON.stringify(report));
  return { models: report.models.length, changes: changes.length, changed };
}
