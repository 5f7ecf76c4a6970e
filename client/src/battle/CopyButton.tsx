import { useState } from "preact/hooks";

/** Copies `text` to the clipboard and confirms for a moment. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard access denied (insecure context or permissions): leave the button as it was.
    }
  };
  return (
    <button type="button" class="ghost-button small" onClick={copy} disabled={!text} aria-label={label} title={label}>
      {copied ? "Copied" : "Copy"}
    </button>
  );
}
