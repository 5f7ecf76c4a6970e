import { describe, expect, it } from "vitest";
import { HARD_PROMPT_MIN_CRITERIA } from "./hard-prompts";
import { categoryGroup, categoryLabel, classifyPrompt, detectLanguage, tagsAtVote, tagsForFirstPrompt, tagsOf } from "./tags";
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

describe("task categories, hard prompts, fields and expert", () => {
  it("tags maths, creative writing and instruction following, in several languages", () => {
    expect(tagsForFirstPrompt("What's the probability of rolling two sixes?")).toContain("math");
    expect(tagsForFirstPrompt("Реши уравнение: 2x + 3 = 11")).toContain("math");
    expect(tagsForFirstPrompt("Write a poem about autumn")).toContain("creative_writing");
    expect(tagsForFirstPrompt("写一首关于秋天的诗")).toContain("creative_writing");
    expect(tagsForFirstPrompt("Analyse the themes of this poem by Keats")).not.toContain("creative_writing");
    expect(tagsForFirstPrompt("Summarise the French Revolution in exactly three bullet points.")).toContain("instruction_following");
    const everyday = tagsForFirstPrompt("What is the capital of Peru?");
    expect(everyday.filter((t) => t !== "overall" && !t.startsWith("lang:"))).toEqual([]);
  });

  it("does not take a story about a programmer, or the snake, for code", () => {
    expect(isCodingPrompt("Write a short story about a programmer who finds a strange bug")).toBe(false);
    expect(isCodingPrompt("How long can a python snake live in a zoo?")).toBe(false);
    expect(isCodingPrompt("How do I read a file line by line in Python?")).toBe(true);
  });

  it("marks a demanding professional question as hard and expert, in its field", () => {
    const prompt =
      "ED physician here. 58-year-old on apixaban 5 mg BID with CKD stage 3b (eGFR 38) and a creatinine of 1.6 mg/dL presents with a GI bleed. " +
      "Walk me through reversal options, when andexanet alfa is worth its cost versus 4F-PCC, how you would time restarting anticoagulation, " +
      "and which guideline you would cite for each step? Be precise about doses.";
    const classification = classifyPrompt(prompt);
    expect(classification.fields).toContain("medicine");
    expect(classification.criteria.length).toBeGreaterThanOrEqual(HARD_PROMPT_MIN_CRITERIA);
    const tags = tagsOf(classification, prompt);
    expect(tags).toEqual(expect.arrayContaining(["hard_prompts", "field:medicine", "expert"]));
    expect(classifyPrompt("hi").criteria).toEqual([]);
    expect(classifyPrompt("A poem about taxes, please").fields).not.toContain("accounting");
  });

  it("tags a battle in another arena with its arena only, so the text boards stay text-only", () => {
    expect(tagsForFirstPrompt("a red fox in the snow, oil painting", "text-to-image")).toEqual(["arena:text-to-image"]);
    expect(tagsForFirstPrompt("a todo app", "webdev")).toEqual(["arena:webdev"]);
    expect(categoryGroup("arena:vision")).toBe("arena");
    expect(categoryGroup("field:law")).toBe("field");
    expect(categoryGroup("expert")).toBe("field");
    expect(categoryGroup("lang:deu")).toBe("language");
    expect(categoryGroup("math")).toBe("category");
    expect(categoryLabel("field:business_finance")).toBe("Business and finance");
    expect(categoryLabel("arena:webdev")).toBe("WebDev arena");
  });
});
