/**
 * Anomalous voters, run by the cron: a bot that always votes for the weaker
 * model is flagged and its votes leave the published boards (reason
 * anomalous_voter) while honest voters are untouched; flagging republishes
 * without a new vote; the flag is lifted, and the votes count again, when
 * the crowd's history makes the bot's votes ordinary; a run is bounded.
 *
 * The honest crowd is seeded through the record path the outbox uses; the
 * bot plays real battles through the API.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LeaderboardIndex, PublishedLeaderboard } from "../../src/wire";
import { applyRecordWrite } from "../../worker/db/record";
import { evaluateAnomalousVoters, readAnomalySummary } from "../../worker/integrity/anomalous-voters";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { foldNewVotes } from "../../worker/leaderboard/fold";
import { publishLeaderboards } from "../../worker/leaderboard/publish";
import { ALPHA, BRAVO, d1Rows, ownerCookie, registerModels, startBattle, vote } from "./helpers";

const STYLE = { tokens: 120, headers: 0, listItems: 1, bold: 0 };
let seeded = 0;

/**
 * Stores `count` counted votes of one session on ALPHA vs BRAVO, sides
 * alternating; `bravoWins(i)` says which of them BRAVO wins.
 */
async function seedSession(sessionId: string, count: number, bravoWins: (i: number) => boolean): Promise<void> {
  for (let i = 0; i < count; i++) {
    const battleId = `seeded-${++seeded}`;
    const [modelA, modelB] = seeded % 2 ? [ALPHA.id, BRAVO.id] : [BRAVO.id, ALPHA.id];
    const winner = (modelA === BRAVO.id) === bravoWins(i) ? "a" : "b";
    await applyRecordWrite(env.DB, { kind: "battle", row: { id: battleId, mode: "anonymous", modelA, modelB, sessionId, categories: ["overall"] } });
    await applyRecordWrite(env.DB, {
      kind: "vote",
      row: { battleId, sessionId, mode: "anonymous", modelA, modelB, winner, counted: true, categories: ["overall"], turns: 1, styleA: STYLE, styleB: STYLE, votedAt: Date.now() },
    });
  }
}

/** The model on side A of a battle, from the record (a bot fingerprints it from the answers). */
async function sideA(battleId: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [row] = await d1Rows<{ model_a: string }>("SELECT model_a FROM battles WHERE id = ?", battleId);
    if (row) return row.model_a;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`battle ${battleId} never reached the record`);
}

/** Plays `count` battles in one session, always voting for BRAVO; returns the session id. */
async function botVotesForBravo(count: number): Promise<string> {
  const first = await startBattle({ mode: "anonymous", prompt: "Which of you is better at haiku?" });
  const cookie = ownerCookie(first.battleId);
  const ids = [first.battleId];
  for (let i = 1; i < count; i++) ids.push((await startBattle({ mode: "anonymous", prompt: `Write haiku number ${i}` }, { cookie })).battleId);
  for (const id of ids) expect((await vote(id, (await sideA(id)) === BRAVO.id ? "a" : "b")).status).toBe(200);
  const [row] = await d1Rows<{ session_id: string }>("SELECT session_id FROM votes WHERE battle_id = ?", first.battleId);
  return row!.session_id;
}

async function boardVotes(): Promise<{ index: number; board: number[]; control: number[] }> {
  const index = await env.LEADERBOARD.get<LeaderboardIndex>("leaderboard:index", "json");
  const board = await env.LEADERBOARD.get<PublishedLeaderboard>("leaderboard:overall:default", "json");
  const control = await env.LEADERBOARD.get<PublishedLeaderboard>("leaderboard:overall:control", "json");
  return { index: index!.totalVotes, board: board!.rows.map((r) => r.votes), control: control!.rows.map((r) => r.votes) };
}

const flagOf = async (sessionId: string) =>
  (await d1Rows<{ flagged: number; votes: number; p_value: number; changed_at: number }>("SELECT flagged, votes, p_value, changed_at FROM voter_flags WHERE session_id = ?", sessionId))[0];

const HONEST = Array.from({ length: 8 }, (_, k) => `honest-${k}`);
const BOT_VOTES = 15;
let bot = "";

