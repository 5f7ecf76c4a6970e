/**
 * The optional LLM judge of prompt categories, through the real queue: the
 * judge model (on the fake provider server, speaking OpenAI's API with
 * structured output) classifies each new text battle's prompt, and its tags
 * replace the heuristic ones in the vote's record, unless the vote came first.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BattleSession } from "../../worker/battle/battle-session";
import { ALPHA, BRAVO, d1Rows, registerModels, startBattle, vote, type FakeModel } from "../worker/helpers";

const judge = (behaviour: string): FakeModel => ({ id: "category-judge", name: "Judge", organization: "Arena", provider: "openai", behaviour, arenas: [] });

function battleStub(battleId: string) {
  return env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));
}

async function liveCategories(battleId: string): Promise<{ categories: string[]; judgedBy?: string }> {
  return runInDurableObject(battleStub(battleId), (instance: BattleSession) => {
    const init = (instance as unknown as { init: { categories: string[]; judgedBy?: string } }).init;
    return { categories: init.categories, judgedBy: init.judgedBy };
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function voteCategories(battleId: string): Promise<string[]> {
  const rows = await until(() => d1Rows<{ categories: string }>("SELECT categories FROM votes WHERE battle_id = ?", battleId), (r) => r.length > 0);
  return JSON.parse(rows[0]!.categories) as string[];
}

describe("the category judge", () => {
  it("replaces the heuristic tags of a new text battle with its own, and the vote records them", async () => {
    await registerModels(ALPHA, BRAVO, judge("judge-expert-math"));
    const played = await startBattle({ mode: "anonymous", prompt: "hello there, how are you today?" });
    const live = await until(() => liveCategories(played.battleId), (c) => c.judgedBy !== undefined);
    expect(live.judgedBy).toBe("category-judge");
    expect(live.categories).toEqual(expect.arrayContaining(["overall", "math", "field:science", "hard_prompts", "expert"]));
    expect((await vote(played.battleId, "a")).status).toBe(200);
    expect(await voteCategories(played.battleId)).toEqual(expect.arrayContaining(["math", "expert", "hard_prompts"]));
  });

  it("a judge answer outside the allowed labels, or not JSON, is refused and the heuristic tags stand", async () => {
    for (const behaviour of ["judge-made-up-tag", "judge-not-json"]) {
      await registerModels(ALPHA, BRAVO, judge(behaviour));
      const played = await startBattle({ mode: "anonymous", prompt: `Write a haiku about the sea (${behaviour})` });
      // Give the queue time to deliver and retry.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const live = await liveCategories(played.battleId);
      expect(live.judgedBy).toBeUndefined();
      expect(live.categories).toContain("creative_writing");
      expect(live.categories).not.toContain("astrology");
    }
  });

  it("a judgement that arrives after the vote is not used: the vote's tags are fixed", async () => {
    await registerModels(ALPHA, BRAVO, judge("judge-not-json"));
    const played = await startBattle({ mode: "anonymous", prompt: "What is the capital of France?" });
    expect((await vote(played.battleId, "b")).status).toBe(200);
    expect(await battleStub(played.battleId).judged(["overall", "math"], "category-judge")).toBe(false);
    expect(await voteCategories(played.battleId)).not.toContain("math");
  });
});
