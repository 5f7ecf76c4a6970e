/**
 * Cue lists: the words and phrases that suggest a category, in several
 * languages. Latin, Cyrillic, Arabic and Devanagari cues match at word starts
 * (so "derivative" matches "deriv" but "underivable" does not); Chinese and
 * Japanese have no spaces between words, so their cues match anywhere.
 */

/** Letters of scripts written with spaces: a cue must not continue into one (CJK may follow directly). */
const WORD_CHAR = "[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{Script=Arabic}\\p{Script=Devanagari}\\p{Script=Hebrew}\\p{M}\\p{N}]";

const NO_SPACE_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A compiled cue list: `count` says how many distinct cues occur. */
export interface Cues {
  test(text: string): boolean;
  count(text: string): number;
}

/**
 * Compiles cue words into one case-insensitive matcher. A cue ending in `*`
 * matches any continuation ("calculat*" → calculate, calculation); others
 * must end at a word boundary.
 *
 * @example cues(["integral", "deriv*", "微分"]).test("Find the derivative") // true
 */
export function cues(words: readonly string[]): Cues {
  const spaced: string[] = [];
  const unspaced: string[] = [];
  for (const word of words) {
    const open = word.endsWith("*");
    const stem = escape(open ? word.slice(0, -1) : word).replace(/ /g, "\\s+");
    if (NO_SPACE_SCRIPTS.test(word)) unspaced.push(stem);
    else spaced.push(open ? stem : `${stem}(?!${WORD_CHAR})`);
  }
  const parts = [...(spaced.length ? [`(?<!${WORD_CHAR})(?:${spaced.join("|")})`] : []), ...(unspaced.length ? [`(?:${unspaced.join("|")})`] : [])];
  const source = parts.join("|") || "(?!)";
  const once = new RegExp(source, "iu");
  const all = new RegExp(source, "giu");
  return {
    test: (text) => once.test(text),
    count: (text) => new Set(Array.from(text.matchAll(all), (m) => m[0].toLowerCase())).size,
  };
}
