/**
 * Vote validity: which anonymous votes count toward the leaderboard.
 *
 * Every vote is stored; a vote that does not count carries exactly one reason
 * from {@link VOTE_EXCLUSION_REASONS}. The reasons are an enumerated set
 * because they are published in the audit of excluded votes.
 */
import type { BattleMode, Side } from "../wire";

export const VOTE_EXCLUSION_REASONS = [
  "not_anonymous",
  "side_error",
  "empty_response",
  "identity_revealed",
  /** Over the daily cap of counted votes for the voter's session or IP address. */
  "vote_cap",
  /** The prompt has been counted more often than the duplicate-prompt cap allows. */
  "duplicate_prompt",
  /** The cron's anomaly test flagged the voter; applied at ranking time, reversible. */
  "anomalous_voter",
  /** The voter reported that an answer showed who made it (a name, logo or watermark in an image or a running app). */
  "identity_reported",
] as const;
export type VoteExclusionReason = (typeof VOTE_EXCLUSION_REASONS)[number];

/**
 * Words that give away a model's maker or family. FastChat drops anonymous
 * votes whose answers contain such words, since a voter who knows which model
 * is which no longer votes blind (FastChat `fastchat/serve/monitor` and
 * `gradio_block_arena_anony.py`). Matched case-insensitively as whole words
 * (digits may follow, so "gpt4" and "llama3" match; "chatgpt" is listed
 * because "gpt" inside it is not a whole word).
 */
export const DEFAULT_IDENTITY_TERMS: readonly string[] = [
  "gpt",
  "chatgpt",
  "openai",
  "anthropic",
  "claude",
  "gemini",
  "gemma",
  "bard",
  "deepmind",
  "google",
  "llama",
  "meta ai",
  "qwen",
  "alibaba",
  "mistral",
  "mixtral",
  "deepseek",
  "grok",
  "xai",
  "cohere",
  "command-r",
  "phi-3",
  "yi-lightning",
  "01.ai",
  "zhipu",
  "glm",
  "kimi",
  "moonshot",
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Builds a matcher for identity terms: whole words, case-insensitive, digits
 * allowed right after the term.
 *
 * @example identityMatcher(["gpt"]).test("I am GPT-4") // true
 */
export function identityMatcher(terms: readonly string[]): RegExp {
  const cleaned = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter((t) => t.length >= 2))];
  if (cleaned.length === 0) return /(?!)/;
  const alternatives = cleaned.sort((x, y) => y.length - x.length).map(escapeRegExp).join("|");
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?!\\p{L})`, "iu");
}

export interface SideOutcome {
  /** Every assistant answer of this side, one per turn. */
  answers: readonly string[];
  /** True when any turn of this side ended in an error. */
  errored: boolean;
}

export interface VoteJudgement {
  counted: boolean;
  reason?: VoteExclusionReason;
}

/**
 * Decides whether a vote counts. The order of checks fixes which reason is
 * reported when several apply: mode first, then failures, then identity.
 *
 * @example judgeVote({ mode: "anonymous", sides: { a, b }, identity: identityMatcher(DEFAULT_IDENTITY_TERMS) })
 */
export function judgeVote(input: {
  mode: BattleMode;
  sides: Record<Side, SideOutcome>;
  identity: RegExp;
}): VoteJudgement {
  if (input.mode !== "anonymous") return { counted: false, reason: "not_anonymous" };
  const sides = [input.sides.a, input.sides.b];
  if (sides.some((side) => side.errored)) return { counted: false, reason: "side_error" };
  if (sides.some((side) => side.answers.every((answer) => answer.trim() === ""))) {
    return { counted: false, reason: "empty_response" };
  }
  if (sides.some((side) => side.answers.some((answer) => input.identity.test(answer)))) {
    return { counted: false, reason: "identity_revealed" };
  }
  return { counted: true };
}
