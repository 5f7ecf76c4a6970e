/**
 * A vote acknowledged to the user is never lost and never doubled: when D1
 * fails, the BattleSession keeps the write in its outbox and its alarm
 * retries it on a back-off kept in storage; after the attempt cap the write
 * moves to D1's dead letters, once, where the health endpoint counts it.
 *
 * D1 failures are real: a D1 binding that fails every call (an outage), one
 * that commits and then loses the answer, or a table renamed away for the
 * length of a test (a permanent refusal, as after a missed migration).
 */
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getTableColumns, getTableName } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { quotaShard } from "../../src/integrity/quotas";
import type { VoteResponse } from "../../src/wire";
import { BattleSession, LIVE_STATE_RETENTION_MS } from "../../worker/battle/battle-session";
import { BattleStore } from "../../worker/battle/battle-store";
import type { RecordWrite } from "../../worker/db/record";
import { battles, battleTurns, votes } from "../../worker/db/schema";
import replaySql from "../../scripts/replay-dead-letters.sql?raw";
import { ALPHA, BRAVO, api, d1Rows, registerModels, startBattle, vote } from "./helpers";

const unavailableD1 = new Proxy(env.DB, {
  get(target, property) {
    if (property === "prepare" || property === "batch" || property === "exec") {
      return () => {
        throw new Error("D1_ERROR: simulated outage");
      };
    }
    return Reflect.get(target, property);
  },
});

/** A statement that runs for real, then loses its answer: the write is committed, the caller sees an error. */
function committedThenLost(statement: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(statement, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== "function") return value;
      if (property === "bind") return (...args: unknown[]) => committedThenLost((value as (...a: unknown[]) => D1PreparedStatement).apply(target, args));
      if (["run", "all", "raw", "first"].includes(String(property))) {
        return async (...args: unknown[]) => {
          await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          throw new Error("Network connection lost.");
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

const answerLostD1 = new Proxy(env.DB, {
  get(target, property) {
    if (property === "prepare") return (query: string) => committedThenLost(target.prepare(query));
    const value = Reflect.get(target, property) as unknown;
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});

type Stub = DurableObjectStub<BattleSession>;
const stubOf = (battleId: string): Stub => env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));

function setDatabase(battleId: string, db: D1Database) {
  const stub = stubOf(battleId);
  return runInDurableObject(stub, (instance: BattleSession) => {
    (instance as unknown as { env: Env }).env = { ...env, DB: db };
  }).then(() => stub);
}

interface OutboxRow {
  id: number;
  kind: RecordWrite["kind"];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  dead: number;
}

function outbox(stub: Stub): Promise<OutboxRow[]> {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<Record<string, SqlStorageValue>>("SELECT id, json_extract(write, '$.kind') AS kind, attempts, next_attempt_at, last_error, dead FROM outbox ORDER BY id")
      .toArray() as unknown as OutboxRow[],
  );
}

/** Waits until the writes of the first turn (battle row, turn) have reached D1. */
async function drained(stub: Stub): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await outbox(stub)).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the outbox did not drain");
}

/** A battle whose first turn is in D1, ready for its vote. */
async function playedBattle(prompt = "Hi"): Promise<{ battleId: string; stub: Stub }> {
  await registerModels(ALPHA, BRAVO);
  const { battleId } = await startBattle({ mode: "anonymous", prompt });
  const stub = stubOf(battleId);
  await drained(stub);
  return { battleId, stub };
}

const offline = new Set<string>();
/** The battle's vote is in D1 exactly once, and nothing is owed or dead-lettered. */
async function expectRecordedOnce(battleId: string, stub: Stub, winner: string): Promise<void> {
  expect(await votesOf(battleId)).toEqual([{ winner }]);
  expect(await outbox(stub)).toEqual([]);
  expect(await deadLettersOf(battleId)).toEqual([]);
}

async function takeOffline(table: string): Promise<void> {
  await env.DB.exec(`ALTER TABLE ${table} RENAME TO ${table}_offline`);
  offline.add(table);
}
async function bringOnline(table: string): Promise<void> {
  await env.DB.exec(`ALTER TABLE ${table}_offline RENAME TO ${table}`);
  offline.delete(table);
}
afterEach(async () => {
  for (const table of [...offline]) await bringOnline(table);
  await env.DB.exec("UPDATE dead_letters SET resolved_at = 1 WHERE resolved_at IS NULL");
  vi.restoreAllMocks();
});

