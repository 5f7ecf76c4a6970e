/**
 * The cron step that runs the anomalous-voter test (src/integrity/anomaly.ts)
 * and keeps `voter_flags` up to date. It runs after the fold and before
 * publishing; the publisher leaves flagged voters' votes out (reason
 * `anomalous_voter`) by subtracting them, so flagging writes nothing but
 * `voter_flags` and is undone by writing it again.
 *
 * A voter is a session or an IP with all its sessions' votes together
 * (worker/integrity/voters.ts): a script that takes a fresh cookie every few
 * votes never gives one session enough votes to be judged, but its IP has
 * them all. Each family of verdicts is at level `alpha`, so an honest vote
 * is left out with probability at most 2·alpha (its session's test or its
 * IP's).
 *
 * Each run evaluates, up to `sessionsPerRun` voters:
 * - every currently flagged voter again, least recently evaluated first
 *   (at most half the budget), so a flag is lifted once the crowd's history
 *   makes the voter's votes ordinary;
 * - the voters with counted votes past this step's own watermark, in vote
 *   order; the watermark moves only past votes whose voters were all
 *   evaluated, the rest wait for the next run.
 * An IP voter is judged on its latest `IP_VOTES_MAX` counted votes. Votes
 * without a session or IP key are not judged under that voter. Verdicts use the history as of the
 * ranking watermark: the overall pair counts minus the flagged voters'
 * votes, and a voter's own votes are in that history unless they are left
 * out (their session or IP flagged).
 */
import { testVoter, type AnomalyOptions, type VoterVote } from "../../src/integrity/anomaly";
import { pairKey, subtractPairCounts, type PairCounts, type Vote } from "../../src/ranking";
import { configOf } from "../config";
import { arenaSecret, keyedHash } from "../keys";
import { currentWatermark } from "../leaderboard/fold";
import { KV_ANOMALY_SUMMARY } from "../leaderboard/kv-keys";
import { loadFlaggedContributions } from "./flagged-votes";
import { ipKeyOf, isIpVoter, selectFlaggedVotes, votersOf } from "./voters";

/** What `integrity:anomaly` in KV holds: the test's threshold and what it currently excludes. */
export interface AnomalySummary {
  alpha: number;
  minVotes: number;
  minPairHistory: number;
  /** ISO time of the run that wrote this. */
  evaluatedAt: string;
  /** Ranking watermark (last vote seq) the verdicts were computed at. */
  watermark: number;
  /** Sessions whose last verdict tested at least `minVotes` votes. */
  sessionsTested: number;
  /** Sessions currently flagged. */
  sessionsFlagged: number;
  /** IPs (all their sessions' votes together) whose last verdict tested at least `minVotes` votes. */
  ipsTested: number;
  /** IPs currently flagged. */
  ipsFlagged: number;
  /** Counted votes (at or under `watermark`) left out of the leaderboards because their session or IP is flagged. */
  votesExcluded: number;
}

export interface AnomalyReport {
  /** Voters (sessions and IPs) evaluated in this run. */
  evaluated: number;
  /** Voters whose flag was raised or lifted in this run. */
  flipped: number;
  /** Last vote seq whose voters have all been evaluated. */
  watermark: number;
  /** True when sessions with newer votes wait for the next run. */
  behind: boolean;
  summary: AnomalySummary;
}

/** ranking_state key of this step's own watermark. */
const STATE_KEY = "anomaly";
/** Votes scanned per query when looking for voters with new votes, and at most per run. */
const SCAN_PAGE = 5_000;
const SCAN_MAX = 100_000;
/** Sessions per query when loading votes or writing verdicts (one JSON parameter each). */
const SESSION_CHUNK = 200;
/** The most recent counted votes an IP is judged on: bounds one verdict's work behind a busy NAT. */
export const IP_VOTES_MAX = 5_000;

const SELECT_NEW_VOTES =
  "SELECT seq, session_id, ip_key FROM votes WHERE counted = 1 AND seq > ?1 AND seq <= ?2 AND (session_id IS NOT NULL OR ip_key IS NOT NULL) ORDER BY seq LIMIT ?3";
