/**
 * The identity word list in force: the defaults from src/, any extra terms an
 * operator sets in `IDENTITY_TERMS` (comma-separated), and the revealed names
 * and organisations of the two models in the battle.
 */
import { DEFAULT_IDENTITY_TERMS, identityMatcher } from "../../src/battle/validity";
import type { RevealedModel } from "../../src/wire";

export function identityMatcherFor(env: Env, models: readonly RevealedModel[]): RegExp {
  const extra = ((env as { IDENTITY_TERMS?: string }).IDENTITY_TERMS ?? "").split(",");
  const own = models.flatMap((m) => [m.name, m.organization, m.id]).filter((t) => !/demo/i.test(t));
  return identityMatcher([...DEFAULT_IDENTITY_TERMS, ...extra, ...own]);
}