describe("anomalous voters", () => {
  it("flags a bot that always votes for the weaker model, not the honest crowd, and its votes leave the boards without a new vote", async () => {
    await registerModels(ALPHA, BRAVO);
    // 80 honest votes, ALPHA winning 78: two honest sessions pick BRAVO once.
    for (const [k, session] of HONEST.entries()) await seedSession(session, 10, (i) => k % 4 === 0 && i === 3);
    bot = await botVotesForBravo(BOT_VOTES);

    // Published once before the test runs: every vote counts.
    await foldNewVotes(env.DB, { chunk: 1000, maxVotes: 10_000 });
    await publishLeaderboards(env);
    expect(await boardVotes()).toEqual({ index: 95, board: [95, 95], control: [95, 95] });

    // No new vote since: the cron flags the bot and must republish.
    const report = await runRankingCron(env);
    expect(report.fold.folded).toBe(0);
    expect(report.anomaly).toMatchObject({ evaluated: 9, flipped: 1, behind: false });
    expect(report.publish.skipped).toBeUndefined();
    expect(report.publish.published).toContain("overall:default");
    expect(await boardVotes()).toEqual({ index: 80, board: [80, 80], control: [80, 80] });

    const flag = await flagOf(bot);
    expect(flag).toMatchObject({ flagged: 1, votes: BOT_VOTES });
    expect(flag!.p_value).toBeLessThan(0.001);
    for (const session of HONEST) expect(await flagOf(session)).toMatchObject({ flagged: 0, votes: 10 });
    // The aggregates still hold every counted vote; only the publication leaves the bot out.
    const [pairs] = await d1Rows<{ n: number }>("SELECT sum(wins_a + wins_b + ties + both_bad) AS n FROM pair_counts WHERE category = 'overall'");
    expect(pairs!.n).toBe(95);

    expect(await readAnomalySummary(env.LEADERBOARD)).toMatchObject({
      alpha: 0.001,
      minVotes: 10,
      minPairHistory: 20,
      sessionsTested: 9,
      sessionsFlagged: 1,
      votesExcluded: BOT_VOTES,
      watermark: report.fold.watermark,
    });

    // Nothing changed: the flag holds and the boards are not rewritten.
    const again = await runRankingCron(env);
    expect(again.anomaly.flipped).toBe(0);
    expect(again.publish.skipped).toBe("unchanged");
    expect((await flagOf(bot))!.changed_at).toBe(flag!.changed_at);
  });

  it("lifts the flag when the crowd's history makes the bot's votes ordinary, and they count again", async () => {
    const flaggedAt = (await flagOf(bot))!.changed_at;
    // 100 more honest votes, BRAVO winning 80: voting for BRAVO is no longer rare.
    for (let k = 0; k < 10; k++) await seedSession(`honest-late-${k}`, 10, (i) => i < 8);
    const report = await runRankingCron(env, Date.now() + 1);
    expect(report.anomaly.flipped).toBe(1);

    const flag = await flagOf(bot);
    expect(flag).toMatchObject({ flagged: 0, votes: BOT_VOTES });
    expect(flag!.changed_at).toBeGreaterThan(flaggedAt);
    expect(await boardVotes()).toEqual({ index: 195, board: [195, 195], control: [195, 195] });
    expect(await readAnomalySummary(env.LEADERBOARD)).toMatchObject({ sessionsFlagged: 0, votesExcluded: 0, sessionsTested: 19 });
    const [flagged] = await d1Rows<{ n: number }>("SELECT count(*) AS n FROM voter_flags WHERE flagged = 1");
    expect(flagged!.n).toBe(0);
  });

  it("evaluates at most ANOMALY_SESSIONS_PER_RUN sessions a run and the rest on the next run", async () => {
    const sessions = Array.from({ length: 6 }, (_, k) => `bounded-${k}`);
    for (const session of sessions) await seedSession(session, 10, (i) => i % 2 === 0);
    // One vote without a session: never judged.
    await applyRecordWrite(env.DB, { kind: "battle", row: { id: "anonymous-voter", mode: "anonymous", modelA: ALPHA.id, modelB: BRAVO.id, categories: ["overall"] } });
    await applyRecordWrite(env.DB, {
      kind: "vote",
      row: { battleId: "anonymous-voter", mode: "anonymous", modelA: ALPHA.id, modelB: BRAVO.id, winner: "b", counted: true, categories: ["overall"], turns: 1, styleA: STYLE, styleB: STYLE, votedAt: Date.now() },
    });
    await foldNewVotes(env.DB, { chunk: 1000, maxVotes: 10_000 });
    const bounded = { ...env, ANOMALY_SESSIONS_PER_RUN: "4" } as Env;

    const first = await evaluateAnomalousVoters(bounded);
    expect(first).toMatchObject({ evaluated: 4, behind: true });
    const evaluated = async () => (await d1Rows<{ n: number }>("SELECT count(*) AS n FROM voter_flags WHERE session_id LIKE 'bounded-%'"))[0]!.n;
    expect(await evaluated()).toBe(4);

    const second = await evaluateAnomalousVoters(bounded);
    expect(second).toMatchObject({ evaluated: 2, behind: false });
    expect(await evaluated()).toBe(6);
    expect((await evaluateAnomalousVoters(bounded)).evaluated).toBe(0);
    const [rows] = await d1Rows<{ n: number }>("SELECT count(*) AS n FROM voter_flags");
    expect(rows!.n).toBe(HONEST.length + 1 + 10 + 6);
  });
});
