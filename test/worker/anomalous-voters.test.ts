/**
 * Anomalous voters, run by the cron: a bot that always votes for the weaker
 * model is flagged and its votes leave the published boards (reason
 * anomalous_voter) while honest voters are untouched; flagging republishes
 * without a new vote; the flag is lifted, and the votes count again, when
 * the crowd's history makes the bot's votes ordinary; a bot that takes a new
 * cookie before any session reaches the test's minimum is judged on its IP's
 * votes together; a run is bounded.
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
import { expectLatestDatasetVerifies } from "./dataset-helpers";
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

/** Plays `count` battles in one session from `ip`, always voting for BRAVO; returns the session id. */
async function botVotesForBravo(count: number, ip: string): Promise<string> {
  const from = { "cf-connecting-ip": ip };
  const first = await startBattle({ mode: "anonymous", prompt: `Which of you is better at haiku? (${ip})` }, from);
  const cookie = ownerCookie(first.battleId);
  const ids = [first.battleId];
  for (let i = 1; i < count; i++) ids.push((await startBattle({ mode: "anonymous", prompt: `Write haiku number ${i} (${ip})` }, { cookie, ...from })).battleId);
  for (const id of ids) expect((await vote(id, (await sideA(id)) === BRAVO.id ? "a" : "b", from)).status).toBe(200);
  const [row] = await d1Rows<{ session_id: string }>("SELECT session_id FROM votes WHERE battle_id = ?", first.battleId);
  return row!.session_id;
}

async function boardVotes(): Promise<{ index: number; board: number[]; control: number[] }> {
  const index = await env.LEADERBOARD.get<LeaderboardIndex>("leaderboard:index", "json");
  const board = await env.LEADERBOARD.get<PublishedLeaderboard>("leaderboard:overall:default", "json");
  const control = await env.LEADERBOARD.get<PublishedLeaderboard>("leaderboard:overall:control", "json");
  return { index: index!.totalVotes, board: board!.rows.map((r) => r.votes), control: control!.rows.map((r) => r.votes) };
}

const flagOf = async (voter: string) =>
  (await d1Rows<{ flagged: number; votes: number; p_value: number; changed_at: number }>("SELECT flagged, votes, p_value, changed_at FROM voter_flags WHERE session_id = ?", voter))[0];

/** The IP voter of a bot's votes (the cron keys IPs by the votes' keyed hash). */
async function ipVoterOf(sessionId: string): Promise<string> {
  const [row] = await d1Rows<{ ip_key: string }>("SELECT DISTINCT ip_key FROM votes WHERE session_id = ?", sessionId);
  expect(row!.ip_key).toMatch(/^[A-Za-z0-9_-]{22}$/);
  return `ip:${row!.ip_key}`;
}

const HONEST = Array.from({ length: 8 }, (_, k) => `honest-${k}`);
const BOT_VOTES = 15;
const BOT_IP = "203.0.113.50";
const ROTATING_IP = "192.0.2.77";
let bot = "";
let rotating: string[] = [];

