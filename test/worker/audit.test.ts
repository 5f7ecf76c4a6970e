/**
 * The public audit of excluded votes: every stored vote is counted once per
 * category under its reason, per model and per lab; a flagged voter's counted
 * votes show as anomalous_voter and move back when the flag lifts; the route
 * is cached by publication and open to any origin like the leaderboards;
 * bad input gets a 4xx with the error shape.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditCategory, AuditReport } from "../../src/wire";
import { applyRecordWrite } from "../../worker/db/record";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { ALPHA, BRAVO, api, registerModels } from "./helpers";

const STYLE = { tokens: 120, headers: 0, listItems: 1, bold: 0 };
let seeded = 0;

interface SeedOptions {
  sessionId?: string;
  categories?: string[];
  reason?: string;
  mode?: "anonymous" | "side-by-side";
}

/** Stores one vote on ALPHA vs BRAVO through the record path; `bravoWins` picks the winner. */
async function seedVote(bravoWins: boolean, options: SeedOptions = {}): Promise<void> {
  const battleId = `audit-${++seeded}`;
  const [modelA, modelB] = seeded % 2 ? [ALPHA.id, BRAVO.id] : [BRAVO.id, ALPHA.id];
  const winner = (modelA === BRAVO.id) === bravoWins ? "a" : "b";
  const { sessionId = `voter-${seeded}`, categories = ["overall"], reason, mode = "anonymous" } = options;
  await applyRecordWrite(env.DB, { kind: "battle", row: { id: battleId, mode, modelA, modelB, sessionId, categories } });
  await applyRecordWrite(env.DB, {
    kind: "vote",
    row: { battleId, sessionId, mode, modelA, modelB, winner, counted: reason === undefined, exclusionReason: reason ?? null, categories, turns: 1, styleA: STYLE, styleB: STYLE, votedAt: Date.now() },
  });
}

async function seedSession(sessionId: string, count: number, bravoWins: (i: number) => boolean): Promise<void> {
  for (let i = 0; i < count; i++) await seedVote(bravoWins(i), { sessionId });
}

async function audit(path = "/api/v1/audit"): Promise<AuditReport> {
  const response = await api(path);
  expect(response.status).toBe(200);
  return (await response.json()) as AuditReport;
}

const category = (report: AuditReport, id: string): AuditCategory => report.categories.find((c) => c.category === id)!;
const model = (c: AuditCategory, id: string) => c.models.find((m) => m.modelId === id)!;

const BOT = "bot-for-bravo";
let clock = Date.now();
const cron = () => runRankingCron(env, ++clock);

