/**
 * Copy buttons for the code blocks of a rendered answer. They are added to
 * the DOM after sanitising, so answer markup can never create or imitate
 * them (answers may not carry this class; see render.ts).
 */

const BUTTON_CLASS = "code-copy";

/** Adds a copy button to every code block under `root` that has none yet. */
export function addCodeCopyButtons(root: HTMLElement): void {
  for (const pre of root.querySelectorAll("pre")) {
    if (pre.querySelector(`:scope > .${BUTTON_CLASS}`)) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = BUTTON_CLASS;
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    button.addEventListener("click", () => {
      const code = pre.querySelector("code")?.textContent ?? "";
      navigator.clipboard.writeText(code).then(
        () => {
          button.textContent = "Copied";
          setTimeout(() => (button.textContent = "Copy"), 1500);
        },
        () => {
          // Clipboard refused (permissions, insecure context): nothing to undo.
        },
      );
    });
    pre.appendChild(button);
  }
}