function voteRow(battleId: string): Extract<RecordWrite, { kind: "vote" }>["row"] {
  return {
    battleId,
    sessionId: null,
    mode: "anonymous",
    modelA: ALPHA.id,
    modelB: BRAVO.id,
    winner: "a",
    counted: true,
    categories: ["overall"],
    turns: 1,
    styleA: {},
    styleB: {},
    votedAt: 1,
  };
}

/**
 * A battle whose row D1 refuses on every attempt (its model is not in the
 * catalogue, so the foreign key fails), with a turn and a vote queued behind
 * it. Returns once the outbox has been given its writes, before any attempt.
 */
async function refusedBattle(missingModel = `missing-${crypto.randomUUID()}`): Promise<{ battleId: string; stub: Stub; missingModel: string }> {
  await registerModels(ALPHA, BRAVO);
  const battleId = crypto.randomUUID();
  const stub = stubOf(battleId);
  const writes: RecordWrite[] = [
    { kind: "battle", row: { id: battleId, mode: "anonymous", modality: "text", modelA: missingModel, modelB: BRAVO.id, sessionId: null, categories: ["overall"], createdAt: 1 } },
    { kind: "turn", row: { battleId, turn: 1, prompt: "Hi", responseA: "x", responseB: "y", statusA: "done", statusB: "done" } },
    { kind: "vote", row: { ...voteRow(battleId), modelA: missingModel } },
  ];
  await runInDurableObject(stub, (_i, state) => {
    const store = new BattleStore(state.storage.sql);
    store.touch(Date.now());
    for (const write of writes) store.enqueue(write);
    return state.storage.setAlarm(Date.now() + 60_000);
  });
  return { battleId, stub, missingModel };
}

/** Runs the operator's replay script as `wrangler d1 execute --file` would: its statements in order, in one go. */
async function replayDeadLetters(): Promise<void> {
  const statements = replaySql
    .split(/;\s*$/m)
    .map((chunk) => chunk.replace(/^--.*$/gm, "").trim())
    .filter((statement) => statement !== "");
  await env.DB.batch(statements.map((statement) => env.DB.prepare(statement)));
}

// Alarms the tests set are a minute ahead, so that only runDurableObjectAlarm runs them.

/** The column list of each `INSERT OR IGNORE INTO table (...)` in the replay script, by table. */
function replayedColumns(): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const [, table, columns] of replaySql.replace(/^--.*$/gm, "").matchAll(/INSERT\s+OR\s+IGNORE\s+INTO\s+(\w+)\s*\(([^)]*)\)/gi)) {
    expect(lists.has(table!), `one INSERT into ${table}`).toBe(false);
    lists.set(table!, columns!.split(",").map((column) => column.trim()));
  }
  return lists;
}

const votesOf = (battleId: string) => d1Rows<{ winner: string }>("SELECT winner FROM votes WHERE battle_id = ?", battleId);
const deadLettersOf = (battleId: string) =>
  d1Rows<{ kind: string; outbox_id: number; attempts: number; last_error: string }>(
    "SELECT kind, outbox_id, attempts, last_error FROM dead_letters WHERE battle_id = ? ORDER BY outbox_id",
    battleId,
  );
const health = async () => (await (await api("/api/v1/health")).json()) as { status: string; deadLetters: { open: number | null } };

