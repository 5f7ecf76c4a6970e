/**
 * The prompt field. Enter sends, Shift+Enter adds a line. While a turn
 * streams the send button becomes Stop. Escape leaves the field, so the
 * vote shortcuts work without reaching for the mouse.
 */
import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";

export interface PromptBoxProps {
  placeholder: string;
  disabled: boolean;
  streaming: boolean;
  onSend(prompt: string): void;
  onStop(): void;
  /** Extra actions shown beside Send (e.g. "New battle"). */
  actions?: ComponentChildren;
  /** Shown above the field (the vision arena's images). */
  attachments?: ComponentChildren;
}

export function PromptBox({ placeholder, disabled, streaming, onSend, onStop, actions, attachments }: PromptBoxProps) {
  const [prompt, setPrompt] = useState("");
  const field = useRef<HTMLTextAreaElement>(null);
  const canSend = !disabled && !streaming && prompt.trim().length > 0;

  const submit = (event?: Event) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(prompt.trim());
    setPrompt("");
  };

  return (
    <form class="prompt-box" onSubmit={submit}>
      {attachments}
      <label for="prompt" class="visually-hidden">
        Prompt
      </label>
      <textarea
        id="prompt"
        ref={field}
        rows={2}
        value={prompt}
        placeholder={placeholder}
        disabled={disabled}
        onInput={(event) => setPrompt(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
          if (event.key === "Escape") event.currentTarget.blur();
        }}
      />
      {actions}
      {streaming ? (
        <button key="stop" type="button" class="primary-button stop-button" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button key="send" type="submit" class="primary-button" disabled={!canSend}>
          Send
        </button>
      )}
    </form>
  );
}
