/**
 * Caps on counted votes (this project runs with 3 per session per day, 5 per
 * IP per day, 4 per prompt): votes over a cap are stored, answered, and not
 * counted, with reason vote_cap or duplicate_prompt; parallel votes cannot
 * race past a cap; a refused vote uses up nothing.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { QUOTA_SHARDS, quotaShard } from "../../src/integrity/quotas";
import type { VoteQuota } from "../../worker/integrity/vote-quota";
import type { VoteResponse } from "../../src/wire";
import { ALPHA, BRAVO, d1Rows, ownerCookie, postJson, randomIp, registerModels, startBattle } from "../worker/helpers";

const unique = (label: string) => `${label} ${crypto.randomUUID()}`;

async function castAs(battleId: string, headers: Record<string, string> = {}): Promise<VoteResponse> {
  const response = await postJson(`/api/v1/battles/${battleId}/vote`, { winner: "a" }, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as VoteResponse;
}

/** Battles started in one session (the first one's), each with its own prompt. */
async function battlesOfOneSession(count: number, prompt = () => unique("question")): Promise<string[]> {
  const first = await startBattle({ mode: "anonymous", prompt: prompt() });
  const cookie = ownerCookie(first.battleId);
  const rest = [];
  for (let i = 1; i < count; i++) rest.push((await startBattle({ mode: "anonymous", prompt: prompt() }, { cookie })).battleId);
  return [first.battleId, ...rest];
}

async function storedVote(battleId: string) {
  const [row] = await d1Rows<{ counted: number; exclusion_reason: string | null; prompt_hash: string | null }>(
    "SELECT counted, exclusion_reason, prompt_hash FROM votes WHERE battle_id = ?",
    battleId,
  );
  return row;
}