describe("the D1 outbox", () => {
  it("acknowledges a vote during a D1 outage and records it once D1 is back", async () => {
    const { battleId } = await playedBattle();
    const stub = await setDatabase(battleId, unavailableD1);

    const response = await vote(battleId, "bothbad");
    expect(response.status).toBe(200);
    expect(((await response.json()) as VoteResponse).counted).toBe(true);
    expect(await votesOf(battleId)).toEqual([]);

    // Still down: the alarm runs, fails again, and keeps the write.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await votesOf(battleId)).toEqual([]);

    await setDatabase(battleId, env.DB);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await votesOf(battleId)).toEqual([{ winner: "bothbad" }]);
    expect(await outbox(stub)).toEqual([]);
  });

  it("retries a vote D1 committed but whose answer was lost, without recording it twice", async () => {
    const { battleId, stub } = await playedBattle();
    await setDatabase(battleId, answerLostD1);

    expect((await vote(battleId, "a")).status).toBe(200);
    // D1 has the vote, but the object could not know: the write is still owed.
    expect(await votesOf(battleId)).toEqual([{ winner: "a" }]);
    expect(await outbox(stub)).toMatchObject([{ kind: "vote", attempts: 1 }]);

    await setDatabase(battleId, env.DB);
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    await expectRecordedOnce(battleId, stub, "a");
  });

  it("re-arms the alarm for the retry when a write fails, well before the retention alarm", async () => {
    const { battleId, stub } = await playedBattle();
    await setDatabase(battleId, unavailableD1);
    const before = Date.now();

    await vote(battleId, "b");

    const [entry] = await outbox(stub);
    expect(entry).toMatchObject({ kind: "vote", attempts: 1, dead: 0 });
    expect(entry!.last_error).toContain("simulated outage");
    expect(entry!.next_attempt_at - before).toBeGreaterThanOrEqual(1_000);
    expect(entry!.next_attempt_at - before).toBeLessThan(3_000);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBe(entry!.next_attempt_at);
  });

  it("retries a failing write on a doubling back-off until it lands", async () => {
    const { battleId, stub } = await playedBattle();
    await setDatabase(battleId, unavailableD1);
    await vote(battleId, "tie");

    for (const [attempts, delay] of [[2, 2_000], [3, 4_000], [4, 8_000]] as const) {
      const before = Date.now();
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const [entry] = await outbox(stub);
      expect(entry!.attempts).toBe(attempts);
      expect(entry!.next_attempt_at - before).toBeGreaterThanOrEqual(delay);
      expect(entry!.next_attempt_at - before).toBeLessThan(delay + 2_000);
    }

    await setDatabase(battleId, env.DB);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await votesOf(battleId)).toEqual([{ winner: "tie" }]);
    expect(await outbox(stub)).toEqual([]);
  });

  it("resumes an evicted object's back-off from storage, not from the start", async () => {
    const { battleId, stub } = await playedBattle();
    await takeOffline("votes");
    await vote(battleId, "a");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await outbox(stub)).toMatchObject([{ attempts: 2 }]);

    // What the runtime does after an eviction: a new instance over the stored state.
    const before = Date.now();
    await runInDurableObject(stub, async (instance: BattleSession, state) => {
      const revived = new (instance.constructor as typeof BattleSession)(state, env);
      await revived.alarm();
    });

    const [entry] = await outbox(stub);
    expect(entry!.attempts).toBe(3);
    expect(entry!.next_attempt_at - before).toBeGreaterThanOrEqual(4_000);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBe(entry!.next_attempt_at);

    await bringOnline("votes");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await votesOf(battleId)).toEqual([{ winner: "a" }]);
  });
});

