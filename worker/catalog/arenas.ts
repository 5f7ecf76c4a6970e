/**
 * Which arenas a model takes part in. The catalogue says so per model (a chat
 * model may also see images and write web apps); a row without a list — a
 * lab's model — is in its modality's arena only.
 */
import { MODALITIES, type Modality } from "../../src/wire";

/** The arenas of a model row, from drizzle (parsed JSON) or raw SQL (JSON text). */
export function arenasOf(row: { modality: Modality; arenas: readonly Modality[] | string | null }): Modality[] {
  const listed = typeof row.arenas === "string" ? (JSON.parse(row.arenas) as unknown) : row.arenas;
  if (!Array.isArray(listed)) return [row.modality];
  return MODALITIES.filter((arena) => listed.includes(arena));
}
