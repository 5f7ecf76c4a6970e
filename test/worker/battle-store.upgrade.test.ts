/**
 * A battle's storage created before columns were added is upgraded when its
 * object next loads; a new battle gets its tables whole, without any schema
 * change on its first request; and an object asked about a battle nobody
 * started stores nothing at all.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BattleStore } from "../../worker/battle/battle-store";
import { ALPHA, BRAVO, api, postJson, registerModels, startBattle } from "./helpers";

const columns = (sql: SqlStorage, table: string) => sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray().map((c) => c.name);
/** The object's own tables (workerd keeps its internal ones under `_cf_`). */
const tables = (sql: SqlStorage) =>
  sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").toArray().map((t) => t.name);

describe("battle storage schema", () => {
  it("adds the later columns to storage of the first shape, keeping its rows", async () => {
    const stub = env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS turns; DROP TABLE IF EXISTS answers; DROP TABLE IF EXISTS outbox");
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE turns (turn INTEGER PRIMARY KEY, prompt TEXT NOT NULL);
        CREATE TABLE answers (turn INTEGER NOT NULL, side TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, finish_reason TEXT, error TEXT, PRIMARY KEY (turn, side));
        CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, write TEXT NOT NULL);
        INSERT INTO outbox (write) VALUES ('{}'); INSERT INTO turns (turn, prompt) VALUES (1, 'old prompt')`);
      new BattleStore(sql);
      expect(columns(sql, "outbox")).toEqual(expect.arrayContaining(["attempts", "next_attempt_at", "last_error", "dead"]));
      expect(columns(sql, "turns")).toContain("attachments");
      expect(columns(sql, "answers")).toContain("images");
      expect(sql.exec<{ prompt: string }>("SELECT prompt FROM turns").one().prompt).toBe("old prompt");
      expect(sql.exec<{ attempts: number }>("SELECT attempts FROM outbox").one().attempts).toBe(0);
    });
  });

  it("a new battle's tables have every column from the start", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Name a prime." });
    const stub = env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      expect(columns(sql, "outbox")).toEqual(["id", "write", "attempts", "next_attempt_at", "last_error", "dead"]);
      expect(columns(sql, "turns")).toEqual(["turn", "prompt", "attachments"]);
      expect(columns(sql, "answers")).toContain("images");
    });
  });

  it("a view, turn, vote, stop, share or shared view of a battle nobody started stores nothing", async () => {
    const battleId = crypto.randomUUID();
    const answers = [
      await api(`/api/v1/battles/${battleId}`),
      await postJson(`/api/v1/battles/${battleId}/messages`, { prompt: "Hello?" }),
      await postJson(`/api/v1/battles/${battleId}/vote`, { winner: "a" }),
      await postJson(`/api/v1/battles/${battleId}/stop`, {}),
      await postJson(`/api/v1/battles/${battleId}/share`, {}),
      await api(`/api/v1/shared/${battleId}/${"0".repeat(32)}`),
    ];
    for (const response of answers) {
      await response.text();
      expect(response.status).toBe(404);
    }
    const stub = env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));
    await runInDurableObject(stub, async (_instance, state) => {
      expect(tables(state.storage.sql)).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });
});
