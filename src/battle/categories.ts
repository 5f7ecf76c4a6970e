/**
 * Category tags of a battle. Tags are plain strings stored with the battle
 * and its vote; the ranking pipeline ranks any tag it finds, so a new
 * category is a new tag here and needs no change downstream.
 */
import { francAll } from "franc-min";
import { approximateTokens } from "./style";

/** Prompts of at least this many tokens are "long queries" (LMArena's threshold). */
export const LONG_QUERY_TOKENS = 500;

const CODE_CUES = [
  /```/,
  /\b(function|def|class|return|import|const|let|var|public static|#include|SELECT .+ FROM)\b/,
  /\b(python|javascript|typescript|java|c\+\+|c#|golang|rust|kotlin|swift|php|ruby|sql|bash|regex|html|css|json|yaml)\b/i,
  /\b(compile|debug|stack trace|exception|segfault|refactor|unit test|api endpoint|npm|pip install)\b/i,
  /[{};]\s*\n.*[{};]/,
];

/** True when a prompt is about programming. */
export function isCodingPrompt(prompt: string): boolean {
  return CODE_CUES.some((cue) => cue.test(prompt));
}

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

/**
 * Tags fixed when a battle starts, from its first prompt.
 *
 * @example tagsForFirstPrompt("Write a Python function…") // ["overall", "coding", "lang:eng"]
 */
export function tagsForFirstPrompt(prompt: string): string[] {
  const tags = ["overall"];
  if (isCodingPrompt(prompt)) tags.push("coding");
  if (approximateTokens(prompt) >= LONG_QUERY_TOKENS) tags.push("long_query");
  const language = detectLanguage(prompt);
  if (language !== "und") tags.push(`lang:${language}`);
  return tags;
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
};

/**
 * Human label of a category tag.
 *
 * @example categoryLabel("lang:fra") // "French"
 */
export function categoryLabel(tag: string): string {
  if (tag.startsWith("lang:")) return LANGUAGE_NAMES[tag.slice(5)] ?? `Language: ${tag.slice(5)}`;
  return CATEGORY_LABELS[tag] ?? tag.replace(/[_-]+/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}