describe("the attempt cap and the dead letters", () => {
  it("moves a write D1 keeps refusing to dead_letters once, empties the outbox, logs it, and health reports it", async () => {
    const { battleId, stub } = await playedBattle();
    const errors = vi.spyOn(console, "error");
    await takeOffline("votes");

    expect((await vote(battleId, "b")).status).toBe(200);
    for (let attempt = 2; attempt < 12; attempt++) expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [owed] = await outbox(stub);
    expect(owed).toMatchObject({ kind: "vote", attempts: 11, dead: 0 });
    const owedWrite = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ write: string }>("SELECT write FROM outbox").one().write);
    expect(await deadLettersOf(battleId)).toEqual([]);

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await outbox(stub)).toEqual([]);
    const letters = await deadLettersOf(battleId);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ kind: "vote", outbox_id: owed!.id, attempts: 12 });
    expect(letters[0]!.last_error).toContain("no such table: votes");
    const logged = errors.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"outbox.dead_letter"'));
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      { event: "outbox.dead_letter", battleId, outboxId: owed!.id, kind: "vote", attempts: 12, lastError: expect.stringContaining("no such table") },
    ]);
    expect(await health()).toMatchObject({ status: "degraded", deadLetters: { open: 1 } });

    // The object stopped between the move and the dequeue: the move is repeated, the letter is not.
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("INSERT INTO outbox (id, write, attempts) VALUES (?, ?, 11)", owed!.id, owedWrite);
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await outbox(stub)).toEqual([]);
    expect(await deadLettersOf(battleId)).toHaveLength(1);
    await bringOnline("votes");
    expect(await votesOf(battleId)).toEqual([]);
  });

  it("keeps a write marked dead in the outbox while D1 refuses the dead letter too, and moves it when D1 takes it", async () => {
    const { battleId, stub } = await playedBattle();
    await takeOffline("votes");
    await takeOffline("dead_letters");

    await vote(battleId, "a");
    for (let attempt = 2; attempt <= 12; attempt++) expect(await runDurableObjectAlarm(stub)).toBe(true);
    const before = Date.now();
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const [entry] = await outbox(stub);
    expect(entry).toMatchObject({ kind: "vote", dead: 1, attempts: 13 });
    expect(entry!.next_attempt_at - before).toBeGreaterThanOrEqual(60_000);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBe(entry!.next_attempt_at);

    await bringOnline("dead_letters");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await outbox(stub)).toEqual([]);
    expect(await deadLettersOf(battleId)).toMatchObject([{ kind: "vote", attempts: 14 }]);
  });

  it("still records a write marked dead if D1 takes the write itself first", async () => {
    const { battleId, stub } = await playedBattle();
    await takeOffline("votes");
    await takeOffline("dead_letters");
    await vote(battleId, "bothbad");
    for (let attempt = 2; attempt <= 12; attempt++) await runDurableObjectAlarm(stub);
    expect(await outbox(stub)).toMatchObject([{ dead: 1 }]);

    await bringOnline("votes");
    await bringOnline("dead_letters");
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    await expectRecordedOnce(battleId, stub, "bothbad");
  });

  it("sends a battle row D1 refuses for good to dead_letters with the turn and vote behind it, in order, and a later vote after them", async () => {
    const { battleId, stub } = await refusedBattle();

    for (let attempt = 1; attempt <= 12; attempt++) expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await outbox(stub)).toEqual([]);
    const letters = await deadLettersOf(battleId);
    expect(letters.map((l) => [l.kind, l.attempts])).toEqual([["battle", 12], ["turn", 0], ["vote", 0]]);
    expect(letters[0]!.last_error).toContain("FOREIGN KEY");
    expect(letters[1]!.last_error).toBe(`held behind the dead-lettered battle row (outbox ${letters[0]!.outbox_id})`);
    expect(letters.map((l) => l.outbox_id)).toEqual([...letters.map((l) => l.outbox_id)].sort((x, y) => x - y));

    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("INSERT INTO outbox (write) VALUES (?)", JSON.stringify({ kind: "vote", row: { ...voteRow(battleId), winner: "b" } }));
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await deadLettersOf(battleId)).map((l) => l.kind)).toEqual(["battle", "turn", "vote", "vote"]);
    expect(await d1Rows("SELECT 1 FROM battles WHERE id = ?", battleId)).toEqual([]);
    expect(await votesOf(battleId)).toEqual([]);
  });

  it("upgrades an outbox made before the retry columns, keeping its owed writes", async () => {
    await registerModels(ALPHA, BRAVO);
    const battleId = crypto.randomUUID();
    const stub = stubOf(battleId);
    const battleRow: RecordWrite = { kind: "battle", row: { id: battleId, mode: "anonymous", modality: "text", modelA: ALPHA.id, modelB: BRAVO.id, sessionId: null, categories: ["overall"], createdAt: 1 } };

    const columns = await runInDurableObject(stub, (_i, state) => {
      // A battle's storage from before the retry columns (and before its shape was recorded).
      new BattleStore(state.storage.sql).touch(Date.now());
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'schema'");
      state.storage.sql.exec("DROP TABLE outbox");
      state.storage.sql.exec("CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, write TEXT NOT NULL)");
      state.storage.sql.exec("INSERT INTO outbox (write) VALUES (?)", JSON.stringify(battleRow));
      new BattleStore(state.storage.sql);
      return state.storage.sql.exec<{ name: string }>("PRAGMA table_info(outbox)").toArray().map((c) => c.name);
    });

    expect(columns).toEqual(["id", "write", "attempts", "next_attempt_at", "last_error", "dead"]);
    expect(await outbox(stub)).toMatchObject([{ kind: "battle", attempts: 0, next_attempt_at: 0, last_error: null, dead: 0 }]);
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await d1Rows("SELECT model_a FROM battles WHERE id = ?", battleId)).toEqual([{ model_a: ALPHA.id }]);
    expect(await outbox(stub)).toEqual([]);
  });
});