const VOTE_COLUMNS = "seq, session_id, ip_key, model_a, model_b, winner";
const SELECT_SESSION_VOTES = `SELECT ${VOTE_COLUMNS} FROM votes WHERE session_id IN (SELECT value FROM json_each(?1)) AND counted = 1 AND seq <= ?2`;
const SELECT_IP_VOTES = `SELECT ${VOTE_COLUMNS} FROM votes WHERE ip_key = ?1 AND counted = 1 AND seq <= ?2 ORDER BY seq DESC LIMIT ${IP_VOTES_MAX}`;

interface StoredVote {
  seq: number;
  session_id: string | null;
  ip_key: string | null;
  model_a: string;
  model_b: string;
  winner: Vote["winner"];
}
const UPSERT_VERDICTS = `
INSERT INTO voter_flags (session_id, flagged, p_value, votes, applied_seq, changed_at, evaluated_at)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, ?2, ?3, ?3 FROM json_each(?1) WHERE true
ON CONFLICT (session_id) DO UPDATE SET
  changed_at = CASE WHEN flagged = excluded.flagged THEN changed_at ELSE excluded.changed_at END,
  flagged = excluded.flagged, p_value = excluded.p_value, votes = excluded.votes,
  applied_seq = excluded.applied_seq, evaluated_at = excluded.evaluated_at`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Voters with counted votes in (from, to], in vote order, at most `budget`
 * of them, and the seq up to which every such vote's voters are included.
 */
async function votersWithNewVotes(d1: D1Database, from: number, to: number, budget: number): Promise<{ voters: Set<string>; through: number }> {
  const voters = new Set<string>();
  let after = from;
  for (let scanned = 0; scanned < SCAN_MAX; ) {
    const { results } = await d1.prepare(SELECT_NEW_VOTES).bind(after, to, SCAN_PAGE).all<{ seq: number; session_id: string | null; ip_key: string | null }>();
    for (const row of results) {
      const unseen = votersOf(row).filter((v) => !voters.has(v));
      if (voters.size + unseen.length > budget) return { voters, through: row.seq - 1 };
      for (const v of unseen) voters.add(v);
      after = row.seq;
    }
    if (results.length < SCAN_PAGE) return { voters, through: to };
    scanned += results.length;
  }
  return { voters, through: after };
}

/** The crowd's history: overall pair counts at the ranking watermark, flagged voters' votes taken out. */
async function loadHistory(d1: D1Database, watermark: number): Promise<{ history: Map<string, PairCounts>; flagged: Set<string> }> {
  const rows = (
    await d1
      .prepare("SELECT model_a AS modelA, model_b AS modelB, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad FROM pair_counts WHERE category = 'overall'")
      .all<PairCounts>()
  ).results;
  const flagged = await loadFlaggedContributions(d1, watermark, { style: false, category: "overall" });
  const pairs = subtractPairCounts(rows, flagged.categories.get("overall")?.pairs ?? new Map());
  return { history: new Map(pairs.map((p) => [pairKey(p.modelA, p.modelB), p])), flagged: new Set(flagged.voters) };
}

/** Each voter's counted votes at or under the watermark (an IP's latest IP_VOTES_MAX). */
async function loadVoterVotes(d1: D1Database, voters: readonly string[], watermark: number): Promise<Map<string, StoredVote[]>> {
  const votes = new Map<string, StoredVote[]>(voters.map((v) => [v, []]));
  const sessions = voters.filter((v) => !isIpVoter(v));
  const ips = voters.filter(isIpVoter);
  for (const chunk of chunks(sessions, SESSION_CHUNK)) {
    const { results } = await d1.prepare(SELECT_SESSION_VOTES).bind(JSON.stringify(chunk), watermark).all<StoredVote>();
    for (const r of results) votes.get(r.session_id!)!.push(r);
  }
  for (const chunk of chunks(ips, SESSION_CHUNK)) {
    const answers = await d1.batch<StoredVote>(chunk.map((ip) => d1.prepare(SELECT_IP_VOTES).bind(ipKeyOf(ip), watermark)));
    chunk.forEach((ip, k) => votes.set(ip, answers[k]!.results));
  }
  return votes;
}

