/**
 * Category tags of a battle. Tags are plain strings stored with the battle
 * and its vote; the ranking pipeline ranks any tag it finds, so a new
 * category is a new tag here and needs no change downstream.
 *
 * Text battles are tagged `overall` plus their categories; a battle in
 * another arena is tagged with its arena only (`arena:vision`), so each arena
 * gets its own board and the text categories stay text-only.
 */
import { francAll } from "franc-min";
import { approximateTokens } from "../battle/style";
import type { CategoryGroup, Modality } from "../wire";
import { FIELDS, fieldsOf, jargonIn, PROFESSIONAL_ROLE, type Field } from "./fields";
import { HARD_CRITERIA, HARD_PROMPT_MIN_CRITERIA, hardCriteriaOf, type HardCriterion } from "./hard-prompts";
import { isCodingPrompt, isCreativeWritingPrompt, isInstructionFollowingPrompt, isMathPrompt } from "./topics";

/** Prompts of at least this many tokens are "long queries" (LMArena's threshold). */
export const LONG_QUERY_TOKENS = 500;

/** Languages the detector may answer; restricting it avoids rare-language false hits on short text. */
const DETECTABLE_LANGUAGES = [
  "eng", "cmn", "spa", "fra", "deu", "rus", "jpn", "kor", "por", "ita", "arb", "hin", "ben", "vie", "tur", "pol", "nld", "ukr", "ind", "pes", "tha",
];
/** Trigram scores are relative to the best (1.0); a runner-up above this is too close to call. */
const RUNNER_UP_MAX = 0.9;

/**
 * The prompt's language as an ISO 639-3 code, or "und" when it cannot be
 * told with confidence. Scripts that identify a language outright (kana,
 * hangul, han) decide first; otherwise franc-min's trigram profiles, limited
 * to widely used languages, must beat the runner-up clearly. Short prompts
 * are ambiguous to trigram models, so the rule prefers "und" to a wrong tag.
 */
export function detectLanguage(prompt: string): string {
  const text = prompt.replace(/```[\s\S]*?```/g, " ");
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return "jpn";
  if (/\p{Script=Hangul}/u.test(text)) return "kor";
  if (/\p{Script=Han}/u.test(text)) return "cmn";
  if (text.replace(/\s+/g, "").length < 20) return "und";
  const [best, second] = francAll(text, { minLength: 20, only: DETECTABLE_LANGUAGES });
  if (!best || best[0] === "und") return "und";
  if (second && second[1] > RUNNER_UP_MAX) return "und";
  return best[0];
}

export const TASK_CATEGORIES = ["coding", "math", "creative_writing", "instruction_following"] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

/**
 * What is known about a prompt, from the heuristics or from the judge: the
 * same shape either way, so either can be turned into tags by {@link tagsOf}.
 */
export interface PromptClassification {
  categories: TaskCategory[];
  fields: Field[];
  criteria: HardCriterion[];
  expert: boolean;
}

/**
 * The heuristic classification of a prompt (the always-on tier).
 *
 * @example classifyPrompt("Write a haiku about rain").categories // ["creative_writing"]
 */
export function classifyPrompt(prompt: string): PromptClassification {
  const coding = isCodingPrompt(prompt);
  const math = isMathPrompt(prompt);
  const creative = isCreativeWritingPrompt(prompt);
  const instructions = isInstructionFollowingPrompt(prompt);
  const categories = TASK_CATEGORIES.filter((c) => ({ coding, math, creative_writing: creative, instruction_following: instructions })[c]);
  const fields = fieldsOf(prompt, { coding, creative });
  const criteria = hardCriteriaOf(prompt, { coding, math, creative, instructions, fields: fields.length });
  const hard = criteria.length >= HARD_PROMPT_MIN_CRITERIA;
  // Expert-level: a hard prompt in a field, a writer who names their
  // profession, or the field's own jargon used as professionals use it.
  const expert = fields.length > 0 && (hard || PROFESSIONAL_ROLE.test(prompt) || fields.some((field) => jargonIn(prompt, field) >= 2));
  return { categories, fields, criteria, expert };
}

