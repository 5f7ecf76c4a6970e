/**
 * Failure modes of real providers: HTTP errors before the first chunk, a
 * stream cut mid-way, a stall past the timeout, an empty answer, and a model
 * that names its maker. The other side always finishes; the vote is stored
 * but does not count, with the reason.
 */
import { describe, expect, it } from "vitest";
import type { BattleStreamEvent, VoteResponse } from "../../src/wire";
import { BRAVO, registerModels, startBattle, vote, type FakeModel } from "./helpers";

function failing(behaviour: string, provider: FakeModel["provider"] = "openai"): FakeModel {
  return { id: `fail-${behaviour}-${provider}`, name: "Broken Model", organization: "Failing Labs", provider, behaviour };
}

function sideEvents(events: BattleStreamEvent[], side: "a" | "b") {
  return events.filter((e) => "side" in e && e.side === side);
}

async function battleWithFailingSide(model: FakeModel) {
  await registerModels(model, BRAVO);
  const turn = await startBattle({ mode: "anonymous", prompt: "Explain rainbows briefly." });
  const reveal = (await (await vote(turn.battleId, "a")).json()) as VoteResponse;
  const failingSide = reveal.models.a.id === model.id ? "a" : "b";
  const healthySide = failingSide === "a" ? "b" : "a";
  return { turn, reveal, failingSide, healthySide } as const;
}

describe("a side that fails", () => {
  for (const [behaviour, code, provider] of [
    ["error-500", "provider_error", "openai"],
    ["error-429", "rate_limited", "openai"],
    ["error-500", "provider_error", "google"],
    ["error-429", "rate_limited", "google"],
    ["cut", "stream_interrupted", "openai"],
    ["cut", "stream_interrupted", "google"],
    ["stall", "timeout", "openai"],
    ["stall", "timeout", "google"],
  ] as const) {
    it(`reports ${code} for ${behaviour} from ${provider}, while the other side finishes and the vote does not count`, async () => {
      const { turn, reveal, failingSide, healthySide } = await battleWithFailingSide(failing(behaviour, provider));
      const failed = sideEvents(turn.events, failingSide);
      expect(failed.at(-1)).toMatchObject({ type: "error", side: failingSide, code });
      expect(failed.some((e) => e.type === "done")).toBe(false);
      expect(sideEvents(turn.events, healthySide).at(-1)).toMatchObject({ type: "done", finishReason: "stop" });
      expect(turn.text[healthySide]).toContain("Here is my answer");
      expect(turn.events.at(-1)?.type).toBe("end");
      expect(reveal).toMatchObject({ counted: false, reason: "side_error" });
    });
  }

  it("lets an answer run past the stall limit as long as it never falls silent that long", async () => {
    const steady: FakeModel = { id: "steady-writer", name: "Steady Writer", organization: "Even Pace", provider: "openai", behaviour: "steady-writer" };
    await registerModels(steady, BRAVO);
    const turn = await startBattle({ mode: "anonymous", prompt: "Count to ten, slowly." });
    const reveal = (await (await vote(turn.battleId, "a")).json()) as VoteResponse;
    const side = reveal.models.a.id === steady.id ? "a" : "b";
    expect(sideEvents(turn.events, side).at(-1)).toMatchObject({ type: "done", side, finishReason: "stop" });
    expect(turn.text[side]).toBe(Array.from({ length: 10 }, (_, i) => `part ${i + 1} `).join(""));
  });

  it("keeps the text streamed before a cut", async () => {
    const { turn, failingSide } = await battleWithFailingSide(failing("cut"));
    expect(turn.text[failingSide]).toBe("Here is my answer ");
  });

  it("does not count a vote on an empty answer", async () => {
    const { reveal } = await battleWithFailingSide(failing("empty"));
    expect(reveal).toMatchObject({ counted: false, reason: "empty_response" });
  });

  it("does not count a vote when an answer reveals its maker", async () => {
    const { turn, reveal, failingSide } = await battleWithFailingSide(failing("identity"));
    expect(turn.text[failingSide]).toContain("OpenAI");
    expect(reveal).toMatchObject({ counted: false, reason: "identity_revealed" });
  });
});
