/**
 * What the offline demo models say. Each persona writes in its own style
 * (terse prose, heavy markdown, code, questions back, numbered steps), so a
 * local arena shows real differences to vote on and exercises the style
 * features. Answers are a pure function of persona, conversation and turn:
 * the same prompt always streams the same words.
 */
import { fnv1a } from "../../src/hash";

export const DEMO_PERSONAS = ["aster", "bramble", "cobalt", "dune", "ember"] as const;
export type DemoPersona = (typeof DEMO_PERSONAS)[number];

const STOPWORDS = new Set(
  "a an and are as at be but by can could do does for from has have how i if in into is it its me my of on or our please should so tell than that the their them then there these this to us was we what when where which who why will with would you your about write explain give make show".split(
    " ",
  ),
);

function pick<T>(options: readonly T[], seed: number, salt: number): T {
  return options[(seed + salt * 2654435761) % options.length >>> 0]!;
}

/** The prompt's most salient words, in order of first appearance. */
export function keywords(prompt: string, limit = 3): string[] {
  const seen = new Set<string>();
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  const ranked = words
    .filter((w) => w.length > 2 && !STOPWORDS.has(w))
    .filter((w) => (seen.has(w) ? false : (seen.add(w), true)));
  const top = [...ranked].sort((x, y) => y.length - x.length).slice(0, limit);
  return ranked.filter((w) => top.includes(w));
}

function topicOf(prompt: string): string {
  const words = keywords(prompt);
  return words.length > 0 ? words.join(" ") : "your question";
}

const OPENERS = ["Short answer:", "In brief:", "Here is the gist:", "Put simply:"];
const ANGLES = [
  "it comes down to trade-offs between simplicity and control",
  "the key is to start from what you need to be true at the end and work backwards",
  "most of the difficulty lies in the edge cases rather than the main path",
  "the usual approach works well until scale or ambiguity enters the picture",
];
const ADVICE = [
  "Start small, check each step, and only then generalise.",
  "Write down your assumptions first; most mistakes hide there.",
  "Compare two concrete options side by side before committing.",
  "Test the idea on one real example before relying on it.",
];

function aster(topic: string, seed: number, turn: number): string {
  const followUp = turn > 1 ? `Building on what we said before about ${topic}: ` : "";
  return `${followUp}${pick(OPENERS, seed, 1)} for ${topic}, ${pick(ANGLES, seed, 2)}. ${pick(ADVICE, seed, 3)}`;
}

function bramble(topic: string, seed: number, turn: number): string {
  const words = topic.split(" ");
  const points = words.map((w, i) => `- **${w}**: ${pick(ANGLES, seed, 10 + i)}.`).join("\n");
  return [
    `## ${turn > 1 ? "Continuing" : "Overview"}: ${topic}`,
    "",
    `Let's break **${topic}** down into its parts.`,
    "",
    "### Key points",
    points,
    "",
    "### Recommended steps",
    `1. ${pick(ADVICE, seed, 4)}`,
    `2. ${pick(ADVICE, seed, 5)}`,
    `3. Review the result against your original goal.`,
    "",
    `**Bottom line:** ${pick(ANGLES, seed, 6)}.`,
  ].join("\n");
}

function cobalt(topic: string, seed: number, turn: number): string {
  const name = topic.replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_|_$/g, "") || "task";
  const ident = /^\p{L}/u.test(name) ? name : `t_${name}`;
  return [
    `Here's a small, runnable sketch for ${topic}${turn > 1 ? " (revised)" : ""}:`,
    "",
    "```ts",
    `export function ${ident}(input: string[]): Map<string, number> {`,
    "  const counts = new Map<string, number>();",
    "  for (const item of input) counts.set(item, (counts.get(item) ?? 0) + 1);",
    "  return counts;",
    "}",
    "```",
    "",
    `It runs in linear time. ${pick(ADVICE, seed, 7)}`,
  ].join("\n");
}

function dune(topic: string, seed: number, turn: number): string {
  return [
    `Before answering on ${topic}, two questions shape the answer:`,
    "",
    `What outcome matters most to you here, and what constraints are fixed?`,
    "",
    `Assuming the common case, ${pick(ANGLES, seed, 8)}. ${turn > 1 ? "Given your follow-up, " : ""}${pick(ADVICE, seed, 9)}`,
  ].join("\n");
}

function ember(topic: string, seed: number, turn: number): string {
  const steps = [0, 1, 2].map((i) => `${i + 1}. ${pick(ADVICE, seed, 20 + i + turn)}`).join("\n");
  return `Steps for ${topic}:\n\n${steps}\n\nThat should cover it.`;
}

const WRITERS: Record<DemoPersona, (topic: string, seed: number, turn: number) => string> = {
  aster,
  bramble,
  cobalt,
  dune,
  ember,
};

/**
 * The full answer of `persona` to the latest user message.
 *
 * @example composeDemoAnswer("aster", ["How do I bake bread?"])
 */
export function composeDemoAnswer(persona: DemoPersona, userMessages: readonly string[]): string {
  const latest = userMessages.at(-1) ?? "";
  const turn = userMessages.length;
  return WRITERS[persona](topicOf(latest), fnv1a(`${persona}\u0000${latest}\u0000${turn}`), turn);
}

/** Splits text into streamable tokens: words with their trailing whitespace. */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
