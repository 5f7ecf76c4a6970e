/**
 * The ranking cron: folds counted votes into D1 aggregates exactly once,
 * publishes every category to KV with a snapshot in D1, is idempotent and
 * safe when runs overlap, and keeps the last good board when a category fails.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LeaderboardIndex, ModelDetail, PublishedLeaderboard } from "../../src/wire";
import worker from "../../worker/index";
import { foldNewVotes } from "../../worker/leaderboard/fold";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { ALPHA, BRAVO, d1Rows, registerModels, startBattle, vote, type FakeModel } from "./helpers";

const CHARLIE: FakeModel = { id: "ibis-charlie", name: "Ibis Charlie", organization: "Coastal AI", provider: "openai-compatible", behaviour: "ok-charlie" };

let seq = 0;
/** Inserts `n` counted votes between two models directly (with their battles), winner chosen by `pick`. */
async function insertVotes(n: number, a: string, b: string, pick: (i: number) => "a" | "b" | "tie" | "bothbad", categories = ["overall"]) {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < n; i++) {
    const id = `synthetic-${++seq}`;
    statements.push(
      env.DB.prepare("INSERT INTO battles (id, mode, model_a, model_b, categories) VALUES (?, 'anonymous', ?, ?, ?)").bind(id, a, b, JSON.stringify(categories)),
      env.DB.prepare(
        "INSERT INTO votes (battle_id, mode, model_a, model_b, winner, counted, categories, turns, style_a, style_b, voted_at) VALUES (?, 'anonymous', ?, ?, ?, 1, ?, 1, ?, ?, ?)",
      ).bind(id, a, b, pick(i), JSON.stringify(categories), JSON.stringify({ tokens: 100 + (i % 50), headers: i % 3, listItems: i % 4, bold: 0 }), JSON.stringify({ tokens: 120, headers: 1, listItems: 2, bold: 1 }), Date.now()),
    );
  }
  for (let i = 0; i < statements.length; i += 400) await env.DB.batch(statements.slice(i, i + 400));
}

