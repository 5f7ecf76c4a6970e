import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_TERMS, identityMatcher, judgeVote, VOTE_EXCLUSION_REASONS, type SideOutcome } from "./validity";

const identity = identityMatcher(DEFAULT_IDENTITY_TERMS);
const ok: SideOutcome = { answers: ["A fine answer."], errored: false };

describe("vote validity", () => {
  it("counts an anonymous vote on two clean answers", () => {
    expect(judgeVote({ mode: "anonymous", sides: { a: ok, b: ok }, identity })).toEqual({ counted: true });
  });

  it("never counts side-by-side or direct votes", () => {
    for (const mode of ["side-by-side", "direct"] as const) {
      expect(judgeVote({ mode, sides: { a: ok, b: ok }, identity })).toEqual({ counted: false, reason: "not_anonymous" });
    }
  });

  it("does not count when a side errored, even with text", () => {
    const errored = { answers: ["partial"], errored: true };
    expect(judgeVote({ mode: "anonymous", sides: { a: ok, b: errored }, identity }).reason).toBe("side_error");
  });

  it("does not count when a side's answers are all blank", () => {
    const empty = { answers: ["  ", ""], errored: false };
    expect(judgeVote({ mode: "anonymous", sides: { a: empty, b: ok }, identity }).reason).toBe("empty_response");
  });

  it("does not count when any turn's answer names a maker or model family", () => {
    for (const leak of ["I'm ChatGPT.", "As a model by OpenAI", "I am Claude", "Built on Llama3", "GPT-4o here", "qwen2.5 says hi", "I'm from Google DeepMind"]) {
      const leaky = { answers: ["fine", leak], errored: false };
      expect(judgeVote({ mode: "anonymous", sides: { a: ok, b: leaky }, identity }).reason, leak).toBe("identity_revealed");
    }
  });

  it("matches whole words only, so ordinary words that contain a term do not exclude a vote", () => {
    for (const innocent of ["The gptx format", "a llamas' farm", "Groking is not a word", "metadata", "Glamour"]) {
      expect(identity.test(innocent), innocent).toBe(false);
    }
  });

  it("reports mode before failures and failures before identity", () => {
    const leaky = { answers: ["I am Claude"], errored: true };
    expect(judgeVote({ mode: "side-by-side", sides: { a: leaky, b: ok }, identity }).reason).toBe("not_anonymous");
    expect(judgeVote({ mode: "anonymous", sides: { a: leaky, b: ok }, identity }).reason).toBe("side_error");
  });

  it("keeps the reasons an enumerated, stable set", () => {
    expect(VOTE_EXCLUSION_REASONS).toEqual([
      "not_anonymous",
      "side_error",
      "empty_response",
      "identity_revealed",
      "vote_cap",
      "duplicate_prompt",
      "anomalous_voter",
      "identity_reported",
    ]);
  });

  it("accepts extra terms and ignores blank ones", () => {
    const custom = identityMatcher(["", " ", "Falcon"]);
    expect(custom.test("I am falcon")).toBe(true);
    expect(custom.test("")).toBe(false);
  });
});