describe("the audit of excluded votes", () => {
  it("answers 404 with the error shape before the cron ever ran", async () => {
    const response = await api("/api/v1/audit");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found", message: "no audit has been published yet" } });
  });

  it("counts every stored vote under its reason, per category, model and lab", async () => {
    await registerModels(ALPHA, BRAVO);
    // 80 honest counted votes, ALPHA winning 78 (two honest sessions pick BRAVO once).
    for (let k = 0; k < 8; k++) await seedSession(`honest-${k}`, 10, (i) => k % 4 === 0 && i === 3);
    await seedVote(true, { reason: "vote_cap", categories: ["overall", "coding"] });
    await seedVote(true, { reason: "vote_cap" });
    await seedVote(false, { reason: "identity_revealed" });
    await seedVote(false, { reason: "not_anonymous", mode: "side-by-side" });
    await seedVote(true, { reason: "duplicate_prompt", categories: ["overall", "coding"] });

    await cron();
    const report = await audit();
    expect(report.reasons).toEqual(expect.arrayContaining(["not_anonymous", "side_error", "empty_response", "identity_revealed", "vote_cap", "anomalous_voter", "duplicate_prompt"]));
    const overall = category(report, "overall");
    expect(overall.totals).toMatchObject({ stored: 85, counted: 80 });
    expect(overall.totals.excluded).toMatchObject({ vote_cap: 2, identity_revealed: 1, not_anonymous: 1, duplicate_prompt: 1, anomalous_voter: 0, side_error: 0 });
    // Each vote involves both models, and each model is its own lab here.
    for (const id of [ALPHA.id, BRAVO.id]) expect(model(overall, id)).toMatchObject({ stored: 85, counted: 80 });
    expect(model(overall, BRAVO.id)).toMatchObject({ name: BRAVO.name, organization: BRAVO.organization });
    expect(overall.labs.map((l) => l.organization).sort()).toEqual([ALPHA.organization, BRAVO.organization].sort());
    expect(overall.labs.find((l) => l.organization === ALPHA.organization)).toMatchObject({ models: 1, stored: 85, counted: 80 });

    const coding = category(report, "coding");
    expect(coding.totals).toMatchObject({ stored: 2, counted: 0 });
    expect(coding.totals.excluded).toMatchObject({ vote_cap: 1, duplicate_prompt: 1 });
    for (const row of [overall.totals, coding.totals, ...overall.models, ...overall.labs]) {
      expect(row.counted + Object.values(row.excluded).reduce((s, n) => s + n, 0)).toBe(row.stored);
    }
  });

  it("folds each vote once: a run with nothing new changes nothing and is not rewritten", async () => {
    const before = await env.LEADERBOARD.get("audit:votes");
    const report = await cron();
    expect(report.audit).toMatchObject({ folded: 0, changed: false });
    expect(await env.LEADERBOARD.get("audit:votes")).toBe(before);
    const [row] = (await env.DB.prepare("SELECT sum(votes) AS n FROM audit_counts WHERE category = 'overall' AND model_id = '*'").all<{ n: number }>()).results;
    expect(row!.n).toBe(85);
  });

  it("shows a flagged voter's counted votes as anomalous_voter, and the anomaly test's threshold and counts", async () => {
    await seedSession(BOT, 15, () => true);
    await cron();
    const overall = category(await audit(), "overall");
    expect(overall.totals).toMatchObject({ stored: 100, counted: 80 });
    expect(overall.totals.excluded.anomalous_voter).toBe(15);
    expect(model(overall, BRAVO.id).excluded.anomalous_voter).toBe(15);
    expect((await audit()).anomaly).toMatchObject({ alpha: 0.001, minVotes: 10, minPairHistory: 20, sessionsFlagged: 1, votesExcluded: 15 });
  });

  it("moves them back to counted when the flag lifts", async () => {
    // 100 more honest votes, BRAVO winning 80: voting for BRAVO is no longer rare.
    for (let k = 0; k < 10; k++) await seedSession(`honest-late-${k}`, 10, (i) => i < 8);
    const report = await cron();
    expect(report.anomaly.flipped).toBe(1);
    const overall = category(await audit(), "overall");
    expect(overall.totals).toMatchObject({ stored: 200, counted: 195 });
    expect(overall.totals.excluded.anomalous_voter).toBe(0);
  });

  it("a new excluded vote alone changes the audit, and the cached answer with it", async () => {
    const first = await api("/api/v1/audit");
    const etag = first.headers.get("etag")!;
    await seedVote(true, { reason: "empty_response" });
    const report = await cron();
    // No counted vote arrived, so no board was republished; the audit still is.
    expect(report.publish.skipped).toBe("unchanged");
    expect(report.audit.changed).toBe(true);
    const second = await api("/api/v1/audit", { headers: { "if-none-match": etag } });
    expect(second.status).toBe(200);
    expect(category((await second.json()) as AuditReport, "overall").totals.excluded.empty_response).toBe(1);
  });

  it("is served like the leaderboards: ETag, shared cache, open to any origin", async () => {
    const response = await api("/api/v1/audit", { headers: { origin: "https://dashboard.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
    const again = await api("/api/v1/audit", { headers: { "if-none-match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("filters by category; an unknown or malformed category gets a 4xx with the error shape", async () => {
    const coding = await audit("/api/v1/audit?category=coding");
    expect(coding.categories.map((c) => c.category)).toEqual(["coding"]);
    const unknown = await api("/api/v1/audit?category=no-such-board");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
    const bad = await api(`/api/v1/audit?category=${"x".repeat(65)}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_request" } });
  });
});