async function runCronHandler(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function kvJson<T>(key: string): Promise<T | null> {
  return env.LEADERBOARD.get<T>(key, "json");
}

async function pairTotals(category = "overall"): Promise<number> {
  const [row] = await d1Rows<{ n: number }>("SELECT coalesce(sum(wins_a + wins_b + ties + both_bad), 0) AS n FROM pair_counts WHERE category = ?", category);
  return row!.n;
}

describe("the ranking cron", () => {
  it("publishes battles played through the API: index, boards with and without style control, model pages", async () => {
    await registerModels(ALPHA, BRAVO, CHARLIE);
    for (let i = 0; i < 6; i++) {
      const turn = await startBattle({ mode: "anonymous", prompt: i % 2 ? "Write a Python function to sort a list" : "Tell me about the ocean tides please" });
      expect((await vote(turn.battleId, i % 3 === 0 ? "tie" : "a")).status).toBe(200);
    }
    await runCronHandler();

    const index = await kvJson<LeaderboardIndex>("leaderboard:index");
    expect(index!.totalVotes).toBeGreaterThanOrEqual(6);
    expect(index!.categories[0]).toMatchObject({ id: "overall", label: "Overall", styles: ["control", "default"] });
    expect(index!.categories.map((c) => c.id)).toContain("coding");

    const board = await kvJson<PublishedLeaderboard>("leaderboard:overall:default");
    expect(board!.rows.length).toBeGreaterThanOrEqual(2);
    expect(board!.rows[0]).toHaveProperty("name");
    expect(board!.provisional).toBe(true);
    const control = await kvJson<PublishedLeaderboard>("leaderboard:overall:control");
    expect(control!.meta.styleControl).toBe(true);
    expect(control!.meta.gamma).toBeDefined();

    const detail = await kvJson<ModelDetail>(`model:${board!.rows[0]!.modelId}`);
    expect(detail!.history).toHaveLength(1);
    expect(detail!.standings.some((s) => s.category === "overall")).toBe(true);
    expect(detail!.headToHead.length).toBeGreaterThan(0);
    const snapshots = await d1Rows<{ category: string }>("SELECT category FROM leaderboard_snapshots WHERE category = 'overall'");
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
  });

  it("folds each counted vote exactly once across chunks, and a second run changes nothing", async () => {
    await registerModels(ALPHA, BRAVO);
    const before = await pairTotals();
    await insertVotes(2_345, ALPHA.id, BRAVO.id, (i) => (i % 10 < 7 ? "a" : i % 10 < 9 ? "b" : "tie"), ["overall", "chunked"]);
    await runRankingCron(env);
    expect((await pairTotals()) - before).toBe(2_345);
    const second = await runRankingCron(env);
    expect(second.fold.folded).toBe(0);
    expect(second.publish.skipped).toBe("unchanged");
    expect((await pairTotals()) - before).toBe(2_345);

    // A category of its own, so that models of other tests do not enter the fit.
    const board = (await kvJson<PublishedLeaderboard>("leaderboard:chunked:default"))!;
    expect(board.rows.map((r) => r.votes)).toEqual([2_345, 2_345]);
    const alpha = board.rows.find((r) => r.modelId === ALPHA.id)!;
    const bravo = board.rows.find((r) => r.modelId === BRAVO.id)!;
    expect(alpha.rating).toBeGreaterThan(bravo.rating);
    expect(alpha.rank).toBe(1);
    // 2,345 votes at 70/20/10 separate the two: Bravo's interval lies wholly below Alpha's.
    expect(bravo.upper!).toBeLessThan(alpha.lower!);
    expect(bravo.rank).toBe(2);
  });

  it("never double-counts when two folds overlap", async () => {
    await registerModels(ALPHA, BRAVO);
    const before = await pairTotals();
    await insertVotes(1_500, ALPHA.id, BRAVO.id, (i) => (i % 2 ? "a" : "b"));
    const results = await Promise.allSettled([
      foldNewVotes(env.DB, { chunk: 500, maxVotes: 10_000 }),
      foldNewVotes(env.DB, { chunk: 500, maxVotes: 10_000 }),
      foldNewVotes(env.DB, { chunk: 700, maxVotes: 10_000 }),
    ]);
    // Losers of a race fail as a whole; a later run picks up whatever is left.
    await foldNewVotes(env.DB, { chunk: 500, maxVotes: 10_000 });
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    expect((await pairTotals()) - before).toBe(1_500);
  });

  it("ignores votes that did not count", async () => {
    await registerModels(ALPHA, BRAVO);
    const before = await pairTotals();
    const turn = await startBattle({ mode: "side-by-side", prompt: "hello", models: [ALPHA.id, BRAVO.id] });
    await vote(turn.battleId, "a");
    await runRankingCron(env);
    expect(await pairTotals()).toBe(before);
  });

  it("keeps the last good board of a category whose recompute fails, and still publishes the others", async () => {
    await registerModels(ALPHA, BRAVO);
    await insertVotes(40, ALPHA.id, BRAVO.id, (i) => (i % 3 ? "a" : "b"), ["overall", "creative_writing"]);
    await runRankingCron(env);
    const good = await env.LEADERBOARD.get("leaderboard:creative_writing:default");
    expect(good).not.toBeNull();

    await env.DB.prepare("UPDATE pair_counts SET wins_a = -1 WHERE category = 'creative_writing'").run();
    await insertVotes(10, ALPHA.id, BRAVO.id, () => "b");
    const report = await runRankingCron(env);
    expect(report.publish.failed).toEqual(["creative_writing"]);
    expect(await env.LEADERBOARD.get("leaderboard:creative_writing:default")).toBe(good);
    const index = (await kvJson<LeaderboardIndex>("leaderboard:index"))!;
    expect(index.categories.map((c) => c.id)).toContain("creative_writing");
    const overall = (await kvJson<PublishedLeaderboard>("leaderboard:overall:default"))!;
    expect(overall.computedAt).not.toBe(JSON.parse(good!).computedAt);
  });

  it("is reachable as the Worker's scheduled handler and serves the board through the API", async () => {
    await registerModels(ALPHA, BRAVO);
    await insertVotes(20, ALPHA.id, BRAVO.id, () => "a");
    await runCronHandler();
    const response = await exports.default.fetch(new Request("http://arena.test/api/v1/leaderboard?category=overall&style=default"));
    expect(response.status).toBe(200);
  });
});
