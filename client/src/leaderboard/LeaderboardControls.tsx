/** Category selector and the style-control switch. */
import type { CategoryGroup, CategorySummary, LeaderboardStyle } from "../../../src/wire";

const GROUP_LABELS: Record<CategoryGroup, string> = { arena: "Arenas", category: "Categories", field: "Occupational fields", language: "Languages" };
import { formatCount } from "./format";

export interface LeaderboardControlsProps {
  categories: CategorySummary[];
  category: CategorySummary;
  style: LeaderboardStyle;
  onSelect(next: { category?: string; style?: LeaderboardStyle }): void;
}

export function LeaderboardControls({ categories, category, style, onSelect }: LeaderboardControlsProps) {
  const controlAvailable = category.styles.includes("control");
  return (
    <div class="leaderboard-controls">
      <label class="field">
        <span>Category</span>
        <select value={category.id} onChange={(e) => onSelect({ category: e.currentTarget.value })}>
          {(Object.keys(GROUP_LABELS) as CategoryGroup[]).map((group) => {
            const members = categories.filter((c) => (c.group ?? "category") === group);
            return (
              members.length > 0 && (
                <optgroup key={group} label={GROUP_LABELS[group]}>
                  {members.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label} ({formatCount(c.votes)} votes{c.provisional ? ", provisional" : ""})
                    </option>
                  ))}
                </optgroup>
              )
            );
          })}
        </select>
      </label>
      <label class="switch" title="Factors out answer length and markdown so scores reflect content, not presentation">
        <input
          type="checkbox"
          role="switch"
          checked={style === "control"}
          disabled={!controlAvailable}
          onChange={(e) => onSelect({ style: e.currentTarget.checked ? "control" : "default" })}
        />
        <span class="switch-track" aria-hidden="true" />
        Style control
      </label>
      {!controlAvailable && <span class="muted small-text">Style control is not published for this category.</span>}
    </div>
  );
}
