/**
 * Vote rigging, simulated: the attack of Min et al., ICML 2025 ("Improving
 * Your Model Ranking on Chatbot Arena by Vote Rigging") against the arena's
 * own defences, to measure how many battles a bot needs to move a target
 * model up one place with and without them.
 *
 * The bot recognises models from their answers with a given accuracy and
 * votes for the target (target-only), also votes like the crowd elsewhere to
 * hide (camouflage), or also votes against the models just around the
 * target (omnipresent). The defences are the arena's real code: the caps of
 * quotas.ts (claims and refusal as the VoteQuota counters apply them), the
 * per-session and per-IP limits on turns and votes (fixed one-minute windows,
 * like the Workers rate-limit binding), the anomaly test of anomaly.ts with
 * the cron's history rule, and the Bradley-Terry ranking. A publication
 * happens every `publishEvery` counted bot votes (or every 2 % more, when
 * that is more, to bound the run time of long attacks), the anomaly test run
 * just before it, as the cron does; publishing that often is the attacker's
 * best case, since each test then sees the least evidence.
 */
import { battlePair, drawOutcome, type SimArena } from "./rigging-arena";
import { DEFAULT_ANOMALY_OPTIONS, testVoter, type AnomalyOptions, type VoterVote } from "./anomaly";
import { quotaClaims, refusalReason, utcDay, type VoteCaps } from "./quotas";
import { foldVote } from "../ranking/aggregate";
import { rankLeaderboard } from "../ranking/leaderboard";
import { createRandom, type Random } from "../ranking/random";
import type { PairCounts, Vote, VoteOutcome } from "../ranking/types";

export type BotMode = "target-only" | "camouflage" | "omnipresent";

export interface BotStrategy {
  mode: BotMode;
  /** Chance that the bot names the model behind one answer correctly (else it guesses another model). */
  accuracy: number;
  /** Votes per session before the bot takes a fresh cookie (Infinity: one session per IP). */
  rotateEvery: number;
  /** Client IPs the bot votes from, in parallel. */
  ips: number;
  /** Stops at the published daily caps (waits for the next UTC day, takes a new session) instead of voting into them. */
  capAware: boolean;
  /** Omnipresent: models within this many places of the target are voted against. */
  nearWindow: number;
}

export interface Defences {
  caps: VoteCaps | null;
  /** Turns and votes per minute, per session and per IP (both always apply). */
  rateLimits: { perSession: number; perIp: number } | null;
  anomaly: AnomalyOptions | null;
  /** The anomaly test also run on each IP's votes together, as the cron does (worker/integrity/voters.ts). */
  anomalyPerIp: boolean;
}

/** The defaults of worker/config.ts and wrangler.toml. */
export const ARENA_DEFENCES: Defences = {
  caps: { perSessionPerDay: 50, perIpPerDay: 200, perPrompt: 50 },
  rateLimits: { perSession: 20, perIp: 60 },
  anomaly: DEFAULT_ANOMALY_OPTIONS,
  anomalyPerIp: true,
};

export const NO_DEFENCES: Defences = { caps: null, rateLimits: null, anomaly: null, anomalyPerIp: false };

export interface AttackOptions {
  target: string;
  /** The bot gives up after this many battles. */
  maxBattles: number;
  /** Counted bot votes between publications, at least (see the module comment). */
  publishEvery: number;
  seed: number | string;
  /** When the attack starts (ms since the epoch); days are UTC days. */
  start: number;
}

export interface AttackResult {
  moved: boolean;
  /** Battles started (including those the bot left without voting). */
  battles: number;
  votesCast: number;
  /** Bot votes that counted when cast (within every cap). */
  countedVotes: number;
  /** Counted bot votes left out at the last publication because their session (or IP) was flagged. */
  excludedByFlag: number;
  sessions: number;
  sessionsFlagged: number;
  /** Sessions with at least `minVotes` tested votes at the last test. */
  sessionsJudged: number;
  ipsFlagged: number;
  /** Days from the first battle to the last, on the bot's clock. */
  days: number;
  startPosition: number;
  endPosition: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Fixed one-minute windows per key, as the limiter binding counts (approximately) at the edge. */
class MinuteWindows {
  private readonly counts = new Map<string, { window: number; n: number }>();

  private used(key: string, window: number): number {
    const c = this.counts.get(key);
    return c && c.window === window ? c.n : 0;
  }

  /** The earliest time ≥ t at which every key is under its limit; takes one unit of each then. */
  admit(keys: readonly [string, number][], t: number): number {
    for (;;) {
      const window = Math.floor(t / MINUTE);
      if (keys.every(([key, limit]) => this.used(key, window) < limit)) {
        for (const [key] of keys) this.counts.set(key, { window, n: this.used(key, window) + 1 });
        return t;
      }
      t = (window + 1) * MINUTE;
    }
  }
}

interface BotSession {
  ip: string;
  counted: (Vote & { id: string })[];
}

/** The key of the anomaly test's randomisation in the simulation; the bot does not know it, as in the arena. */
export const SIM_ANOMALY_KEY = "rigging-sim";

/** Model positions (0 = first) by rating in a published leaderboard. */
function positions(pairs: Iterable<PairCounts>): Map<string, number> {
  const rows = rankLeaderboard({ pairs: [...pairs] }).rows.slice().sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1));
  return new Map(rows.map((r, k) => [r.model, k]));
}

