/**
 * The public vote record: what the open vote log publishes about each stored
 * vote, counted or not. No personal data: no session, no IP or prompt hash,
 * no prompt or answer text. Model ids are the arena's ids; a lab preview's id
 * is its codename, which stays its id once released, so a record never
 * changes when a model is released.
 */
import type { StyleFeatures } from "../battle/style";
import type { VoteExclusionReason } from "../battle/validity";

export interface PublicVoteRecord {
  /** Position in the log: the vote's `seq`, strictly increasing, gaps never reused. */
  seq: number;
  battleId: string;
  /** "anonymous" votes are the only ones that can count. */
  mode: "anonymous" | "side-by-side" | "direct";
  modelA: string;
  modelB: string;
  winner: "a" | "b" | "tie" | "bothbad";
  /** Category tags of the battle at the vote, sorted. */
  categories: string[];
  turns: number;
  styleA: StyleFeatures;
  styleB: StyleFeatures;
  /** Milliseconds since the Unix epoch, UTC. */
  votedAt: number;
  counted: boolean;
  /** Why it does not count; null when it counts. */
  reason: VoteExclusionReason | null;
}
