/**
 * The battle rules as the BattleSession enforces them over HTTP: one vote,
 * only after both answers finished, no turn after the vote, and state that
 * survives the object being evicted or crashing mid-stream.
 */
import { abortAllDurableObjects, evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BattleView, VoteResponse } from "../../src/wire";
import { ALPHA, BRAVO, adoptBattle, api, continueBattle, d1Rows, parseEvents, postJson, registerModels, sessionCookieOf, startBattle, vote, type FakeModel } from "./helpers";

const SLOW: FakeModel = { id: "tortoise", name: "Tortoise", organization: "Slowpoke Inc", provider: "openai", behaviour: "slow-tortoise" };
const STALLING: FakeModel = { id: "sloth", name: "Sloth", organization: "Idle Co", provider: "google", behaviour: "stall" };

function stubOf(battleId: string) {
  return env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId));
}

/** Starts a battle and returns as soon as the `battle` event has arrived. */
async function startOpenBattle(prompt = "Take your time.") {
  const response = await postJson("/api/v1/battles", { mode: "anonymous", prompt });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  while (!buffered.includes("\n\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended before the battle event");
    buffered += decoder.decode(value, { stream: true });
  }
  const [first] = parseEvents(buffered.slice(0, buffered.indexOf("\n\n") + 2));
  if (first?.type !== "battle") throw new Error("expected the battle event first");
  adoptBattle(first.battleId, response);
  const drain = async () => {
    let rest = buffered;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return parseEvents(rest);
      rest += decoder.decode(value, { stream: true });
    }
  };
  return { battleId: first.battleId, drain };
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("voting", () => {
  it("refuses a second vote on the same battle with 409 and keeps the first; the first repeated gets its answer again", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    const first = await vote(battleId, "a");
    expect(first.status).toBe(200);
    const reveal = await first.json();
    const second = await vote(battleId, "b");
    expect(second.status).toBe(409);
    expect(await errorCode(second)).toBe("already_voted");
    const repeated = await vote(battleId, "a");
    expect(repeated.status).toBe(200);
    expect(await repeated.json()).toEqual(reveal);
    expect(await d1Rows<{ winner: string }>("SELECT winner FROM votes WHERE battle_id = ?", battleId)).toEqual([{ winner: "a" }]);
  });

  it("accepts exactly one of many concurrent votes on one battle", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    const winners = ["a", "b", "tie", "bothbad", "a", "b", "tie", "bothbad"] as const;
    const responses = await Promise.all(winners.map((w) => vote(battleId, w)));
    const answers = await Promise.all(responses.map(async (r, k) => ({ winner: winners[k], status: r.status, body: (await r.json()) as VoteResponse })));
    const accepted = answers.filter((a) => a.status === 200);
    // One vote is cast. The same vote repeated after it was recorded gets its answer again; every other is refused.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const answer of accepted) expect(answer.body).toEqual(accepted[0]!.body);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409)).toBe(true);
    expect(answers.filter((a) => a.winner !== accepted[0]!.body.winner).every((a) => a.status === 409)).toBe(true);
    const rows = await d1Rows<{ winner: string; counted: number }>("SELECT winner, counted FROM votes WHERE battle_id = ?", battleId);
    expect(rows).toEqual([{ winner: accepted[0]!.body.winner, counted: 1 }]);
  });

  it("refuses a vote while an answer is still streaming (409), then accepts it", async () => {
    await registerModels(ALPHA, SLOW);
    const { battleId, drain } = await startOpenBattle();
    const early = await vote(battleId, "a");
    expect(early.status).toBe(409);
    expect(await errorCode(early)).toBe("vote_not_allowed");
    await drain();
    expect((await vote(battleId, "a")).status).toBe(200);
  });

  it("refuses a new turn after the vote", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    await vote(battleId, "tie");
    const response = await postJson(`/api/v1/battles/${battleId}/messages`, { prompt: "more" });
    expect(response.status).toBe(409);
  });

  it("refuses a new turn while the previous one streams", async () => {
    await registerModels(ALPHA, SLOW);
    const { battleId, drain } = await startOpenBattle();
    const response = await postJson(`/api/v1/battles/${battleId}/messages`, { prompt: "more" });
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("turn_in_progress");
    await drain();
  });

  it("makes the vote record immutable in D1", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    await vote(battleId, "a");
    await expect(env.DB.prepare("UPDATE votes SET winner = 'b' WHERE battle_id = ?").bind(battleId).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM votes WHERE battle_id = ?").bind(battleId).run()).rejects.toThrow(/append-only/);
  });
});

describe("a battle's state across evictions", () => {
  it("survives the object being evicted between turns", async () => {
    await registerModels(ALPHA, BRAVO);
    const first = await startBattle({ mode: "anonymous", prompt: "Remember this" });
    await evictDurableObject(stubOf(first.battleId));
    const second = await continueBattle(first.battleId, "Still there?");
    expect(second.text.a).toContain("I have seen 3 messages");
    await evictDurableObject(stubOf(first.battleId));
    const reveal = (await (await vote(first.battleId, "b")).json()) as VoteResponse;
    expect(reveal.counted).toBe(true);
  });

  it("turns an answer cut off by a crash mid-stream into an interrupted side the user can still vote on", async () => {
    await registerModels(ALPHA, STALLING);
    const { battleId } = await startOpenBattle();
    await abortAllDurableObjects();
    const view = (await (await api(`/api/v1/battles/${battleId}`)).json()) as BattleView;
    const statuses = Object.values(view.turns[0]!.sides).map((s) => s.status);
    expect(statuses).toContain("error");
    const interrupted = Object.values(view.turns[0]!.sides).filter((s) => s.error === "interrupted");
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    const reveal = (await (await vote(battleId, "a")).json()) as VoteResponse;
    expect(reveal).toMatchObject({ counted: false, reason: "side_error" });
    const turns = await d1Rows<{ turn: number }>("SELECT turn FROM battle_turns WHERE battle_id = ?", battleId);
    expect(turns).toEqual([{ turn: 1 }]);
  });
});