function cloneHistory(history: ReadonlyMap<string, PairCounts>): Map<string, PairCounts> {
  return new Map([...history].map(([k, row]) => [k, { ...row }]));
}

/** What the bot believes an answer's model is. */
function identify(rng: Random, truth: string, models: readonly string[], accuracy: number): string {
  if (rng.next() < accuracy) return truth;
  const k = Math.floor(rng.next() * (models.length - 1));
  const guess = models[k]!;
  return guess === truth ? models[models.length - 1]! : guess;
}

/** The bot's vote on a battle between the models it believes it sees, or null to leave it. */
function decide(
  rng: Random,
  strategy: BotStrategy,
  seen: { a: string; b: string },
  target: string,
  board: { position: ReadonlyMap<string, number>; rating: ReadonlyMap<string, number>; tieRate: number },
): VoteOutcome | null {
  const isA = seen.a === target;
  const isB = seen.b === target;
  if (isA || isB) return isA && isB ? (rng.next() < 0.5 ? "a" : "b") : isA ? "a" : "b";
  if (strategy.mode === "camouflage") return drawOutcome(rng, board.rating.get(seen.a)!, board.rating.get(seen.b)!, board.tieRate);
  if (strategy.mode === "omnipresent") {
    const t = board.position.get(target)!;
    const offset = (m: string): number => board.position.get(m)! - t;
    const above = (m: string): boolean => offset(m) < 0 && offset(m) >= -strategy.nearWindow;
    const below = (m: string): boolean => offset(m) > 0 && offset(m) <= strategy.nearWindow;
    // Pull down the models the target must pass first, then those that could pass it.
    if (above(seen.a) !== above(seen.b)) return above(seen.a) ? "b" : "a";
    if (above(seen.a)) return offset(seen.a) < offset(seen.b) ? "b" : "a";
    if (below(seen.a) !== below(seen.b)) return below(seen.a) ? "b" : "a";
  }
  return null;
}

/**
 * Runs one attack on `arena` until the target's published position improves
 * or `maxBattles` battles were played.
 */