describe("live state retention", () => {
  it("removes a battle's live state after the retention period, keeping the D1 record", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    await vote(battleId, "a");
    const stub = stubOf(battleId);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();

    // Not yet expired: the alarm only re-arms itself.
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    expect((await api(`/api/v1/battles/${battleId}`)).status).toBe(200);

    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'lastActivity'", JSON.stringify(Date.now() - LIVE_STATE_RETENTION_MS - 1));
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    await runDurableObjectAlarm(stub);
    expect((await api(`/api/v1/battles/${battleId}`)).status).toBe(404);
    expect(await votesOf(battleId)).toEqual([{ winner: "a" }]);
  });
});

describe("replaying dead letters (scripts/replay-dead-letters.sql)", () => {
  it("lands a battle's dead letters in order once the cause is fixed, resolves them, and changes nothing when run again", async () => {
    const { battleId, stub, missingModel } = await refusedBattle();
    for (let attempt = 1; attempt <= 12; attempt++) await runDurableObjectAlarm(stub);
    expect(await deadLettersOf(battleId)).toHaveLength(3);

    // Run before the cause is fixed, it lands nothing and leaves the letters open.
    await replayDeadLetters();
    expect(await d1Rows("SELECT 1 FROM battles WHERE id = ?", battleId)).toEqual([]);
    expect(await health()).toMatchObject({ status: "degraded", deadLetters: { open: 3 } });

    await env.DB.prepare(
      "INSERT INTO models (id, name, organization, provider, provider_model_id, status) VALUES (?, 'Restored', 'Acme Labs', 'openai', 'ok-alpha', 'retired')",
    )
      .bind(missingModel)
      .run();
    await replayDeadLetters();

    expect(await d1Rows("SELECT model_a FROM battles WHERE id = ?", battleId)).toEqual([{ model_a: missingModel }]);
    expect(await d1Rows("SELECT turn, response_a FROM battle_turns WHERE battle_id = ?", battleId)).toEqual([{ turn: 1, response_a: "x" }]);
    expect(
      await d1Rows("SELECT winner, counted, categories, style_a FROM votes WHERE battle_id = ?", battleId),
    ).toEqual([{ winner: "a", counted: 1, categories: '["overall"]', style_a: "{}" }]);
    expect(await health()).toMatchObject({ status: "ok", deadLetters: { open: 0 } });

    await replayDeadLetters();
    expect(await votesOf(battleId)).toHaveLength(1);
  });

  it("replays a turn's images with it: the prompt's and each side's", async () => {
    const battleId = crypto.randomUUID();
    const image = { url: `/api/v1/media/${"a".repeat(64)}.png`, mediaType: "image/png", width: 64, height: 64 };
    await env.DB.batch([
      env.DB.prepare("INSERT OR IGNORE INTO models (id, name, organization, provider, provider_model_id, status) VALUES ('replay-painter', 'Replay Painter', 'Acme Labs', 'openai', 'ok-paint', 'retired')"),
      env.DB.prepare("INSERT INTO battles (id, mode, modality, model_a, model_b, categories, created_at) VALUES (?, 'anonymous', 'text-to-image', 'replay-painter', 'replay-painter', '[]', 1)").bind(battleId),
      env.DB.prepare("INSERT INTO dead_letters (battle_id, kind, write, attempts, last_error, outbox_id, created_at) VALUES (?, 'turn', ?, 12, 'D1 was down', 2, 1)").bind(
        battleId,
        JSON.stringify({ kind: "turn", row: { battleId, turn: 1, prompt: "a kite", responseA: "", responseB: "", statusA: "done", statusB: "done", attachments: [image], imagesA: [image], imagesB: null } }),
      ),
    ]);
    await replayDeadLetters();
    const [turn] = await d1Rows<{ attachments: string; images_a: string; images_b: string | null }>("SELECT attachments, images_a, images_b FROM battle_turns WHERE battle_id = ?", battleId);
    expect(JSON.parse(turn!.images_a)).toEqual([image]);
    expect(JSON.parse(turn!.attachments)).toEqual([image]);
    expect(turn!.images_b).toBeNull();
  });

  it("replays a battle's account and a vote's keyed IP with them", async () => {
    const battleId = crypto.randomUUID();
    const accountId = `account-${crypto.randomUUID()}`;
    const ipKey = "f".repeat(64);
    await env.DB.batch([
      env.DB.prepare("INSERT OR IGNORE INTO models (id, name, organization, provider, provider_model_id, status) VALUES ('replay-owl', 'Replay Owl', 'Acme Labs', 'openai', 'ok-alpha', 'retired')"),
      env.DB.prepare("INSERT INTO dead_letters (battle_id, kind, write, attempts, last_error, outbox_id, created_at) VALUES (?, 'battle', ?, 12, 'D1 was down', 1, 1)").bind(
        battleId,
        JSON.stringify({ kind: "battle", row: { id: battleId, mode: "anonymous", modality: "text", modelA: "replay-owl", modelB: "replay-owl", sessionId: "replay-session", accountId, categories: ["overall"], createdAt: 1 } }),
      ),
      env.DB.prepare("INSERT INTO dead_letters (battle_id, kind, write, attempts, last_error, outbox_id, created_at) VALUES (?, 'vote', ?, 0, 'held behind', 3, 1)").bind(
        battleId,
        JSON.stringify({ kind: "vote", row: { ...voteRow(battleId), modelA: "replay-owl", modelB: "replay-owl", sessionId: "replay-session", promptHash: "p".repeat(64), ipKey } }),
      ),
    ]);

    await replayDeadLetters();

    expect(await d1Rows("SELECT account_id, session_id FROM battles WHERE id = ?", battleId)).toEqual([{ account_id: accountId, session_id: "replay-session" }]);
    expect(await d1Rows("SELECT ip_key, prompt_hash FROM votes WHERE battle_id = ?", battleId)).toEqual([{ ip_key: ipKey, prompt_hash: "p".repeat(64) }]);
    expect(await health()).toMatchObject({ deadLetters: { open: 0 } });
  });

  it("gives a replayed battle the account its session was merged into while the letter waited, as the record does", async () => {
    const battleId = crypto.randomUUID();
    const sessionId = `session-${crypto.randomUUID()}`;
    const accountId = `account-${crypto.randomUUID()}`;
    await env.DB.batch([
      env.DB.prepare("INSERT OR IGNORE INTO models (id, name, organization, provider, provider_model_id, status) VALUES ('replay-owl', 'Replay Owl', 'Acme Labs', 'openai', 'ok-alpha', 'retired')"),
      env.DB.prepare("INSERT INTO accounts (id) VALUES (?)").bind(accountId),
      env.DB.prepare("INSERT INTO account_sessions (session_id, account_id, merged_at) VALUES (?, ?, 2)").bind(sessionId, accountId),
      env.DB.prepare("INSERT INTO dead_letters (battle_id, kind, write, attempts, last_error, outbox_id, created_at) VALUES (?, 'battle', ?, 12, 'D1 was down', 1, 1)").bind(
        battleId,
        JSON.stringify({ kind: "battle", row: { id: battleId, mode: "anonymous", modality: "text", modelA: "replay-owl", modelB: "replay-owl", sessionId, accountId: null, categories: ["overall"], createdAt: 1 } }),
      ),
    ]);

    await replayDeadLetters();

    expect(await d1Rows("SELECT account_id FROM battles WHERE id = ?", battleId)).toEqual([{ account_id: accountId }]);
  });

  it("inserts every column of battles, battle_turns and votes that the record writes", () => {
    // Columns the record never writes, so the replay leaves them to D1.
    const notWritten: Record<string, string[]> = {
      battles: [],
      battle_turns: [],
      // seq: autoincrement, the append order; created_at: its default (VoteRecord omits both).
      votes: ["seq", "created_at"],
    };
    const listed = replayedColumns();
    expect([...listed.keys()].sort()).toEqual(["battle_turns", "battles", "votes"]);
    const missing: Record<string, string[]> = {};
    for (const table of [battles, battleTurns, votes]) {
      const name = getTableName(table);
      const columns = Object.values(getTableColumns(table)).map((column) => column.name);
      for (const excluded of notWritten[name]!) expect(columns, `${name}.${excluded} is a column`).toContain(excluded);
      missing[name] = columns.filter((column) => !notWritten[name]!.includes(column) && !listed.get(name)!.includes(column));
    }
    expect(missing, "columns the replay script leaves out").toEqual({ battles: [], battle_turns: [], votes: [] });
  });

  it("resolves a dead vote the record already holds, without a second vote or an error", async () => {
    const { battleId, stub } = await playedBattle();
    await takeOffline("votes");
    await vote(battleId, "b");
    for (let attempt = 2; attempt <= 12; attempt++) await runDurableObjectAlarm(stub);
    const [letter] = await d1Rows<{ outbox_id: number; write: string }>("SELECT outbox_id, write FROM dead_letters WHERE battle_id = ?", battleId);
    await bringOnline("votes");
    // The object stopped after the move but before the dequeue, and its next attempt landed the vote.
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("INSERT INTO outbox (id, write) VALUES (?, ?)", letter!.outbox_id, letter!.write);
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    await runDurableObjectAlarm(stub);
    expect(await votesOf(battleId)).toEqual([{ winner: "b" }]);
    expect(await health()).toMatchObject({ deadLetters: { open: 1 } });

    await replayDeadLetters();

    expect(await votesOf(battleId)).toEqual([{ winner: "b" }]);
    expect(await health()).toMatchObject({ status: "ok", deadLetters: { open: 0 } });
  });
});

