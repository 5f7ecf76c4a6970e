/**
 * Provider faults on both sides at once, and malformed stream chunks: the
 * battle ends cleanly (every side settles, the stream ends with `end`), the
 * vote is stored, and it does not count. One-sided HTTP errors, cuts and
 * stalls are in battle.errors.test.ts; D1 failing during a vote in
 * battle.outbox.test.ts; a crash mid-stream in battle.rules.test.ts; the
 * cron failing mid-way in ranking-cron.test.ts; a failing webhook consumer
 * in webhook-delivery.test.ts.
 */
import { describe, expect, it } from "vitest";
import { SIDE_ERROR_CODES, type VoteResponse } from "../../src/wire";
import { BRAVO, registerModels, startBattle, vote, type FakeModel } from "./helpers";

const model = (behaviour: string, provider: FakeModel["provider"]): FakeModel => ({
  id: `fault-${behaviour}-${provider}`,
  name: `Fault ${provider}`,
  organization: "Fault Labs",
  provider,
  behaviour,
});

describe("faults on both sides", () => {
  for (const [behaviour, code] of [
    ["error-500", "provider_error"],
    ["error-429-retry-after", "rate_limited"],
    ["cut", "stream_interrupted"],
    ["stall", "timeout"],
    ["malformed", "stream_interrupted"],
  ] as const) {
    it(`${behaviour} on both sides: both fail with ${code}, the stream still ends, and the vote is stored but not counted`, async () => {
      await registerModels(model(behaviour, "openai"), model(behaviour, "google"));
      const played = await startBattle({ mode: "anonymous", prompt: `Both sides fail: ${behaviour}` });
      const errors = played.events.filter((e) => e.type === "error");
      expect(errors.map((e) => e.side).sort()).toEqual(["a", "b"]);
      for (const error of errors) expect(error).toMatchObject({ code });
      expect(played.events.some((e) => e.type === "done")).toBe(false);
      expect(played.events.at(-1)).toMatchObject({ type: "end", battleId: played.battleId });
      const response = await vote(played.battleId, "tie");
      expect(response.status).toBe(200);
      expect((await response.json()) as VoteResponse).toMatchObject({ counted: false, reason: "side_error" });
    });
  }
});

describe("malformed stream chunks", () => {
  for (const provider of ["openai", "google"] as const) {
    it(`a ${provider} stream that turns to garbage fails its side with a public code, keeps what arrived, and the other side finishes`, async () => {
      await registerModels(model("malformed", provider), BRAVO);
      const played = await startBattle({ mode: "anonymous", prompt: `Malformed from ${provider}` });
      const error = played.events.find((e) => e.type === "error");
      expect(error).toBeDefined();
      expect(SIDE_ERROR_CODES).toContain(error!.type === "error" ? error!.code : "");
      const healthy = error!.type === "error" && error!.side === "a" ? "b" : "a";
      expect(played.events.find((e) => e.type === "done")).toMatchObject({ side: healthy });
      expect(played.text[healthy]).toContain("Here is my answer");
      expect(played.events.at(-1)?.type).toBe("end");
      // Nothing of the provider's parse error reaches the user.
      expect(played.raw).not.toMatch(/JSON|Unexpected|SyntaxError|candidates/);
    });
  }
});
