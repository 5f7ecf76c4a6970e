/**
 * One side of the battle: its conversation, streamed live. The pane has a
 * fixed height and scrolls inside, so the page never shifts while text
 * arrives; it follows new text unless the reader has scrolled up.
 */
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Modality, Side } from "../../../src/wire";
import { Markdown } from "../markdown/Markdown";
import { CopyButton } from "./CopyButton";
import { ImageStrip } from "./ImageStrip";
import type { SideAnswer, TurnState } from "./state";
import { WebAppFrame } from "./WebAppFrame";

export interface AnswerPaneProps {
  side: Side;
  /** "Model A" before the reveal, the model's name after it. */
  label: string;
  /** Organisation, shown once the model is known. */
  detail?: string;
  revealed: boolean;
  winner: boolean;
  turns: TurnState[];
  /** Whether a failed answer should say that the vote will not count. */
  votable: boolean;
  arena?: Modality;
  /** Where a WebDev turn's app is served, once the answer is complete. */
  appSrc?: (turn: number) => string | undefined;
}


const STATUS_TEXT: Record<SideAnswer["status"], string> = {
  pending: "Waiting…",
  streaming: "Writing…",
  done: "Done",
  error: "Failed",
  stopped: "Stopped",
};

const FOLLOW_THRESHOLD_PX = 48;

export function AnswerPane({ side, label, detail, revealed, winner, turns, votable, arena = "text", appSrc }: AnswerPaneProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const last = turns.at(-1)?.sides[side];
  const length = turns.reduce((sum, turn) => sum + (turn.sides[side]?.text.length ?? 0), 0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [length, turns.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_THRESHOLD_PX;
  };

  const headingId = `pane-${side}-title`;
  return (
    <section class={`pane${winner ? " pane--winner" : ""}`} aria-labelledby={headingId} data-side={side}>
      <header class="pane-header">
        <h2 id={headingId} class={revealed ? "pane-title pane-title--revealed" : "pane-title"}>
          {label}
          {detail && <span class="pane-detail">{detail}</span>}
        </h2>
        {last && (
          <span class={`status status--${last.status}`} data-status={last.status}>
            {STATUS_TEXT[last.status]}
          </span>
        )}
        <CopyButton text={last?.text ?? ""} label={`Copy ${label}'s last answer`} />
      </header>
      <div class="pane-body" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label={`${label} conversation`}>
        {turns.length === 0 && <p class="pane-placeholder">The answer will appear here.</p>}
        {turns.map((turn) => {
          const answer = turn.sides[side];
          const src = arena === "webdev" && answer?.status === "done" ? appSrc?.(turn.turn) : undefined;
          return (
            <article key={turn.turn} class="turn">
              {turns.length > 1 && <p class="turn-prompt">{turn.prompt}</p>}
              {turn.attachments && <ImageStrip images={turn.attachments} alt="Image attached to the prompt" />}
              {answer?.images && <ImageStrip images={answer.images} alt={`Image by ${label} for: ${turn.prompt}`} />}
              {src ? (
                <WebAppFrame src={src} side={side} turn={turn.turn} code={answer!.text} />
              ) : (
                answer && answer.text !== "" && <Markdown text={answer.text} streaming={answer.status === "streaming" || answer.status === "pending"} />
              )}
              {answer?.status === "pending" && <span class="typing" aria-hidden="true" />}
              {answer?.status === "error" && (
                <p class="side-error" role="alert">
                  {answer.error?.message ?? "This answer failed."}
                  {votable && " The vote on this battle will not count."}
                </p>
              )}
              {answer?.status === "stopped" && <p class="side-note">Stopped. The model is finishing in the background.</p>}
            </article>
          );
        })}
      </div>
    </section>
  );
}