export function simulateAttack(arena: SimArena, strategy: BotStrategy, defences: Defences, options: AttackOptions): AttackResult {
  const rng = createRandom(options.seed);
  const limits = new MinuteWindows();
  const quota = new Map<string, number>();
  const sessions = new Map<string, BotSession>();
  const flaggedSessions = new Set<string>();
  const flaggedIps = new Set<string>();
  const ips = Array.from({ length: strategy.ips }, (_, k) => ({ ip: `bot-ip-${k}`, clock: options.start, session: "", votes: 0 }));
  let sessionCount = 0;
  const rotate = (slot: (typeof ips)[number]): void => {
    slot.session = `bot-session-${sessionCount++}`;
    slot.votes = 0;
    sessions.set(slot.session, { ip: slot.ip, counted: [] });
  };
  ips.forEach(rotate);

  const initial = rankLeaderboard({ pairs: [...arena.history.values()] }).rows;
  const board = {
    position: positions(arena.history.values()),
    rating: new Map(initial.map((r) => [r.model, r.rating])),
    tieRate: arena.tieRate,
  };
  const startPosition = board.position.get(options.target)!;
  let position = startPosition;
  let battles = 0;
  let votesCast = 0;
  let countedVotes = 0;
  let excludedByFlag = 0;
  let sessionsJudged = 0;
  let nextPublication = options.publishEvery;

  const excluded = (s: string, ip: string): boolean => flaggedSessions.has(s) || flaggedIps.has(ip);
  const withBotVotes = (): Map<string, PairCounts> => {
    const pairs = cloneHistory(arena.history);
    for (const [s, record] of sessions) if (!excluded(s, record.ip)) for (const vote of record.counted) foldVote(pairs, vote);
    return pairs;
  };
  const publish = (): void => {
    if (defences.anomaly) {
      // As the cron: the history is everything counted minus the votes of voters flagged so far.
      const history = withBotVotes();
      const byIp = new Map<string, { vote: Vote & { id: string }; inHistory: boolean }[]>();
      sessionsJudged = 0;
      for (const [s, record] of sessions) {
        const inHistory = !excluded(s, record.ip);
        const mine = record.counted.map((v) => ({ ...v, inHistory }));
        const verdict = testVoter(mine, history, defences.anomaly, SIM_ANOMALY_KEY);
        if (verdict.tested >= defences.anomaly.minVotes) sessionsJudged++;
        if (verdict.flagged) flaggedSessions.add(s);
        else flaggedSessions.delete(s);
        const group = byIp.get(record.ip) ?? [];
        for (const vote of record.counted) group.push({ vote, inHistory });
        byIp.set(record.ip, group);
      }
      if (defences.anomalyPerIp) {
        for (const [ip, group] of byIp) {
          const verdict = testVoter(group.map(({ vote, inHistory }) => ({ ...vote, inHistory })), history, defences.anomaly, SIM_ANOMALY_KEY);
          if (verdict.flagged) flaggedIps.add(ip);
          else flaggedIps.delete(ip);
        }
      }
    }
    excludedByFlag = 0;
    for (const [s, record] of sessions) if (excluded(s, record.ip)) excludedByFlag += record.counted.length;
    position = positions(withBotVotes().values()).get(options.target)!;
  };

  while (battles < options.maxBattles && position >= startPosition) {
    // The IP whose clock is furthest behind plays next: the bot runs its IPs in parallel.
    const slot = ips.reduce((x, y) => (y.clock < x.clock ? y : x));
    const caps = defences.caps;
    if (strategy.capAware && caps) {
      const full = (prefix: string): boolean =>
        quotaClaims({ sessionId: slot.session, ipKey: slot.ip, promptHash: "" }, caps, slot.clock).some(
          (c) => c.key.startsWith(prefix) && (quota.get(c.key) ?? 0) >= c.limit,
        );
      const sessionFull = full("session:");
      // A bot that keeps one session waits for the next day; one that rotates takes a new cookie.
      if (full("ip:") || (sessionFull && !Number.isFinite(strategy.rotateEvery))) {
        slot.clock = Date.parse(`${utcDay(slot.clock)}T00:00:00Z`) + DAY;
        continue;
      }
      if (sessionFull) rotate(slot);
    }
    if (slot.votes >= strategy.rotateEvery) rotate(slot);
    const perMinute = (kind: string): [string, number][] =>
      defences.rateLimits ? [[`${kind}:session:${slot.session}`, defences.rateLimits.perSession], [`${kind}:ip:${slot.ip}`, defences.rateLimits.perIp]] : [];
    slot.clock = limits.admit(perMinute("turn"), slot.clock);
    battles++;
    const shown = battlePair(arena.models, rng);
    const seen = { a: identify(rng, shown.a, arena.models, strategy.accuracy), b: identify(rng, shown.b, arena.models, strategy.accuracy) };
    if (seen.a === seen.b) continue;
    const winner = decide(rng, strategy, seen, options.target, board);
    if (winner === null) continue;
    slot.clock = limits.admit(perMinute("vote"), slot.clock);
    votesCast++;
    slot.votes++;
    if (defences.caps) {
      // Each battle has its own prompt: the bot varies them, so the duplicate cap never binds.
      const claims = quotaClaims({ sessionId: slot.session, ipKey: slot.ip, promptHash: `bot-prompt-${battles}` }, defences.caps, slot.clock);
      const granted = claims.map((c) => {
        const n = quota.get(c.key) ?? 0;
        if (n >= c.limit) return false;
        quota.set(c.key, n + 1);
        return true;
      });
      if (refusalReason(claims, granted)) {
        claims.forEach((c, k) => granted[k] && quota.set(c.key, quota.get(c.key)! - 1));
        continue;
      }
    }
    sessions.get(slot.session)!.counted.push({ id: `bot-${battles}`, modelA: shown.a, modelB: shown.b, winner });
    countedVotes++;
    if (countedVotes >= nextPublication) {
      publish();
      nextPublication = Math.max(countedVotes + options.publishEvery, Math.ceil(countedVotes * 1.02));
    }
  }
  if (position >= startPosition) publish();
  const last = Math.max(...ips.map((s) => s.clock));
  return {
    moved: position < startPosition,
    battles,
    votesCast,
    countedVotes,
    excludedByFlag,
    sessions: sessions.size,
    sessionsFlagged: flaggedSessions.size,
    sessionsJudged,
    ipsFlagged: flaggedIps.size,
    days: (last - options.start) / DAY,
    startPosition,
    endPosition: position,
  };
}

/** Honest sessions (or IPs, grouping their sessions) flagged by the anomaly test against the honest history. */
export function honestFalsePositives(arena: SimArena, anomaly: AnomalyOptions, perIp: boolean): { judged: number; flagged: number } {
  const groups = new Map<string, VoterVote[]>();
  for (const s of arena.sessions) {
    const key = perIp ? s.ip : s.id;
    const votes = s.votes.map((v, k) => ({ ...v, id: `${s.id}:${k}`, inHistory: true }));
    groups.set(key, [...(groups.get(key) ?? []), ...votes]);
  }
  let judged = 0;
  let flagged = 0;
  for (const votes of groups.values()) {
    const verdict = testVoter(votes, arena.history, anomaly, SIM_ANOMALY_KEY);
    if (verdict.tested >= anomaly.minVotes) judged++;
    if (verdict.flagged) flagged++;
  }
  return { judged, flagged };
}
