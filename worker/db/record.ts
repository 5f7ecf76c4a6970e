/**
 * Writes to the durable record in D1. Every write is idempotent (insert or
 * ignore on its natural key), because the BattleSession outbox retries a
 * write until D1 has it: a retry must never duplicate a turn or a vote.
 */
import { drizzle } from "drizzle-orm/d1";
import { battles, battleTurns, votes } from "./schema";

export type BattleRecord = typeof battles.$inferInsert;
export type TurnRecord = typeof battleTurns.$inferInsert;
export type VoteRecord = Omit<typeof votes.$inferInsert, "seq" | "createdAt">;

export type RecordWrite =
  | { kind: "battle"; row: BattleRecord }
  | { kind: "turn"; row: TurnRecord }
  | { kind: "vote"; row: VoteRecord };

/** Applies one write; safe to repeat. */
export async function applyRecordWrite(d1: D1Database, write: RecordWrite): Promise<void> {
  const db = drizzle(d1);
  switch (write.kind) {
    case "battle":
      await db.insert(battles).values(write.row).onConflictDoNothing();
      return;
    case "turn":
      await db.insert(battleTurns).values(write.row).onConflictDoNothing();
      return;
    case "vote":
      await db.insert(votes).values(write.row).onConflictDoNothing({ target: votes.battleId });
      return;
  }
}