describe("bad input", () => {
  it("answers invalid JSON with 400 and the error format", async () => {
    const response = await postJson("/api/v1/battles", "{mode: anonymous");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("names what is wrong in a schema-invalid request", async () => {
    for (const [body, fragment] of [
      [{ mode: "anonymous" }, "prompt"],
      [{ mode: "tournament", prompt: "hi" }, "mode"],
      [{ mode: "anonymous", prompt: "   " }, "prompt must not be empty"],
      [{ mode: "anonymous", prompt: "hi", extra: 1 }, "extra"],
      [{ mode: "side-by-side", prompt: "hi", models: ["only-one"] }, "models"],
      [[1, 2, 3], "(body)"],
    ] as const) {
      const response = await postJson("/api/v1/battles", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(await response.json())).toContain(fragment);
    }
  });

  it("answers an over-long prompt with 413", async () => {
    await registerModels(ALPHA, BRAVO);
    const response = await postJson("/api/v1/battles", { mode: "anonymous", prompt: "x".repeat(30_001) });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("prompt_too_long");
    const atLimit = await startBattle({ mode: "anonymous", prompt: "y".repeat(30_000) });
    expect(atLimit.events.at(-1)?.type).toBe("end");
  });

  it("answers an over-large body with 413", async () => {
    const response = await postJson("/api/v1/battles", { mode: "anonymous", prompt: "z".repeat(300_000) });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("payload_too_large");
  });

  it("answers an unknown or malformed battle id with 404", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-battle", "..%2f..%2fetc"]) {
      for (const response of [await vote(id, "a"), await api(`/api/v1/battles/${id}`), await postJson(`/api/v1/battles/${id}/messages`, { prompt: "x" })]) {
        expect(response.status, id).toBe(404);
        expect(await errorCode(response)).toBe("not_found");
      }
    }
  });

  it("answers an unknown winner with 400 and never records it", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    expect((await vote(battleId, "c")).status).toBe(400);
    expect(await d1Rows("SELECT 1 FROM votes WHERE battle_id = ?", battleId)).toEqual([]);
    expect((await vote(battleId, "a")).status).toBe(200);
  });

  it("answers 503 when fewer than two models are available", async () => {
    await registerModels(ALPHA);
    const response = await postJson("/api/v1/battles", { mode: "anonymous", prompt: "Hi" });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("no_models_available");
  });

  it("refuses side-by-side with an unknown or identical model", async () => {
    await registerModels(ALPHA, BRAVO);
    for (const models of [[ALPHA.id, "nope"], [ALPHA.id, ALPHA.id]]) {
      const response = await postJson("/api/v1/battles", { mode: "side-by-side", prompt: "Hi", models });
      expect(response.status).toBe(400);
    }
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After once a session has started too many turns in a minute", async () => {
    const first = await postJson("/api/v1/battles", { mode: "anonymous" });
    const cookie = sessionCookieOf(first)!;
    const statuses: number[] = [first.status];
    // Invalid bodies are cheap and still count: the limit guards the endpoint, not only valid prompts.
    for (let i = 1; i < 20; i++) statuses.push((await postJson("/api/v1/battles", { mode: "anonymous" }, { cookie })).status);
    expect(statuses.every((s) => s === 400)).toBe(true);
    const limited = await postJson("/api/v1/battles", { mode: "anonymous", prompt: "hi" }, { cookie });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await errorCode(limited)).toBe("rate_limited");
    // Another session is not affected.
    const other = await postJson("/api/v1/battles", { mode: "anonymous" });
    expect(other.status).toBe(400);
  });
});

describe("stopping", () => {
  it("stops the side still generating: it ends as `stopped`, the other finishes, and the vote does not count", async () => {
    await registerModels(ALPHA, SLOW);
    const { battleId, drain } = await startOpenBattle();
    const response = await postJson(`/api/v1/battles/${battleId}/stop`, {});
    expect(response.status).toBe(200);
    const { stopped } = (await response.json()) as { stopped: string[] };
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    const events = await drain();
    for (const side of stopped) {
      expect(events.filter((e) => "side" in e && e.side === side).at(-1)).toMatchObject({ type: "error", code: "stopped" });
    }
    expect(events.at(-1)?.type).toBe("end");
    const reveal = (await (await vote(battleId, "a")).json()) as VoteResponse;
    expect(reveal).toMatchObject({ counted: false, reason: "side_error" });
  });

  it("stops nothing once both answers are complete, and 404s for an unknown battle", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    expect(await (await postJson(`/api/v1/battles/${battleId}/stop`, {})).json()).toEqual({ battleId, stopped: [] });
    expect((await vote(battleId, "a")).status).toBe(200);
    expect((await postJson("/api/v1/battles/00000000-0000-4000-8000-000000000000/stop", {})).status).toBe(404);
  });
});
