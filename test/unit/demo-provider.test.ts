import { streamText } from "ai";
import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_TERMS, identityMatcher } from "../../src/battle/validity";
import { DEMO_PERSONAS, composeDemoAnswer } from "../../worker/providers/demo-answers";
import { DemoLanguageModel } from "../../worker/providers/demo";

async function stream(persona: (typeof DEMO_PERSONAS)[number], prompt: string, tokenDelayMs = 0) {
  const result = streamText({ model: new DemoLanguageModel(persona, { tokenDelayMs }), prompt });
  const deltas: string[] = [];
  for await (const part of result.stream) if (part.type === "text-delta") deltas.push(part.text);
  return { deltas, finishReason: await result.finishReason, usage: await result.usage };
}

describe("the offline demo provider", () => {
  it("streams its answer token by token through the AI SDK and finishes with stop", async () => {
    const { deltas, finishReason, usage } = await stream("aster", "How do I keep sourdough starter alive?");
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join("")).toBe(composeDemoAnswer("aster", ["How do I keep sourdough starter alive?"]));
    expect(finishReason).toBe("stop");
    expect(usage.outputTokens).toBe(deltas.length);
  });

  it("answers deterministically and differently per persona", () => {
    const prompt = ["Explain recursion to a child"];
    const answers = DEMO_PERSONAS.map((p) => composeDemoAnswer(p, prompt));
    expect(new Set(answers).size).toBe(DEMO_PERSONAS.length);
    expect(DEMO_PERSONAS.map((p) => composeDemoAnswer(p, prompt))).toEqual(answers);
    expect(composeDemoAnswer("aster", ["Explain recursion to a child", "And to an adult?"])).not.toBe(answers[0]);
  });

  it("never names a model maker, so demo votes can count", () => {
    const identity = identityMatcher(DEFAULT_IDENTITY_TERMS);
    for (const prompt of ["Write a haiku", "Compare Python and Rust for CLI tools", "¿Qué es la fotosíntesis?", ""]) {
      for (const persona of DEMO_PERSONAS) expect(identity.test(composeDemoAnswer(persona, [prompt])), `${persona}: ${prompt}`).toBe(false);
    }
  });

  it("stops promptly when aborted mid-stream", async () => {
    const abort = new AbortController();
    const result = streamText({ model: new DemoLanguageModel("bramble", { tokenDelayMs: 20 }), prompt: "Plan a trip", abortSignal: abort.signal, onError: () => {} });
    let received = 0;
    const started = Date.now();
    for await (const part of result.stream) {
      if (part.type === "text-delta" && ++received === 3) abort.abort();
      if (part.type === "abort") break;
    }
    expect(received).toBeLessThan(6);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
