/**
 * Caps on counted votes (this project runs with 3 per session per day, 5 per
 * IP per day, 4 per prompt): votes over a cap are stored, answered, and not
 * counted, with reason vote_cap or duplicate_prompt; parallel votes cannot
 * race past a cap; a refused vote uses up nothing.
 */
import { describe, expect, it } from "vitest";
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
    const responses = await Promise.all([1, 2, 3].map(() => postJson(`/api/v1/battles/${contested}/vote`, { winner: "a" })));
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
