/**
 * Writes to the durable record in D1. Every write is idempotent (insert or
 * ignore on its natural key), because the BattleSession outbox retries a
 * write until D1 has it: a retry must never duplicate a turn or a vote.
 *
 * A write the outbox gives up on goes to `dead_letters` instead, keyed by
 * (battle, outbox entry) so that moving it twice leaves one row.
 */
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accountSessions } from "./accounts-schema";
import { battles, battleTurns, deadLetters, votes } from "./schema";

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
      // A battle whose session was merged into an account while this row waited in the outbox is the account's.
      await db.batch([
        db.insert(battles).values(write.row).onConflictDoNothing(),
        db
          .update(battles)
          .set({ accountId: sql`(SELECT ${accountSessions.accountId} FROM ${accountSessions} WHERE ${accountSessions.sessionId} = ${battles.sessionId})` })
          .where(and(eq(battles.id, write.row.id), isNull(battles.accountId), sql`${battles.sessionId} IN (SELECT ${accountSessions.sessionId} FROM ${accountSessions})`)),
      ]);
      return;
    case "turn":
      await db.insert(battleTurns).values(write.row).onConflictDoNothing();
      return;
    case "vote":
      await db.insert(votes).values(write.row).onConflictDoNothing({ target: votes.battleId });
      return;
  }
}

/** Longest error text kept with an outbox entry or a dead letter. */
const ERROR_TEXT_MAX = 500;

/**
 * What D1 said, for logs and dead letters: drizzle wraps D1's error in one
 * whose message repeats the whole query and its parameters (a vote, say),
 * so the innermost cause is the useful part.
 */
export function d1Cause(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  return String(inner).slice(0, ERROR_TEXT_MAX);
}

/** The battle a write belongs to. */
export function battleIdOf(write: RecordWrite): string {
  return write.kind === "battle" ? write.row.id : write.row.battleId;
}

/**
 * Whether the write needs its battle row in D1 first: turns and votes
 * reference `battles.id`, and D1 enforces foreign keys, so without the row
 * they can only fail.
 */
export function needsBattleRow(write: RecordWrite): boolean {
  return write.kind !== "battle";
}

/** A write the outbox gave up on, as it is kept for the operator. */
export interface DeadLetter {
  outboxId: number;
  write: RecordWrite;
  attempts: number;
  lastError: string;
}

/** Stores a dead letter; safe to repeat (one row per battle and outbox entry). */
export async function storeDeadLetter(d1: D1Database, letter: DeadLetter): Promise<void> {
  await drizzle(d1)
    .insert(deadLetters)
    .values({
      battleId: battleIdOf(letter.write),
      kind: letter.write.kind,
      write: letter.write,
      attempts: letter.attempts,
      lastError: letter.lastError,
      outboxId: letter.outboxId,
    })
    .onConflictDoNothing({ target: [deadLetters.battleId, deadLetters.outboxId] });
}

/** Dead letters an operator has not resolved yet. */
export async function openDeadLetters(d1: D1Database): Promise<number> {
  const [row] = await drizzle(d1).select({ n: count() }).from(deadLetters).where(isNull(deadLetters.resolvedAt));
  return row?.n ?? 0;
}
