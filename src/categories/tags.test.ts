import { describe, expect, it } from "vitest";
import { detectLanguage, tagsAtVote, tagsForFirstPrompt } from "./tags";
import { isCodingPrompt } from "./topics";

describe("category tags", () => {
  it("tags every battle overall, and programming prompts as coding", () => {
    expect(tagsForFirstPrompt("hi")).toEqual(["overall"]);
    expect(isCodingPrompt("How do I reverse a list in Python?")).toBe(true);
    expect(isCodingPrompt("Why does this fail?\n```\nconst x = 1;\n```")).toBe(true);
    expect(isCodingPrompt("What is a good name for a cat?")).toBe(false);
  });

  it("tags long queries at 500 tokens", () => {
    expect(tagsForFirstPrompt("word ".repeat(499))).not.toContain("long_query");
    expect(tagsForFirstPrompt("word ".repeat(500))).toContain("long_query");
  });

  it("tags the prompt's language when it can tell", () => {
    expect(detectLanguage("Quelle est la meilleure façon d'apprendre une nouvelle langue rapidement ?")).toBe("fra");
    expect(detectLanguage("Wie kann ich am besten eine neue Sprache lernen, wenn ich wenig Zeit habe?")).toBe("deu");
    expect(detectLanguage("What is the best way to learn a new language when you have little time?")).toBe("eng");
    expect(detectLanguage("ok")).toBe("und");
    expect(detectLanguage("写一首关于秋天的诗")).toBe("cmn");
    expect(detectLanguage("日本の首都はどこですか")).toBe("jpn");
    expect(detectLanguage("Как дела? Расскажи мне анекдот")).toBe("rus");
    // Too close to call between Portuguese and English: no tag rather than a wrong one.
    expect(detectLanguage("How do I make a good cup of coffee?")).toBe("und");
    expect(tagsForFirstPrompt("¿Cuál es la mejor manera de aprender un idioma nuevo rápidamente?")).toContain("lang:spa");
  });

  it("adds multi_turn at vote time for battles of more than one turn", () => {
    expect(tagsAtVote(["overall"], 1)).toEqual(["overall"]);
    expect(tagsAtVote(["overall"], 3)).toEqual(["overall", "multi_turn"]);
    expect(tagsAtVote(["overall", "multi_turn"], 3)).toEqual(["overall", "multi_turn"]);
  });
});
