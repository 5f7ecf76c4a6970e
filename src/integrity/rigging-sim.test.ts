import { describe, expect, it } from "vitest";
import { buildArena, type ArenaOptions } from "./rigging-arena";
import { ARENA_DEFENCES, honestFalsePositives, NO_DEFENCES, simulateAttack, type BotStrategy } from "./rigging-sim";
import { createRandom } from "../ranking/random";
import { simulatePairCounts, spreadRatings } from "../ranking/simulate";

// A tiny real-looking source: 8 models 400 points apart end to end, 300 battles per pair.
const source = simulatePairCounts(createRandom("source"), spreadRatings(8, 200), () => 300, 0.3);
const arenaOptions: ArenaOptions = {
  models: 8,
  historyScale: 1,
  honestSessions: 300,
  meanExtraVotes: 10,
  minSessionVotes: 10,
  honestSpread: 0,
  sessionsPerIp: 3,
  seed: 7,
};
const arena = buildArena(source, arenaOptions);
const target = arena.models[4]!;
const bot: BotStrategy = { mode: "target-only", accuracy: 0.95, rotateEvery: Infinity, ips: 1, capAware: false, nearWindow: 2 };
const attack = { target, maxBattles: 20_000, publishEvery: 5, seed: "bot", start: Date.parse("2026-12-01T00:00:00Z") };

describe("rigging simulation", () => {
  it("builds the same arena and the same attack from the same seeds", () => {
    const again = buildArena(source, arenaOptions);
    expect([...again.history.values()]).toEqual([...arena.history.values()]);
    expect(again.sessions).toEqual(arena.sessions);
    expect(simulateAttack(again, bot, NO_DEFENCES, attack)).toEqual(simulateAttack(arena, bot, NO_DEFENCES, attack));
    const other = simulateAttack(arena, bot, NO_DEFENCES, { ...attack, seed: "another bot" });
    expect(other.battles).not.toBe(simulateAttack(arena, bot, NO_DEFENCES, attack).battles);
  });

  it("ranks the arena's models by the strengths fitted on the source", () => {
    expect(arena.models).toEqual(["m000", "m001", "m002", "m003", "m004", "m005", "m006", "m007"]);
  });

  it("a bot without defences moves the target up with votes for it alone", () => {
    const result = simulateAttack(arena, bot, NO_DEFENCES, attack);
    expect(result.moved).toBe(true);
    expect(result.endPosition).toBe(result.startPosition - 1);
    expect(result.countedVotes).toBe(result.votesCast);
    expect(result.battles).toBeGreaterThan(result.votesCast);
  });

  it("counts no more than the session cap per UTC day and keeps the rate limits", () => {
    const defences = { ...ARENA_DEFENCES, anomaly: null };
    const result = simulateAttack(arena, bot, defences, { ...attack, maxBattles: 3_000 });
    const days = Math.floor(result.days) + 1;
    expect(result.countedVotes).toBeLessThanOrEqual(50 * days);
    expect(result.countedVotes).toBeGreaterThan(0);
    expect(result.votesCast).toBeGreaterThan(result.countedVotes);
    // 20 turns a minute for one session: 3,000 battles take at least 149 minutes.
    expect(result.days * 24 * 60).toBeGreaterThanOrEqual(149);
  });

  it("a bot that respects the caps waits for new days instead of losing votes", () => {
    const defences = { ...ARENA_DEFENCES, anomaly: null };
    const result = simulateAttack(arena, { ...bot, capAware: true }, defences, { ...attack, maxBattles: 3_000 });
    expect(result.countedVotes).toBe(result.votesCast);
    expect(result.days).toBeGreaterThanOrEqual(Math.floor(result.countedVotes / 50) - 1);
  });

  it("flags a bot that always votes for the weakest model and stops counting its votes", () => {
    const weakest = arena.models.at(-1)!;
    const result = simulateAttack(arena, bot, ARENA_DEFENCES, { ...attack, target: weakest, maxBattles: 2_000 });
    expect(result.sessionsFlagged).toBe(1);
    expect(result.excludedByFlag).toBe(result.countedVotes);
    expect(result.moved).toBe(false);
  });

  it("flags under 1 % of honest sessions that vote like the crowd", () => {
    // The test is exact at alpha (0.1 %), so a flag or two among ~300 sessions is chance, not bias.
    const verdicts = honestFalsePositives(arena, ARENA_DEFENCES.anomaly!, false);
    expect(verdicts.judged).toBeGreaterThan(250);
    expect(verdicts.flagged / verdicts.judged).toBeLessThan(0.01);
  });
});
