/**
 * An answer rendered from markdown. While the answer streams, rendering is
 * throttled to one pass per animation frame; code is highlighted (and gets
 * copy buttons) once the answer is complete, so neither fights incoming text.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { addCodeCopyButtons } from "./code-copy";
import { highlightCodeBlocks } from "./highlight";
import { renderMarkdown } from "./render";

export interface MarkdownProps {
  text: string;
  /** True while more text may arrive. */
  streaming: boolean;
}

/** Coalesces rapid changes of `value` to at most one per animation frame. */
function useFrameThrottled<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const pending = useRef(0);
  latest.current = value;
  useEffect(() => {
    // One frame at a time: rescheduling on every change would starve
    // rendering whenever text arrives faster than frames.
    if (pending.current) return;
    pending.current = requestAnimationFrame(() => {
      pending.current = 0;
      setShown(latest.current);
    });
  }, [value]);
  useEffect(() => () => cancelAnimationFrame(pending.current), []);
  return shown;
}

export function Markdown({ text, streaming }: MarkdownProps) {
  const throttled = useFrameThrottled(text);
  const shown = streaming ? throttled : text;
  const html = useMemo(() => renderMarkdown(shown), [shown]);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (streaming || !root.current) return;
    addCodeCopyButtons(root.current);
    void highlightCodeBlocks(root.current);
  }, [html, streaming]);
  return <div ref={root} class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
