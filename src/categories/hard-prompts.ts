/**
 * Hard prompts: LMArena's seven criteria (specificity, domain knowledge,
 * complexity, problem-solving, creativity, technical accuracy, real-world
 * application; "Arena-Hard" by Li et al., 2024, lmsys.org/blog/2024-04-19).
 * A prompt meeting at least six is hard. LMArena rates the criteria with an
 * LLM; these are the always-on heuristics, which the optional judge
 * (worker/categories/judge.ts) overrides when it is configured.
 */
import { cues } from "./cues";
import { approximateTokens, stripCodeBlocks } from "../battle/style";
import { PROFESSIONAL_ROLE } from "./fields";

export const HARD_CRITERIA = [
  "specificity",
  "domain_knowledge",
  "complexity",
  "problem_solving",
  "creativity",
  "technical_accuracy",
  "real_world",
] as const;
export type HardCriterion = (typeof HARD_CRITERIA)[number];

/** A prompt meeting at least this many criteria is a hard prompt. */
export const HARD_PROMPT_MIN_CRITERIA = 6;

/** What the topic and field taggers already found, which several criteria build on. */
export interface PromptTopics {
  coding: boolean;
  math: boolean;
  creative: boolean;
  instructions: boolean;
  fields: number;
}

const PROBLEM_VERBS = cues([
  "solve", "design", "optimi*", "debug", "prove", "derive", "figure out", "plan", "architect*", "diagnose", "troubleshoot", "estimate",
  "compare", "trade-off*", "tradeoff*", "evaluate", "analy*", "implement", "refactor", "model the", "how would you", "what is the best way",
  "resuelve", "diseña", "optimiza", "analiza", "résous", "concevoir", "optimiser", "analyse", "löse", "entwirf", "optimier*", "analysier*",
  "resolva", "projete", "risolvi", "progetta", "реши", "спроектируй", "оптимизир*", "проанализируй", "حل", "صمم", "حلل", "çöz", "tasarla",
  "解决", "设计", "优化", "分析", "推导", "解いて", "設計", "最適化", "分析して", "해결", "설계", "최적화", "분석",
]);

const CREATIVITY_WORDS = cues([
  "creative", "original", "novel approach", "innovative", "brainstorm", "come up with", "invent", "unique", "unconventional", "new way",
  "creativo", "original", "innovador", "créatif", "originale", "innovant", "kreativ*", "originell*", "innovativ*", "criativo", "inovador",
  "creativo", "innovativo", "креативн*", "оригинальн*", "придумай", "مبتكر", "إبداعي", "yaratıcı", "创意", "创新", "新颖", "独創的", "斬新", "창의적",
]);

const PRECISION_WORDS = cues([
  "precise", "precisely", "accurate", "accurately", "exact", "correct", "rigorous", "step by step", "step-by-step", "show your work", "cite",
  "preciso", "exacto", "exactamente", "précis", "exact", "rigoureux", "genau", "präzise", "exato", "esatto", "точн*", "строго", "بدقة",
  "精确", "准确", "严格", "正確", "厳密", "정확",
]);

const REAL_WORLD_WORDS = cues([
  "my company", "our company", "my team", "our team", "my client", "our client", "my boss", "at work", "in production", "our product",
  "my business", "our startup", "my patient", "our customers", "deadline", "we are", "we're", "i'm working on", "i am working on", "my project",
  "real-world", "in practice", "our users", "my landlord", "my employer", "my manager",
  "mi empresa", "nuestro equipo", "mi cliente", "mon entreprise", "notre équipe", "mon client", "meine firma", "unser team", "mein kunde",
  "minha empresa", "nossa equipe", "la mia azienda", "моя компания", "наша команда", "мой клиент", "شركتي", "فريقنا", "şirketim",
  "我们公司", "我的公司", "我们团队", "客户", "弊社", "私の会社", "チーム", "우리 회사", "고객",
]);

/**
 * The size of the prose, in approximate tokens: code blocks left out (a
 * pasted stack trace makes a prompt long, not demanding), and a Chinese,
 * Japanese or Korean character counted as a token, as tokenizers roughly do.
 */
function proseSize(prompt: string): number {
  const prose = stripCodeBlocks(prompt);
  const cjk = prose.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu)?.length ?? 0;
  return approximateTokens(prose.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu, " ")) + cjk;
}

function requirementCount(prompt: string): number {
  const listItems = prompt.match(/^\s*(?:[-*•]|\d+[.)])\s+/gm)?.length ?? 0;
  const questions = prompt.match(/[?？]/g)?.length ?? 0;
  const sentences = prompt.split(/[.!?。！？\n]+/).filter((s) => s.trim().length > 12).length;
  return Math.max(listItems, questions, Math.floor(sentences / 2));
}

/**
 * The criteria a prompt meets. Short prompts meet few: a well-specified,
 * complex task takes words to state, so every criterion but domain
 * knowledge asks for some length.
 *
 * @example hardCriteriaOf("hi", topics) // []
 */
export function hardCriteriaOf(prompt: string, topics: PromptTopics): HardCriterion[] {
  const tokens = proseSize(prompt);
  const substantial = tokens >= 25;
  const technical = topics.coding || topics.math || topics.fields > 0;
  const requirements = requirementCount(stripCodeBlocks(prompt));
  // A long, multi-part question in a professional field asks for an approach
  // of its own: the labelled sample rates most such prompts creative too.
  const demanding = technical && tokens >= 70 && requirements >= 2;
  const met: Record<HardCriterion, boolean> = {
    specificity: substantial && (topics.instructions || /\d/.test(prompt) || requirements >= 2 || /```/.test(prompt)),
    domain_knowledge: technical,
    complexity: tokens >= 60 && (requirements >= 2 || tokens >= 100),
    problem_solving: substantial && (topics.math || PROBLEM_VERBS.test(prompt) || (technical && tokens >= 60 && /[?？]/.test(prompt))),
    creativity: topics.creative || CREATIVITY_WORDS.test(prompt) || demanding,
    technical_accuracy: technical && (topics.coding || topics.math || PRECISION_WORDS.test(prompt) || tokens >= 40),
    real_world: substantial && (REAL_WORLD_WORDS.test(prompt) || PROFESSIONAL_ROLE.test(prompt) || (topics.fields > 0 && tokens >= 40)),
  };
  return HARD_CRITERIA.filter((criterion) => met[criterion]);
}