/**
 * The tags of a classified text prompt.
 *
 * @example tagsOf({ categories: ["coding"], fields: ["software"], criteria: [], expert: false }, "…") // ["overall", "coding", "field:software", …]
 */
export function tagsOf(classification: PromptClassification, prompt: string): string[] {
  const tags = ["overall", ...classification.categories];
  if (classification.criteria.length >= HARD_PROMPT_MIN_CRITERIA) tags.push("hard_prompts");
  if (approximateTokens(prompt) >= LONG_QUERY_TOKENS) tags.push("long_query");
  const language = detectLanguage(prompt);
  if (language !== "und") tags.push(`lang:${language}`);
  for (const field of classification.fields) tags.push(`field:${field}`);
  if (classification.expert && classification.fields.length > 0) tags.push("expert");
  return tags;
}

/**
 * Tags fixed when a battle starts, from its first prompt and its arena.
 *
 * @example tagsForFirstPrompt("Write a Python function…") // ["overall", "coding", "field:software", "lang:eng"]
 * @example tagsForFirstPrompt("a red fox", "text-to-image") // ["arena:text-to-image"]
 */
export function tagsForFirstPrompt(prompt: string, arena: Modality = "text"): string[] {
  if (arena !== "text") return [arenaTag(arena)];
  return tagsOf(classifyPrompt(prompt), prompt);
}

/** The tag of an arena's own board; the text arena's board is `overall`. */
export function arenaTag(arena: Modality): string {
  return arena === "text" ? "overall" : `arena:${arena}`;
}

/** Tags known only when the battle is voted on. */
export function tagsAtVote(tags: readonly string[], turnCount: number): string[] {
  return turnCount > 1 && !tags.includes("multi_turn") ? [...tags, "multi_turn"] : [...tags];
}

const LANGUAGE_NAMES: Record<string, string> = {
  eng: "English", cmn: "Chinese", spa: "Spanish", fra: "French", deu: "German", rus: "Russian", jpn: "Japanese",
  kor: "Korean", por: "Portuguese", ita: "Italian", arb: "Arabic", hin: "Hindi", ben: "Bengali", vie: "Vietnamese",
  tur: "Turkish", pol: "Polish", nld: "Dutch", ukr: "Ukrainian", ind: "Indonesian", pes: "Persian", tha: "Thai",
};

const CATEGORY_LABELS: Record<string, string> = {
  overall: "Overall",
  coding: "Coding",
  long_query: "Longer query",
  multi_turn: "Multi-turn",
  math: "Math",
  creative_writing: "Creative writing",
  instruction_following: "Instruction following",
  hard_prompts: "Hard prompts",
  expert: "Expert",
  "arena:vision": "Vision arena",
  "arena:text-to-image": "Text-to-image arena",
  "arena:webdev": "WebDev arena",
};

const FIELD_LABELS: Record<Field, string> = {
  medicine: "Medicine and healthcare",
  law: "Legal and government",
  business_finance: "Business and finance",
  accounting: "Accounting and tax",
  software: "Software and IT",
  science: "Life, physical and social science",
  creative_marketing: "Creative, design and marketing",
  education: "Education",
};

/**
 * The index group of a category tag.
 *
 * @example categoryGroup("arena:vision") // "arena"
 */
export function categoryGroup(tag: string): CategoryGroup {
  if (tag === "overall" || tag.startsWith("arena:")) return "arena";
  if (tag.startsWith("field:") || tag === "expert") return "field";
  if (tag.startsWith("lang:")) return "language";
  return "category";
}

/**
 * Human label of a category tag.
 *
 * @example categoryLabel("lang:fra") // "French"
 */
export function categoryLabel(tag: string): string {
  if (tag.startsWith("field:") && tag.slice(6) in FIELD_LABELS) return FIELD_LABELS[tag.slice(6) as Field];
  if (tag.startsWith("lang:")) return LANGUAGE_NAMES[tag.slice(5)] ?? `Language: ${tag.slice(5)}`;
  return CATEGORY_LABELS[tag] ?? tag.replace(/[_-]+/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

export { FIELDS, HARD_CRITERIA, type Field, type HardCriterion };
