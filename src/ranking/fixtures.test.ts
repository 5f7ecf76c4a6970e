import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { foldVote } from "./aggregate";
import { rankLeaderboard, RATING_SCALE } from "./leaderboard";
import type { Leaderboard, PairCounts, VoteOutcome } from "./types";

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);
const WINNERS: Record<string, VoteOutcome> = { model_a: "a", model_b: "b", tie: "tie", "tie (bothbad)": "bothbad" };

function chatbotArenaPairs(): PairCounts[] {
  const raw = JSON.parse(readFileSync(new URL("chatbot-arena-20240814/chatbotarena_20240814.json", FIXTURES), "utf8")) as {
    models: string[];
    X: [number, number][];
    Y: number[][];
  };
  return raw.X.map(([i, j], k) => {
    const [winsA, winsB, ties, bothBad] = raw.Y[k]!;
    return { modelA: raw.models[i]!, modelB: raw.models[j]!, winsA: winsA!, winsB: winsB!, ties: ties!, bothBad: bothBad! };
  });
}

function genAiArenaPairs(): PairCounts[] {
  const battles = JSON.parse(readFileSync(new URL("genai-arena-20240220/clean_battle_20240220.json", FIXTURES), "utf8")) as {
    model_a: string;
    model_b: string;
    winner: string;
    anony: boolean;
  }[];
  const counts = new Map<string, PairCounts>();
  for (const b of battles) {
    if (b.anony) foldVote(counts, { modelA: b.model_a, modelB: b.model_b, winner: WINNERS[b.winner]! });
  }
  return [...counts.values()];
}

const position = (board: Leaderboard, model: string) => board.rows.findIndex((r) => r.model === model);

describe("GenAI-Arena 2024-02-20 (anonymous battles)", () => {
  const board = rankLeaderboard({ pairs: genAiArenaPairs() });

  it("has two components, generation and editing, each centred on 1000", () => {
    expect(board.meta.components).toBe(2);
    expect(board.meta.totalBattles).toBe(1515);
    expect(board.meta.warnings[0]).toMatch(/2 connected components/);
    const components = new Map<number, string[]>();
    for (const row of board.rows) components.set(row.component, [...(components.get(row.component) ?? []), row.model]);
    const groups = [...components.values()].map((models) => new Set(models.map((m) => m.split("_").at(-1))));
    expect(groups.map((g) => [...g].sort())).toEqual(expect.arrayContaining([["edition"], ["generation"]]));
    for (const models of components.values()) {
      const ratings = board.rows.filter((r) => models.includes(r.model)).map((r) => r.rating);
      expect(ratings.reduce((s, r) => s + r, 0) / ratings.length).toBeCloseTo(1000, 9);
    }
  });

  it("ranks PlayGroundV2 first among generation models, LCM last", () => {
    const generation = board.rows.filter((r) => r.model.endsWith("_generation"));
    expect(generation[0]!.model).toBe("imagenhub_PlayGroundV2_generation");
    expect(generation.at(-1)!.model).toBe("imagenhub_LCM_generation");
    expect(board.meta.gradientNorm).toBeLessThanOrEqual(1e-9);
  });
});

describe("Chatbot Arena 2024-08-14 (129 models, 1.67M battles)", () => {
  const pairs = chatbotArenaPairs();
  const board = rankLeaderboard({ pairs });

  it("converges to a gradient norm ≤ 1e-9 in a few Newton steps", () => {
    expect(board.meta.gradientNorm).toBeLessThanOrEqual(1e-9);
    expect(board.meta.iterations).toBeLessThan(15);
    expect(board.meta.totalBattles).toBe(1_670_250);
    expect(board.meta.models).toBe(129);
    expect(board.meta.components).toBe(1);
  });

  it("agrees with an independent fit, Zermelo's fixed point (Hunter's MM), to 1e-8 points", () => {
    // MM update p_i ← W_i / Σ_j n_ij/(p_i + p_j) on strengths p = e^β, ties as
    // half-wins; run until no log-strength moves by more than 1e-13.
    const models = board.rows.map((r) => r.model);
    const index = new Map(models.map((m, k) => [m, k]));
    const won = new Float64Array(models.length);
    for (const p of pairs) {
      won[index.get(p.modelA)!]! += p.winsA + (p.ties + p.bothBad) / 2;
      won[index.get(p.modelB)!]! += p.winsB + (p.ties + p.bothBad) / 2;
    }
    let strength = new Float64Array(models.length).fill(1);
    for (let iteration = 0; iteration < 10_000; iteration++) {
      const denominator = new Float64Array(models.length);
      for (const p of pairs) {
        const i = index.get(p.modelA)!;
        const j = index.get(p.modelB)!;
        const share = (p.winsA + p.winsB + p.ties + p.bothBad) / (strength[i]! + strength[j]!);
        denominator[i]! += share;
        denominator[j]! += share;
      }
      const logs = [...won].map((w, k) => Math.log(w / denominator[k]!));
      const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
      const next = Float64Array.from(logs, (x) => Math.exp(x - mean));
      const change = Math.max(...next.map((x, k) => Math.abs(Math.log(x / strength[k]!))));
      strength = next;
      if (change < 1e-13) break;
    }
    board.rows.forEach((row, k) => {
      expect(Math.abs(row.rating - (1000 + RATING_SCALE * Math.log(strength[k]!)))).toBeLessThan(1e-8);
    });
  });

  it("orders well-known models as the August 2024 leaderboard did", () => {
    expect(board.rows[0]!.model).toBe("chatgpt-4o-latest");
    const order = ["gpt-4o-2024-05-13", "claude-3-5-sonnet-20240620", "claude-3-opus-20240229", "gpt-3.5-turbo-0125", "llama-13b"];
    const positions = order.map((m) => position(board, m));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(board.rows.at(-1)!.rating).toBeLessThan(750);
  });

  it("gives tight sandwich intervals to heavily voted models and a rank 1 to the leader alone", () => {
    const gpt4o = board.rows[position(board, "gpt-4o-2024-05-13")]!;
    expect(gpt4o.upper! - gpt4o.lower!).toBeLessThan(6);
    expect(board.rows.filter((r) => r.rank === 1).map((r) => r.model)).toEqual(["chatgpt-4o-latest"]);
    for (const row of board.rows) expect(row.lower! < row.rating && row.rating < row.upper!).toBe(true);
  });

  it("bootstrap intervals agree with the sandwich ones to within a third of their width", () => {
    const boot = rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 200, seed: 1 });
    expect(boot.meta.rounds).toBe(200);
    const widths = (b: Leaderboard) => Object.fromEntries(b.rows.map((r) => [r.model, r.upper! - r.lower!]));
    const s = widths(board);
    const w = widths(boot);
    const ratios = Object.keys(s).map((m) => w[m]! / s[m]!);
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    expect(median).toBeGreaterThan(0.85);
    expect(median).toBeLessThan(1.15);
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(1 / 3);
  });
});