describe("a Durable Object reset mid-vote", () => {
  /**
   * Puts a D1 binding in the battle's object whose first statement resets
   * the object, as the runtime does when it restarts one mid-request: the
   * vote's answer is never sent, and its storage write, not yet confirmed,
   * goes with the object's state. The caps have already granted their units.
   */
  function resetOnFirstWrite(battleId: string): Promise<unknown> {
    const stub = stubOf(battleId);
    return runInDurableObject(stub, (instance: BattleSession, state) => {
      const reset = (): never => {
        state.abort("reset mid-vote");
        throw new Error("unreachable: abort throws");
      };
      const statement = (): D1PreparedStatement =>
        new Proxy({} as D1PreparedStatement, { get: (_t, property) => (property === "bind" ? () => statement() : ["run", "all", "raw", "first"].includes(String(property)) ? reset : undefined) });
      const db = new Proxy(env.DB, { get: (target, property) => (property === "prepare" ? () => statement() : property === "batch" || property === "exec" ? reset : Reflect.get(target, property)) });
      (instance as unknown as { env: Env }).env = { ...env, DB: db };
    });
  }

  it("keeps a vote acknowledged before the reset and records it in D1 once; a retry of it gets the same answer", async () => {
    const { battleId } = await playedBattle();
    await takeOffline("votes");
    const first = await vote(battleId, "b");
    expect(first.status).toBe(200);
    const reveal = (await first.json()) as VoteResponse;

    await abortAllDurableObjects();
    // Stubs made before a reset are broken, as in production: ask again.
    const stub = stubOf(battleId);
    await bringOnline("votes");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expectRecordedOnce(battleId, stub, "b");

    const retry = await vote(battleId, "b");
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(reveal);
    const other = await vote(battleId, "a");
    expect(other.status).toBe(409);
    await expectRecordedOnce(battleId, stub, "b");
  });

  it("answers a vote cut off by a reset with 503 and Retry-After; the retry records it once and takes the caps once", async () => {
    const { battleId } = await playedBattle(`Only this battle asks ${crypto.randomUUID()}`);
    await resetOnFirstWrite(battleId);

    const cut = await vote(battleId, "tie");
    expect(cut.status).toBe(503);
    expect(cut.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await cut.json()) as { error: { code: string } }).error.code).toBe("unavailable");

    const stub = stubOf(battleId);
    const retry = await vote(battleId, "tie");
    expect(retry.status).toBe(200);
    expect((await retry.json()) as VoteResponse).toMatchObject({ winner: "tie", counted: true });
    await expectRecordedOnce(battleId, stub, "tie");
    const [row] = await d1Rows<{ prompt_hash: string }>("SELECT prompt_hash FROM votes WHERE battle_id = ?", battleId);
    const key = `prompt:${row!.prompt_hash}`;
    const quota = env.VOTE_QUOTA.get(env.VOTE_QUOTA.idFromName(`shard:${quotaShard(key)}`));
    expect(await quota.current(key)).toBe(1);
  });
});