describe("daily cap per session", () => {
  it("counts a session's first 3 votes of the day and stores the 4th as vote_cap", async () => {
    await registerModels(ALPHA, BRAVO);
    const ids = await battlesOfOneSession(4);
    const results = [];
    for (const id of ids) results.push(await castAs(id));
    expect(results.map((r) => r.counted)).toEqual([true, true, true, false]);
    expect(results[3]!.reason).toBe("vote_cap");
    expect(await storedVote(ids[3]!)).toMatchObject({ counted: 0, exclusion_reason: "vote_cap" });
    expect((await storedVote(ids[0]!))!.prompt_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("cannot be raced: 6 parallel votes of one session count exactly 3 times", async () => {
    await registerModels(ALPHA, BRAVO);
    const ids = await battlesOfOneSession(6);
    const results = await Promise.all(ids.map((id) => castAs(id)));
    expect(results.filter((r) => r.counted)).toHaveLength(3);
    expect(results.filter((r) => r.reason === "vote_cap")).toHaveLength(3);
  });
});

describe("one vote per battle", () => {
  it("parallel votes on one battle record one vote and use one unit of the cap", async () => {
    await registerModels(ALPHA, BRAVO);
    const [contested, ...others] = await battlesOfOneSession(3);
    const responses = await Promise.all((["a", "b", "tie"] as const).map((winner) => postJson(`/api/v1/battles/${contested}/vote`, { winner })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(await d1Rows("SELECT 1 FROM votes WHERE battle_id = ?", contested)).toHaveLength(1);
    // Two units of the session's 3 remain.
    for (const id of others) expect((await castAs(id)).counted).toBe(true);
  });
});

describe("daily cap per IP", () => {
  it("counts 5 votes from one address across fresh sessions, then stores the rest as vote_cap", async () => {
    await registerModels(ALPHA, BRAVO);
    const ip = randomIp();
    const results = [];
    for (let i = 0; i < 6; i++) {
      const { battleId } = await startBattle({ mode: "anonymous", prompt: unique("from one NAT") });
      results.push(await castAs(battleId, { "cf-connecting-ip": ip }));
    }
    expect(results.map((r) => r.counted)).toEqual([true, true, true, true, true, false]);
    expect(results[5]!.reason).toBe("vote_cap");
  });
});

describe("duplicate prompts", () => {
  it("counts a prompt 4 times, whatever its case and spacing, then stores it as duplicate_prompt", async () => {
    await registerModels(ALPHA, BRAVO);
    const base = unique("what is the capital of france");
    const variants = [base, base.toUpperCase(), `  ${base} `, base.replace(/ /g, "\n"), base];
    const results = [];
    for (const prompt of variants) {
      const { battleId } = await startBattle({ mode: "anonymous", prompt });
      results.push(await castAs(battleId));
    }
    expect(results.map((r) => r.counted)).toEqual([true, true, true, true, false]);
    expect(results[4]!.reason).toBe("duplicate_prompt");
  });

  it("a vote refused for its prompt uses up none of the session's cap", async () => {
    await registerModels(ALPHA, BRAVO);
    const popular = unique("hello");
    for (let i = 0; i < 4; i++) await castAs((await startBattle({ mode: "anonymous", prompt: popular })).battleId);
    const prompts = [popular, unique("a"), unique("b"), unique("c")];
    const ids = await battlesOfOneSession(4, () => prompts.shift()!);
    const results = [];
    for (const id of ids) results.push(await castAs(id));
    expect(results.map((r) => r.reason ?? "counted")).toEqual(["duplicate_prompt", "counted", "counted", "counted"]);
  });
});

describe("the counter shards", () => {
  const shardStub = (name: string) => env.VOTE_QUOTA.get(env.VOTE_QUOTA.idFromName(name));

  it("counts an expired counter as empty, and its alarm forgets it and wakes for the next", async () => {
    const stub = shardStub(`test-shard:${crypto.randomUUID()}`);
    const now = Date.now();
    const soon = { key: "session:x:day", limit: 2, expiresAt: now + 60_000 };
    const later = { key: "ip:y:day", limit: 2, expiresAt: now + 120_000 };
    const forever = { key: "prompt:z", limit: 2, expiresAt: null };
    expect(await stub.take([soon, later, forever], now, "b1")).toEqual([true, true, true]);
    expect(await stub.take([soon, later, forever], now, "b2")).toEqual([true, true, true]);
    expect(await stub.take([soon, later, forever], now, "b3")).toEqual([false, false, false]);
    // Past its expiry a counter is empty again, before any sweep.
    expect(await stub.current(soon.key, soon.expiresAt)).toBe(0);
    expect(await stub.current(later.key, soon.expiresAt)).toBe(2);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBe(soon.expiresAt);

    await runInDurableObject(stub, async (instance: VoteQuota) => {
      const realNow = Date.now;
      Date.now = () => soon.expiresAt;
      try {
        await instance.alarm();
      } finally {
        Date.now = realNow;
      }
    });
    const keys = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ key: string }>("SELECT key FROM counters ORDER BY key").toArray().map((r) => r.key));
    expect(keys).toEqual([later.key, forever.key].sort());
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBe(later.expiresAt);
  });

  it("gives back units without going below zero", async () => {
    const stub = shardStub(`test-shard:${crypto.randomUUID()}`);
    const claim = { key: "prompt:w", limit: 1, expiresAt: null };
    expect(await stub.take([claim], Date.now(), "b1")).toEqual([true]);
    await stub.release([claim.key, claim.key], "b1");
    expect(await stub.current(claim.key)).toBe(0);
    // Only the battle that took a unit gives it back.
    expect(await stub.take([claim], Date.now(), "b2")).toEqual([true]);
    await stub.release([claim.key], "b1");
    expect(await stub.current(claim.key)).toBe(1);
  });

  it("takes one unit per battle however often its vote is retried", async () => {
    const stub = shardStub(`test-shard:${crypto.randomUUID()}`);
    const claim = { key: "session:s:day", limit: 2, expiresAt: Date.now() + 60_000 };
    for (let i = 0; i < 3; i++) expect(await stub.take([claim], Date.now(), "b1")).toEqual([true]);
    expect(await stub.current(claim.key)).toBe(1);
    expect(await stub.take([claim], Date.now(), "b2")).toEqual([true]);
    expect(await stub.take([claim], Date.now(), "b3")).toEqual([false]);
  });

  it("refuses a battle over the limit again when its vote is retried, and takes nothing for it", async () => {
    const stub = shardStub(`test-shard:${crypto.randomUUID()}`);
    const claim = { key: "session:r:day", limit: 1, expiresAt: Date.now() + 60_000 };
    expect(await stub.take([claim], Date.now(), "b1")).toEqual([true]);
    for (let i = 0; i < 3; i++) expect(await stub.take([claim], Date.now(), "b2")).toEqual([false]);
    expect(await stub.current(claim.key)).toBe(1);
    // The battle that was refused gives nothing back either.
    await stub.release([claim.key], "b2");
    expect(await stub.current(claim.key)).toBe(1);
  });

  it("starts an expired counter again at one, with its new expiry", async () => {
    const stub = shardStub(`test-shard:${crypto.randomUUID()}`);
    const now = Date.now();
    const today = { key: "session:e:day", limit: 2, expiresAt: now + 60_000 };
    expect(await stub.take([today], now, "b1")).toEqual([true]);
    expect(await stub.take([today], now, "b2")).toEqual([true]);
    const tomorrow = { ...today, expiresAt: today.expiresAt + 86_400_000 };
    expect(await stub.take([tomorrow], today.expiresAt, "b3")).toEqual([true]);
    expect(await stub.current(today.key, today.expiresAt)).toBe(1);
    expect(await stub.take([tomorrow], today.expiresAt, "b4")).toEqual([true]);
    expect(await stub.take([tomorrow], today.expiresAt, "b5")).toEqual([false]);
  });

  it("keeps the caps' counters in the shards their keys hash to, and nowhere else", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: unique("where") });
    await castAs(battleId);
    const [row] = await d1Rows<{ prompt_hash: string }>("SELECT prompt_hash FROM votes WHERE battle_id = ?", battleId);
    const key = `prompt:${row!.prompt_hash}`;
    expect(await shardStub(`shard:${quotaShard(key)}`).current(key)).toBe(1);
    expect(await shardStub(`shard:${(quotaShard(key) + 1) % QUOTA_SHARDS}`).current(key)).toBe(0);
  });
});