async function summarise(d1: D1Database, options: AnomalyOptions, watermark: number, now: number): Promise<AnomalySummary> {
  const counts = await d1
    .prepare(
      `SELECT session_id LIKE 'ip:%' AS ip, count(*) FILTER (WHERE votes >= ?1) AS tested, coalesce(sum(flagged), 0) AS flagged
       FROM voter_flags GROUP BY session_id LIKE 'ip:%'`,
    )
    .bind(options.minVotes)
    .all<{ ip: number; tested: number; flagged: number }>();
  const excluded = await d1.prepare(selectFlaggedVotes("count(*) AS n")).bind(watermark).first<{ n: number }>();
  const of = (ip: number) => counts.results.find((r) => r.ip === ip);
  return {
    ...options,
    evaluatedAt: new Date(now).toISOString(),
    watermark,
    sessionsTested: of(0)?.tested ?? 0,
    sessionsFlagged: of(0)?.flagged ?? 0,
    ipsTested: of(1)?.tested ?? 0,
    ipsFlagged: of(1)?.flagged ?? 0,
    votesExcluded: excluded?.n ?? 0,
  };
}

/** Runs the anomaly test on this run's voters, stores their verdicts and the public summary. */
export async function evaluateAnomalousVoters(env: Env, now = Date.now()): Promise<AnomalyReport> {
  const d1 = env.DB;
  const { sessionsPerRun, ...options } = configOf(env).anomaly;
  const watermark = await currentWatermark(d1);
  const state = await d1.prepare("SELECT watermark FROM ranking_state WHERE key = ?").bind(STATE_KEY).first<{ watermark: number }>();

  const recheck = (
    await d1
      .prepare("SELECT session_id FROM voter_flags WHERE flagged = 1 ORDER BY evaluated_at, session_id LIMIT ?")
      .bind(Math.floor(sessionsPerRun / 2))
      .all<{ session_id: string }>()
  ).results.map((r) => r.session_id);
  const fresh = await votersWithNewVotes(d1, state?.watermark ?? 0, watermark, sessionsPerRun - recheck.length);
  const voters = [...new Set([...recheck, ...fresh.voters])];

  const { history, flagged } = await loadHistory(d1, watermark);
  // The randomisation's key (see voteUniform): derived from the arena's secret, stable across runs.
  const key = await keyedHash(arenaSecret(env), "anomaly", "uniform");
  const votes = await loadVoterVotes(d1, voters, watermark);
  const verdicts = voters.map((voter) => {
    // Votes of a flagged session or IP were taken out of the history above; anyone else's are still in it.
    const mine: VoterVote[] = votes.get(voter)!.map((v) => ({
      id: String(v.seq),
      modelA: v.model_a,
      modelB: v.model_b,
      winner: v.winner,
      inHistory: !votersOf(v).some((id) => flagged.has(id)),
    }));
    return { session: voter, wasFlagged: flagged.has(voter), ...testVoter(mine, history, options, key) };
  });

  await d1.batch([
    ...chunks(verdicts, SESSION_CHUNK).map((chunk) =>
      d1.prepare(UPSERT_VERDICTS).bind(JSON.stringify(chunk.map((v) => [v.session, v.flagged ? 1 : 0, v.pValue, v.tested])), watermark, now),
    ),
    d1
      .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?1, '{}', ?2) ON CONFLICT (key) DO UPDATE SET watermark = max(watermark, excluded.watermark)")
      .bind(STATE_KEY, fresh.through),
  ]);
  const summary = await summarise(d1, options, watermark, now);
  await env.LEADERBOARD.put(KV_ANOMALY_SUMMARY, JSON.stringify(summary));
  return {
    evaluated: voters.length,
    flipped: verdicts.filter((v) => v.flagged !== v.wasFlagged).length,
    watermark: fresh.through,
    behind: fresh.through < watermark,
    summary,
  };
}

/**
 * The last published summary of the anomaly test, or null before the first
 * run: for the public audit, which reads `voter_flags` itself for the rest.
 */
export async function readAnomalySummary(kv: KVNamespace): Promise<AnomalySummary | null> {
  return kv.get<AnomalySummary>(KV_ANOMALY_SUMMARY, "json");
}
