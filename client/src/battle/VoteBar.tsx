/**
 * The four verdicts, usable by click or by keyboard shortcut. Shortcuts are
 * ignored while typing in a field, so a prompt can contain "1" or "a".
 */
import { useEffect, useState } from "preact/hooks";
import type { Side, Winner } from "../../../src/wire";

interface Choice {
  winner: Winner;
  label: string;
  key: string;
  alt: string;
}

const CHOICES: Choice[] = [
  { winner: "a", label: "A is better", key: "1", alt: "a" },
  { winner: "b", label: "B is better", key: "2", alt: "b" },
  { winner: "tie", label: "Tie", key: "3", alt: "t" },
  { winner: "bothbad", label: "Both are bad", key: "4", alt: "x" },
];

export interface VoteBarProps {
  enabled: boolean;
  onVote(winner: Winner, identityShown: Side[]): void;
  /** Offer "shows who made it" for each side (images and apps, which the text scan cannot read). */
  identityReport?: boolean;
  /** Shown under the buttons: why voting is not possible yet, or what a vote means here. */
  hint: string;
}

function typingInField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function VoteBar({ enabled, onVote, hint, identityReport = false }: VoteBarProps) {
  const [shown, setShown] = useState<Side[]>([]);
  const cast = (winner: Winner) => onVote(winner, shown);
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return;
      const choice = CHOICES.find((c) => c.key === event.key || c.alt === event.key.toLowerCase());
      if (!choice) return;
      event.preventDefault();
      onVote(choice.winner, shown);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled, onVote, shown]);

  return (
    <div class="vote-bar" role="group" aria-label="Vote" aria-describedby="vote-hint">
      <div class="vote-buttons">
        {CHOICES.map((choice) => (
          <button
            key={choice.winner}
            type="button"
            class={`vote-button vote-button--${choice.winner}`}
            disabled={!enabled}
            onClick={() => cast(choice.winner)}
            aria-keyshortcuts={`${choice.key} ${choice.alt}`}
          >
            <kbd aria-hidden="true">{choice.key}</kbd>
            {choice.label}
          </button>
        ))}
      </div>
      {identityReport && (
        <fieldset class="identity-report">
          <legend>Shows who made it (a name, logo or watermark)?</legend>
          {(["a", "b"] as const).map((side) => (
            <label key={side}>
              <input
                type="checkbox"
                checked={shown.includes(side)}
                onChange={(e) => setShown((s) => (e.currentTarget.checked ? [...s, side] : s.filter((x) => x !== side)))}
              />
              {side === "a" ? "A" : "B"}
            </label>
          ))}
        </fieldset>
      )}
      <p id="vote-hint" class="vote-hint">
        {hint}
      </p>
    </div>
  );
}
