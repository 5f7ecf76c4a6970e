/**
 * Model answers are untrusted text. They are parsed as GitHub-flavoured
 * markdown by `marked` and the resulting HTML is always passed through
 * DOMPurify with a strict allow-list before it reaches the DOM: no images
 * (a remote image would leak the reader's address to any host a model names),
 * no forms, no inline styles, no event handlers, and only http(s)/mailto links.
 */
import DOMPurify from "dompurify";
import { Marked } from "marked";

const markdown = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
  "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "span",
];
const ALLOWED_ATTR = ["href", "title", "class", "align", "start"];
const SAFE_URL = /^(?:https?:|mailto:|#)/i;

const purifier = DOMPurify();
purifier.addHook("uponSanitizeAttribute", (_node, data) => {
  // Classes are kept only for a code block's language, so an answer cannot
  // borrow the arena's own classes to imitate its buttons or notices.
  if (data.attrName === "class" && !/^language-[\w+#.-]+$/.test(data.attrValue)) data.keepAttr = false;
});
purifier.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName !== "A") return;
  const href = node.getAttribute("href") ?? "";
  // Relative links would point into the arena itself; only absolute web links survive.
  if (!SAFE_URL.test(href.trim())) node.removeAttribute("href");
  node.setAttribute("target", "_blank");
  node.setAttribute("rel", "noopener noreferrer nofollow");
});

/**
 * Renders untrusted markdown to sanitised HTML, safe for `innerHTML`.
 *
 * @example
 *   renderMarkdown("**hi** <img src=x onerror=alert(1)>") // "<p><strong>hi</strong> </p>"
 */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source) as string;
  return purifier.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ADD_ATTR: ["target", "rel"],
  }) as string;
}
