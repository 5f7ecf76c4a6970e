/**
 * Style features of a model's answers, the inputs of style control.
 *
 * Counted after removing fenced code blocks, so that code (which is content,
 * not presentation) does not count as "long" or "formatted". The choice of
 * features follows LMArena's style-control write-up (length, markdown headers,
 * list items, bold): https://blog.lmarena.ai/blog/2024/style-control/
 */
export interface StyleFeatures {
  /** Approximate token count (see {@link approximateTokens}). */
  tokens: number;
  /** Markdown ATX headers (`#` … `######`). */
  headers: number;
  /** Markdown list items, ordered or unordered. */
  listItems: number;
  /** Bold spans (`**x**` or `__x__`). */
  bold: number;
}

const FENCED_CODE = /(^|\n)(```|~~~)[^\n]*\n[\s\S]*?(\n\2[^\n]*(?=\n|$)|$)/g;
const HEADER = /^ {0,3}#{1,6}[ \t]+\S/gm;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S/gm;
const BOLD = /\*\*(?=\S)[\s\S]*?\S\*\*|__(?=\S)[\s\S]*?\S__/g;
const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Removes fenced code blocks (``` or ~~~), including unterminated ones. */
export function stripCodeBlocks(text: string): string {
  return text.replace(FENCED_CODE, "$1");
}

/**
 * Approximate BPE token count without shipping a tokenizer to the edge: words
 * longer than four characters count as several tokens (≈ 4 characters each,
 * the usual rule of thumb for English BPE vocabularies); each punctuation
 * mark counts as one.
 *
 * @example approximateTokens("Hello, world!") // 4
 */
export function approximateTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(TOKEN)) {
    count += Math.max(1, Math.ceil(match[0].length / 4));
  }
  return count;
}

/**
 * Style features of one side of a battle: every assistant answer of that side,
 * over all turns, taken together.
 *
 * @example styleFeatures(["# Title\n- a\n- **b**"]) // { tokens: …, headers: 1, listItems: 2, bold: 1 }
 */
export function styleFeatures(answers: readonly string[]): StyleFeatures {
  const features: StyleFeatures = { tokens: 0, headers: 0, listItems: 0, bold: 0 };
  for (const answer of answers) {
    const prose = stripCodeBlocks(answer);
    features.tokens += approximateTokens(prose);
    features.headers += prose.match(HEADER)?.length ?? 0;
    features.listItems += prose.match(LIST_ITEM)?.length ?? 0;
    features.bold += prose.match(BOLD)?.length ?? 0;
  }
  return features;
}
