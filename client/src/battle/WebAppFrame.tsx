/**
 * A WebDev answer: the app running in a sandboxed frame, with its code a
 * click away. The frame has `sandbox="allow-scripts"` and no same-origin
 * grant, and the server sends the document with a sandboxing policy too
 * (src/battle/webdev.ts), so the app runs with an opaque origin: it cannot
 * read the arena's cookies or storage, call its API as the user, or
 * navigate the arena's window.
 */
import { useState } from "preact/hooks";
import { WEBAPP_FRAME_SANDBOX, type Side } from "../../../src/wire";
import { Markdown } from "../markdown/Markdown";

export interface WebAppFrameProps {
  /** The app's address (`/api/v1/battles/{id}/app?turn=…&side=…`). */
  src: string;
  side: Side;
  turn: number;
  code: string;
}

export function WebAppFrame({ src, side, turn, code }: WebAppFrameProps) {
  const [view, setView] = useState<"app" | "code">("app");
  return (
    <div class="webapp">
      <div class="segmented segmented--small" role="group" aria-label="Show">
        <button type="button" class={view === "app" ? "segment segment--active" : "segment"} aria-pressed={view === "app"} onClick={() => setView("app")}>
          App
        </button>
        <button type="button" class={view === "code" ? "segment segment--active" : "segment"} aria-pressed={view === "code"} onClick={() => setView("code")}>
          Code
        </button>
      </div>
      {view === "app" ? (
        <iframe class="webapp-frame" src={src} sandbox={WEBAPP_FRAME_SANDBOX} referrerpolicy="no-referrer" title={`App ${side.toUpperCase()}, turn ${turn}`} loading="lazy" />
      ) : (
        <Markdown text={code} streaming={false} />
      )}
    </div>
  );
}
