/**
 * Choice of battle mode, and of the models for the modes that name them.
 * Modes are radio buttons: arrow keys move between them, as users expect.
 */
import type { BattleMode, Modality, PublicModel } from "../../../src/wire";

const ARENAS: { arena: Modality; label: string; note: string }[] = [
  { arena: "text", label: "Text", note: "" },
  { arena: "vision", label: "Vision", note: "Attach images; both models answer about them." },
  { arena: "text-to-image", label: "Text to image", note: "Describe a picture; both models draw it." },
  { arena: "webdev", label: "WebDev", note: "Ask for a web app; both models build one, run side by side in a sandbox." },
];

/** The arenas a catalogue model takes part in. */
export function arenasOfModel(model: PublicModel): Modality[] {
  return model.arenas ?? [model.modality];
}

const MODES: { mode: BattleMode; label: string; note: string }[] = [
  { mode: "anonymous", label: "Arena", note: "Two anonymous models; your vote ranks them." },
  { mode: "side-by-side", label: "Side by side", note: "Pick two models to compare. Votes are recorded, not ranked." },
  { mode: "direct", label: "Direct chat", note: "Chat with one model." },
];

export interface ModePickerProps {
  arena: Modality;
  onArena(arena: Modality): void;
  mode: BattleMode;
  onMode(mode: BattleMode): void;
  models: PublicModel[];
  chosen: { a?: string; b?: string };
  onChoose(side: "a" | "b", id: string): void;
  locked: boolean;
}

function ModelSelect(props: { id: string; label: string; value?: string; models: PublicModel[]; disabled: boolean; onChange(id: string): void }) {
  return (
    <div class="model-select">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ""} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="" disabled>
          Choose a model…
        </option>
        {props.models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.name} · {model.organization}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A row of radio buttons drawn as one segmented control: arrow keys move between them, as users expect. */
function Segmented<T extends string>(props: { name: string; legend: string; options: { value: T; label: string }[]; value: T; onChange(value: T): void }) {
  return (
    <fieldset class="segmented">
      <legend class="visually-hidden">{props.legend}</legend>
      {props.options.map((option) => (
        <label key={option.value} class={option.value === props.value ? "segment segment--active" : "segment"}>
          <input type="radio" name={props.name} value={option.value} checked={option.value === props.value} onChange={() => props.onChange(option.value)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

export function ModePicker({ arena, onArena, mode, onMode, models: all, chosen, onChoose, locked }: ModePickerProps) {
  const arenaNote = ARENAS.find((a) => a.arena === arena)?.note;
  const note = arenaNote || MODES.find((m) => m.mode === mode)?.note;
  const models = all.filter((model) => arenasOfModel(model).includes(arena));
  return (
    <div class="mode-picker">
      <Segmented name="arena" legend="Arena" options={ARENAS.map((a) => ({ value: a.arena, label: a.label }))} value={arena} onChange={onArena} />
      <Segmented name="mode" legend="Mode" options={MODES.map((m) => ({ value: m.mode, label: m.label }))} value={mode} onChange={onMode} />
      {/* In named modes the model choice takes the note's place, so the panes keep their position. */}
      {mode === "anonymous" ? (
        <p class="mode-note">{note}</p>
      ) : (
        <div class="model-selects">
          <ModelSelect
            id="model-a"
            label={mode === "direct" ? "Model" : "Model A"}
            value={chosen.a}
            models={models}
            disabled={locked}
            onChange={(id) => onChoose("a", id)}
          />
          {mode === "side-by-side" && (
            <ModelSelect id="model-b" label="Model B" value={chosen.b} models={models} disabled={locked} onChange={(id) => onChoose("b", id)} />
          )}
        </div>
      )}
    </div>
  );
}
