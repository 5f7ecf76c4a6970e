/**
 * A vote acknowledged to the user is never lost: when D1 is unavailable, the
 * BattleSession keeps the write in its outbox and its alarm retries until D1
 * has it — exactly once.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { VoteResponse } from "../../src/wire";
import type { BattleSession } from "../../worker/battle/battle-session";
import { ALPHA, BRAVO, api, d1Rows, registerModels, startBattle, vote } from "./helpers";
import { LIVE_STATE_RETENTION_MS } from "../../worker/battle/battle-session";

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

function setDatabase(battleId: string, db: D1Database) {
  const stub = env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));
  return runInDurableObject(stub, (instance: BattleSession) => {
    (instance as unknown as { env: Env }).env = { ...env, DB: db };
  }).then(() => stub);
}

describe("the D1 outbox", () => {
  it("acknowledges a vote during a D1 outage and records it once D1 is back", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    const stub = await setDatabase(battleId, unavailableD1);

    const response = await vote(battleId, "bothbad");
    expect(response.status).toBe(200);
    expect(((await response.json()) as VoteResponse).counted).toBe(true);
    expect(await d1Rows("SELECT 1 FROM votes WHERE battle_id = ?", battleId)).toEqual([]);

    // Still down: the alarm runs, fails again, and keeps the write.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await d1Rows("SELECT 1 FROM votes WHERE battle_id = ?", battleId)).toEqual([]);

    await setDatabase(battleId, env.DB);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await d1Rows<{ winner: string }>("SELECT winner FROM votes WHERE battle_id = ?", battleId)).toEqual([{ winner: "bothbad" }]);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("SELECT count(*) AS n FROM outbox").one().n)).toBe(0);

    // A stray retry after success changes nothing.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO outbox (write) VALUES (?)",
        JSON.stringify({ kind: "vote", row: { battleId, mode: "anonymous", modelA: ALPHA.id, modelB: BRAVO.id, winner: "a", counted: true, categories: ["overall"], turns: 1, styleA: {}, styleB: {}, votedAt: 1 } }),
      );
    });
    await runInDurableObject(stub, (_instance, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    expect(await d1Rows<{ winner: string }>("SELECT winner FROM votes WHERE battle_id = ?", battleId)).toEqual([{ winner: "bothbad" }]);
  });

  it("removes a battle's live state after the retention period, keeping the D1 record", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    await vote(battleId, "a");
    const stub = env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();

    // Not yet expired: the alarm only re-arms itself.
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    expect((await api(`/api/v1/battles/${battleId}`)).status).toBe(200);

    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'lastActivity'", JSON.stringify(Date.now() - LIVE_STATE_RETENTION_MS - 1));
      return state.storage.setAlarm(Date.now());
    });
    await runDurableObjectAlarm(stub);
    expect((await api(`/api/v1/battles/${battleId}`)).status).toBe(404);
    expect(await d1Rows("SELECT winner FROM votes WHERE battle_id = ?", battleId)).toEqual([{ winner: "a" }]);
  });
});
