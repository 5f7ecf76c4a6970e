/**
 * The BattleSession's own SQLite storage: the battle's setup, its turns and
 * answers (checkpointed while streaming), the vote, and the outbox of writes
 * still owed to D1. All calls are synchronous (SQLite-backed Durable Object
 * storage), which is what lets the object change state atomically.
 */
import type { BattleState, SideState, TurnState, VoteState } from "../../src/battle/rules";
import { sidesOf } from "../../src/battle/rules";
import type { BattleMode, Side } from "../../src/wire";
import type { RecordWrite } from "../db/record";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS turns (turn INTEGER PRIMARY KEY, prompt TEXT NOT NULL, attachments TEXT);
CREATE TABLE IF NOT EXISTS answers (
  turn INTEGER NOT NULL, side TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL,
  finish_reason TEXT, error TEXT, images TEXT, PRIMARY KEY (turn, side));
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, write TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT, dead INTEGER NOT NULL DEFAULT 0);
`;

/**
 * Columns tables gained after objects with the first shape were live. A new
 * object creates its tables whole (a battle's first request must not wait
 * on schema changes); an object created before a column existed gets it
 * added when it next loads.
 */
const ADDED_COLUMNS: Record<string, Record<string, string>> = {
  outbox: {
    attempts: "INTEGER NOT NULL DEFAULT 0",
    next_attempt_at: "INTEGER NOT NULL DEFAULT 0",
    last_error: "TEXT",
    dead: "INTEGER NOT NULL DEFAULT 0",
  },
  // Vision prompts' images and text-to-image answers, as JSON ImageRef arrays.
  turns: { attachments: "TEXT" },
  answers: { images: "TEXT" },
};

/**
 * The tables' shape, kept in `meta`: storage of this shape needs no look at
 * its columns when its object starts again (every vote after an eviction
 * does); older storage is upgraded once and marked.
 */
const SCHEMA_VERSION = 2;

/** A write owed to D1, with its retry state. */
export interface OutboxEntry {
  id: number;
  write: RecordWrite;
  /** Failed attempts so far. */
  attempts: number;
  /** Not to be tried before this time (ms since the epoch) unless the alarm fires. */
  nextAttemptAt: number;
  /** Given up on, but D1 refused the dead letter too: kept until it can be moved. */
  dead: boolean;
}

interface OutboxRow extends Record<string, SqlStorageValue> {
  id: number;
  write: string;
  attempts: number;
  next_attempt_at: number;
  dead: number;
}

interface AnswerRow extends Record<string, SqlStorageValue> {
  turn: number;
  side: string;
  text: string;
  status: string;
  finish_reason: string | null;
  error: string | null;
  images: string | null;
}

/**
 * The tables exist from the battle's first write, not from the object's
 * start: any well-formed id reaches an object (a view, a vote or a turn on
 * an id nobody started), and an object that writes nothing keeps no
 * storage. Creating the tables up front had every such request leave an
 * empty battle's storage behind for good (no alarm ever removes it).
 */
export class BattleStore {
  private created = false;

  constructor(private readonly sql: SqlStorage) {
    if (!this.exists() || this.getMeta<number>("schema") === SCHEMA_VERSION) return;
    sql.exec(SCHEMA);
    for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
      const present = new Set(sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray().map((c) => c.name));
      for (const [name, type] of Object.entries(columns)) {
        if (!present.has(name)) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
      }
    }
    this.setMeta("schema", SCHEMA_VERSION);
  }

  /** Whether the tables exist (asked again until they do: a fresh object is read only a few times). */
  private exists(): boolean {
    this.created ||= this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'meta'").one().n > 0;
    return this.created;
  }

  /** Creates the tables, whole, before the first write. */
  private create(): void {
    if (this.exists()) return;
    this.sql.exec(SCHEMA);
    this.created = true;
    this.setMeta("schema", SCHEMA_VERSION);
  }

  private getMeta<T>(key: string): T | undefined {
    if (!this.exists()) return undefined;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  private setMeta(key: string, value: unknown): void {
    this.create();
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }

  /** Reads the whole battle back, or undefined for a fresh object. */
  load<Init extends { battleId: string; mode: BattleMode }>(): { init: Init; battle: BattleState } | undefined {
    const init = this.getMeta<Init>("init");
    if (!init) return undefined;
    const turns = new Map<number, TurnState>();
    for (const row of this.sql.exec<{ turn: number; prompt: string; attachments: string | null }>("SELECT turn, prompt, attachments FROM turns ORDER BY turn")) {
      turns.set(row.turn, { turn: row.turn, prompt: row.prompt, sides: {}, ...(row.attachments ? { attachments: JSON.parse(row.attachments) } : {}) });
    }
    for (const row of this.sql.exec<AnswerRow>("SELECT * FROM answers")) {
      const answer: SideState = { text: row.text, status: row.status as SideState["status"] };
      if (row.finish_reason) answer.finishReason = row.finish_reason;
      if (row.error) answer.error = row.error as SideState["error"];
      if (row.images) answer.images = JSON.parse(row.images);
      turns.get(row.turn)!.sides[row.side as Side] = answer;
    }
    const vote = this.getMeta<VoteState>("vote");
    const battle: BattleState = {
      battleId: init.battleId,
      mode: init.mode,
      sides: sidesOf(init.mode),
      turns: [...turns.values()],
      ...(vote ? { vote } : {}),
    };
    return { init, battle };
  }

  saveInit(init: unknown): void {
    this.setMeta("init", init);
  }

  saveVote(vote: VoteState): void {
    this.setMeta("vote", vote);
  }

  /** Stores a new turn and its (empty, streaming) answers. */
  saveTurn(turn: TurnState): void {
    this.create();
    this.sql.exec("INSERT INTO turns (turn, prompt, attachments) VALUES (?, ?, ?)", turn.turn, turn.prompt, turn.attachments ? JSON.stringify(turn.attachments) : null);
    for (const [side, answer] of Object.entries(turn.sides) as [Side, SideState][]) this.saveAnswer(turn.turn, side, answer);
  }

  saveAnswer(turn: number, side: Side, answer: SideState): void {
    this.create();
    this.sql.exec(
      "INSERT OR REPLACE INTO answers (turn, side, text, status, finish_reason, error, images) VALUES (?, ?, ?, ?, ?, ?, ?)",
      turn,
      side,
      answer.text,
      answer.status,
      answer.finishReason ?? null,
      answer.error ?? null,
      answer.images ? JSON.stringify(answer.images) : null,
    );
  }

  /** The share token, once the battle has been shared. */
  shareToken(): string | undefined {
    return this.getMeta<string>("shareToken");
  }

  saveShareToken(token: string): string {
    this.setMeta("shareToken", token);
    return token;
  }

  /** Time of the last turn or vote, in ms since the epoch. */
  touch(now: number): void {
    this.setMeta("lastActivity", now);
  }

  lastActivity(): number {
    return this.getMeta<number>("lastActivity") ?? 0;
  }

  enqueue(write: RecordWrite): void {
    this.create();
    this.sql.exec("INSERT INTO outbox (write) VALUES (?)", JSON.stringify(write));
  }

  /** The oldest write still owed to D1: writes are applied in the order they were made. */
  peek(): OutboxEntry | undefined {
    if (!this.exists()) return undefined;
    const row = this.sql
      .exec<OutboxRow>("SELECT id, write, attempts, next_attempt_at, dead FROM outbox ORDER BY id LIMIT 1")
      .toArray()[0];
    if (!row) return undefined;
    return {
      id: row.id,
      write: JSON.parse(row.write) as RecordWrite,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      dead: row.dead === 1,
    };
  }

  /** Keeps a failed write with its new retry state. */
  recordFailure(id: number, failure: { attempts: number; nextAttemptAt: number; lastError: string; dead: boolean }): void {
    this.sql.exec(
      "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, dead = ? WHERE id = ?",
      failure.attempts,
      failure.nextAttemptAt,
      failure.lastError,
      failure.dead ? 1 : 0,
      id,
    );
  }

  dequeue(id: number): void {
    this.sql.exec("DELETE FROM outbox WHERE id = ?", id);
  }

  /**
   * Outbox id of this battle's row once it is dead-lettered: its turns and
   * vote cannot land before it, so they follow it (see docs/outbox.md).
   */
  deadBattleRow(): number | undefined {
    return this.getMeta<number>("deadBattleRow");
  }

  markBattleRowDead(outboxId: number): void {
    this.setMeta("deadBattleRow", outboxId);
  }

  /** Number of writes still owed to D1 (for tests and health checks). */
  pending(): number {
    if (!this.exists()) return 0;
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
  }
}
