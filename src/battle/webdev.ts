/**
 * The WebDev arena's rules: what models are asked for, how the app is found
 * in an answer, and the policy it runs under. A generated app is untrusted
 * code; it runs in a sandboxed frame with an opaque origin and a policy that
 * lets it draw and script itself, and nothing else: no network, no forms, no
 * navigation of the arena's window, no access to the arena's cookies or
 * storage.
 */

/** The system prompt of every WebDev turn: one self-contained HTML file. */
export const WEBDEV_SYSTEM_PROMPT = [
  "You are building a web app for the user's request.",
  "Answer with one complete, self-contained HTML file in a single ```html code block:",
  "inline all CSS and JavaScript, use no external scripts, fonts, images or network requests",
  "(use inline SVG, canvas or data: URLs for graphics), and make it work at any width.",
  "After the code block you may add at most three short sentences about the app.",
].join(" ");

/**
 * The policy the app is served with. `sandbox allow-scripts` gives the
 * document an opaque origin even if it is opened outside its frame, so it
 * can read no cookie or storage of the arena; `connect-src 'none'` and
 * `form-action 'none'` keep it from sending anything anywhere.
 */
export const WEBAPP_CONTENT_SECURITY_POLICY = [
  "sandbox allow-scripts",
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "img-src data: blob:",
  "font-src data:",
  "media-src data: blob:",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join("; ");


const FENCE = /```[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;

/**
 * The HTML app in a model's answer: the first ```html block, else the
 * answer itself when it is a document, else the first code block that looks
 * like markup. Undefined when the answer holds no app.
 *
 * @example extractWebApp("Here:\n```html\n<!doctype html><p>hi</p>\n```") // "<!doctype html><p>hi</p>\n"
 */
export function extractWebApp(answer: string): string | undefined {
  const blocks = Array.from(answer.matchAll(FENCE), (m) => ({ lang: m[1]!.toLowerCase(), code: m[2]! }));
  const html = blocks.find((b) => b.lang === "html" || b.lang === "htm");
  if (html && html.code.trim() !== "") return html.code;
  const trimmed = answer.trimStart();
  if (/^(<!doctype html|<html)/i.test(trimmed)) return trimmed;
  return blocks.find((b) => /<(html|body|div|canvas|svg|script)\b/i.test(b.code))?.code;
}