describe("anomalous voters", () => {
  it("flags a bot that always votes for the weaker model, not the honest crowd, and its votes leave the boards without a new vote", async () => {
    await registerModels(ALPHA, BRAVO);
    // 80 honest votes, ALPHA winning 78: two honest sessions pick BRAVO once.
    for (const [k, session] of HONEST.entries()) await seedSession(session, 10, (i) => k % 4 === 0 && i === 3);
    bot = await botVotesForBravo(BOT_VOTES, BOT_IP);

    // Published once before the test runs: every vote counts.
    await foldNewVotes(env.DB, { chunk: 1000, maxVotes: 10_000 });
    await publishLeaderboards(env);
    expect(await boardVotes()).toEqual({ index: 95, board: [95, 95], control: [95, 95] });

    // No new vote since: the cron flags the bot and must republish.
    const report = await runRankingCron(env);
    expect(report.fold.folded).toBe(0);
    // 8 honest sessions (seeded without an IP), the bot's session and the bot's IP.
    expect(report.anomaly).toMatchObject({ evaluated: 10, flipped: 2, behind: false });
    expect(report.publish.skipped).toBeUndefined();
    expect(report.publish.published).toContain("overall:default");
    expect(await boardVotes()).toEqual({ index: 80, board: [80, 80], control: [80, 80] });

    const flag = await flagOf(bot);
    expect(flag).toMatchObject({ flagged: 1, votes: BOT_VOTES });
    expect(flag!.p_value).toBeLessThan(0.001);
    expect(await flagOf(await ipVoterOf(bot))).toMatchObject({ flagged: 1, votes: BOT_VOTES });
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
      ipsTested: 1,
      ipsFlagged: 1,
      // Each vote once, though both its session and its IP are flagged.
      votesExcluded: BOT_VOTES,
      watermark: report.fold.watermark,
    });

    // The open dataset lists the bot's votes, and the boards without them are recomputed from the log exactly.
    const dataset = await expectLatestDatasetVerifies();
    expect(dataset.card.parameters.flaggedSeqs).toHaveLength(BOT_VOTES);

    // Nothing changed: the flag holds and the boards are not rewritten.
    const again = await runRankingCron(env);
    expect(again.anomaly.flipped).toBe(0);
    expect(again.publish.skipped).toBe("unchanged");
    expect((await flagOf(bot))!.changed_at).toBe(flag!.changed_at);
  });

  it("judges a bot that takes a new cookie every 9 votes on its IP's votes together", async () => {
    // Three sessions of 9 votes each: none reaches the test's minimum of 10 on its own.
    rotating = [];
    for (let k = 0; k < 3; k++) rotating.push(await botVotesForBravo(9, ROTATING_IP));
    const report = await runRankingCron(env, Date.now() + 1);
    // The three sessions and their IP, and the first bot's flagged session and IP again; the IP is the only new flag.
    expect(report.anomaly).toMatchObject({ evaluated: 6, flipped: 1, behind: false });
    for (const session of rotating) expect(await flagOf(session)).toMatchObject({ flagged: 0, votes: 9 });
    const ip = await ipVoterOf(rotating[0]!);
    for (const session of rotating) expect(await ipVoterOf(session)).toBe(ip);
    expect(await flagOf(ip)).toMatchObject({ flagged: 1, votes: 27 });
    // Its 27 votes leave the boards with the first bot's 15.
    expect(await boardVotes()).toEqual({ index: 80, board: [80, 80], control: [80, 80] });
    expect(await readAnomalySummary(env.LEADERBOARD)).toMatchObject({ sessionsTested: 9, sessionsFlagged: 1, ipsTested: 2, ipsFlagged: 2, votesExcluded: BOT_VOTES + 27 });
  });

  it("lifts the flags when the crowd's history makes the bots' votes ordinary, and they count again", async () => {
    const flaggedAt = (await flagOf(bot))!.changed_at;
    // 200 more honest votes, BRAVO winning them all: voting for BRAVO is no longer rare.
    for (let k = 0; k < 20; k++) await seedSession(`honest-late-${k}`, 10, () => true);
    const report = await runRankingCron(env, Date.now() + 2);
    // The bot's session and both IPs.
    expect(report.anomaly.flipped).toBe(3);

    const flag = await flagOf(bot);
    expect(flag).toMatchObject({ flagged: 0, votes: BOT_VOTES });
    expect(flag!.changed_at).toBeGreaterThan(flaggedAt);
    expect(await boardVotes()).toEqual({ index: 322, board: [322, 322], control: [322, 322] });
    expect(await readAnomalySummary(env.LEADERBOARD)).toMatchObject({ sessionsFlagged: 0, ipsFlagged: 0, votesExcluded: 0, sessionsTested: 29 });
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
    // Honest, the bot, the bot's IP, the rotating sessions and their IP, the late crowd, these six.
    expect(rows!.n).toBe(HONEST.length + 2 + 3 + 1 + 20 + 6);
  });
});
