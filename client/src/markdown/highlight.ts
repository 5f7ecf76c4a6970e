/**
 * Syntax highlighting for code blocks in answers. highlight.js is loaded on
 * first use, after an answer has finished, so it never weighs on the arena's
 * first load; only a common set of languages is registered to keep it small.
 */
import type { HLJSApi } from "highlight.js";

let loading: Promise<HLJSApi> | undefined;

async function loadHighlighter(): Promise<HLJSApi> {
  const [core, ...languages] = await Promise.all([
    import("highlight.js/lib/core"),
    import("highlight.js/lib/languages/javascript"),
    import("highlight.js/lib/languages/typescript"),
    import("highlight.js/lib/languages/python"),
    import("highlight.js/lib/languages/bash"),
    import("highlight.js/lib/languages/json"),
    import("highlight.js/lib/languages/xml"),
    import("highlight.js/lib/languages/css"),
    import("highlight.js/lib/languages/sql"),
    import("highlight.js/lib/languages/go"),
    import("highlight.js/lib/languages/rust"),
    import("highlight.js/lib/languages/java"),
    import("highlight.js/lib/languages/cpp"),
    import("highlight.js/lib/languages/yaml"),
    import("highlight.js/lib/languages/diff"),
  ]);
  const names = ["javascript", "typescript", "python", "bash", "json", "xml", "css", "sql", "go", "rust", "java", "cpp", "yaml", "diff"];
  const hljs = core.default;
  languages.forEach((language, i) => hljs.registerLanguage(names[i]!, language.default));
  hljs.configure({ ignoreUnescapedHTML: true });
  return hljs;
}

/** Highlights every not-yet-highlighted code block under `root`. */
export async function highlightCodeBlocks(root: HTMLElement): Promise<void> {
  const blocks = root.querySelectorAll<HTMLElement>("pre code:not([data-highlighted])");
  if (blocks.length === 0) return;
  loading ??= loadHighlighter();
  const hljs = await loading;
  // highlight.js escapes the code text it reads, so its output is safe markup.
  blocks.forEach((block) => {
    const language = /language-(\S+)/.exec(block.className)?.[1];
    if (language && !hljs.getLanguage(language)) return;
    if (block.isConnected) hljs.highlightElement(block);
  });
}
