/**
 * The public sampling report: weights follow the published rules, each
 * change is logged with its date and reason, shares add up, previews appear
 * only in aggregate, and the route is served like the leaderboards.
 */
import { publishBattleModels } from "../../worker/catalog/live-catalog";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SamplingReport } from "../../src/wire";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { ALPHA, BRAVO, api, registerModels, startBattle, type FakeModel } from "./helpers";

const CHARLIE: FakeModel = { id: "kite-charlie", name: "Kite Charlie", organization: "Cirrus", provider: "openai", behaviour: "ok-alpha" };
const PREVIEW: FakeModel = { id: "codename-wren", name: "wren", organization: "Cirrus", provider: "openai", behaviour: "ok-bravo" };

let clock = Date.now();
const cron = () => runRankingCron(env, ++clock);

async function report(): Promise<SamplingReport> {
  const response = await api("/api/v1/sampling");
  expect(response.status).toBe(200);
  return (await response.json()) as SamplingReport;
}

const row = (r: SamplingReport, id: string) => r.models.find((m) => m.modelId === id);

describe("the sampling report", () => {
  it("answers 404 with the error shape before the cron ever ran", async () => {
    const response = await api("/api/v1/sampling");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("publishes each callable model's weight under the rules, with equal expected shares summing to 2", async () => {
    await registerModels(ALPHA, BRAVO, CHARLIE);
    await cron();
    const r = await report();
    expect(r.rules).toEqual({ newModelBoost: 3, boostUntilVotes: 1000 });
    expect(r.models.map((m) => m.modelId).sort()).toEqual([ALPHA.id, BRAVO.id, CHARLIE.id].sort());
    for (const m of r.models) expect(m).toMatchObject({ weight: 3, reason: "new_model_boost", status: "active" });
    for (const m of r.models) expect(m.expectedShare).toBeCloseTo(2 / 3, 9);
    // Models of the catalogue whose keys are not set here were never sampled: not listed.
    expect(r.models).toHaveLength(3);
    expect(r.history.map((h) => h.modelId).sort()).toEqual([ALPHA.id, BRAVO.id, CHARLIE.id].sort());
    expect(r.history[0]).toMatchObject({ fromWeight: 0, toWeight: 3, reason: "new_model_boost" });
  });

  it("logs an outage with its date and reason, and moves the shares to the others", async () => {
    await env.DB.prepare("UPDATE models SET sampling_weight = 0 WHERE id = ?").bind(BRAVO.id).run();
    const run = await cron();
    expect(run.sampling.changes).toBe(1);
    const r = await report();
    expect(row(r, BRAVO.id)).toMatchObject({ weight: 0, reason: "outage", expectedShare: 0 });
    expect(row(r, ALPHA.id)!.expectedShare).toBeCloseTo(1, 9);
    expect(r.history[0]).toMatchObject({ modelId: BRAVO.id, name: BRAVO.name, fromWeight: 3, toWeight: 0, reason: "outage", at: new Date(clock).toISOString() });
    // Nothing changed since: nothing more is logged.
    expect((await cron()).sampling.changes).toBe(0);
    expect((await report()).history).toHaveLength(4);
  });

  it("counts the last 30 days' anonymous battles per model, and shows previews only in aggregate", async () => {
    await env.DB.prepare("UPDATE models SET sampling_weight = 1 WHERE id = ?").bind(BRAVO.id).run();
    await registerModels(ALPHA, BRAVO, CHARLIE, PREVIEW);
    await env.DB.prepare("UPDATE models SET status = 'preview' WHERE id = ?").bind(PREVIEW.id).run();
    await publishBattleModels(env);
    for (let i = 0; i < 4; i++) await startBattle({ mode: "anonymous", prompt: `Sampling question ${i}` });
    await cron();
    const r = await report();
    expect(r.models.map((m) => m.modelId)).not.toContain(PREVIEW.id);
    expect(JSON.stringify(r)).not.toContain(PREVIEW.id);
    expect(r.previews.count).toBe(1);
    expect(r.previews.expectedShare).toBeCloseTo(0.5, 9);
    expect(r.battles30d).toBe(4);
    const inBattles = r.models.reduce((s, m) => s + m.battles30d, 0);
    expect(inBattles + Math.round(r.previews.share30d * 4)).toBe(8);
    expect(r.models.reduce((s, m) => s + m.expectedShare, 0) + r.previews.expectedShare).toBeCloseTo(2, 9);
  });

  it("is served like the leaderboards: ETag, shared cache, open to any origin", async () => {
    const response = await api("/api/v1/sampling", { headers: { origin: "https://dashboard.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
    expect((await api("/api/v1/sampling", { headers: { "if-none-match": response.headers.get("etag")! } })).status).toBe(304);
  });
});
