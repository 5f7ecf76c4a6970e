/**
 * After the vote: asks for the battle's read-only link and offers it for
 * copying. The link shows the conversation, the models and the outcome to
 * anyone who has it, never who voted, so the panel says so before sharing.
 */
import { useEffect, useRef } from "preact/hooks";
import { CopyButton } from "./CopyButton";
import type { ShareState } from "./state";

export interface SharePanelProps {
  share: ShareState | undefined;
  onShare(): void;
}

export function SharePanel({ share, onShare }: SharePanelProps) {
  const field = useRef<HTMLInputElement>(null);
  const url = share?.status === "ready" ? share.url : undefined;

  // Keyboard and screen-reader users land on the link as soon as it exists.
  useEffect(() => {
    if (url) field.current?.focus();
  }, [url]);

  return (
    <section class="share-panel" aria-labelledby="share-title">
      <h2 id="share-title" class="share-title">
        Share this battle
      </h2>
      {url ? (
        <div class="share-link">
          <label for="share-url" class="visually-hidden">
            Share link
          </label>
          <input
            id="share-url"
            ref={field}
            type="text"
            readOnly
            value={url}
            onFocus={(event) => event.currentTarget.select()}
            aria-describedby="share-note"
          />
          <CopyButton text={url} label="Copy share link" />
        </div>
      ) : (
        <button type="button" class="ghost-button" onClick={onShare} disabled={share?.status === "creating"} aria-describedby="share-note">
          {share?.status === "creating" ? "Creating link…" : "Share"}
        </button>
      )}
      <p id="share-note" class="share-note">
        Anyone with the link sees the conversation, the models and the outcome, never who voted.
      </p>
      <p class="visually-hidden" role="status">
        {url ? "Share link ready." : ""}
      </p>
      {share?.status === "failed" && (
        <p class="request-error" role="alert">
          The link could not be created: {share.message}
        </p>
      )}
    </section>
  );
}
