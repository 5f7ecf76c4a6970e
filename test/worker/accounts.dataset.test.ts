/**
 * Conversations in the open dataset: only of people who allow it, only of
 * battles started after they did, scrubbed of personal data, linked to the
 * vote log by seq; gone from the next dataset once they stop allowing it.
 * The dataset still verifies.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChainedRecord } from "../../src/votelog/chain";
import { runRankingCron } from "../../worker/leaderboard/cron";
import type { ConversationRecord } from "../../worker/votelog/conversations";
import { Browser, signUp } from "./account-helpers";
import { expectLatestDatasetVerifies } from "./dataset-helpers";
import { ALPHA, BRAVO, api, battlePair, registerModels } from "./helpers";

async function votedBattle(browser: Browser, prompt: string): Promise<string> {
  const { battleId } = await browser.battle(prompt);
  await battlePair(battleId);
  expect((await browser.vote(battleId, "a")).status).toBe(200);
  return battleId;
}

async function conversationsOf(url: string): Promise<ConversationRecord[]> {
  const response = await api(url);
  expect(response.status).toBe(200);
  return (await response.text()).trimEnd().split("\n").map((line) => JSON.parse(line) as ConversationRecord);
}

describe("conversations in the open dataset", () => {
  it("publishes only what people allowed, from when they allowed it, scrubbed, and stops when they stop", async () => {
    await registerModels(ALPHA, BRAVO);
    const alice = new Browser();
    await signUp(alice);
    const before = await votedBattle(alice, "Before I allowed it: my address is alice.before@example.org");
    expect((await alice.send("PATCH", "/api/v1/me/settings", { publishConversations: true })).status).toBe(200);
    const secret = "sk-proj-" + "Ab3".repeat(16);
    const published = await votedBattle(alice, `Mail me at alice@example.org or call +44 20 7946 0958; my key is ${secret}; server 203.0.113.42`);
    const { battleId: unvoted } = await alice.battle("Never voted on");
    await battlePair(unvoted);
    const bob = new Browser();
    await signUp(bob);
    const bobs = await votedBattle(bob, "Bob never allowed publishing");

    await runRankingCron(env);
    const dataset = await expectLatestDatasetVerifies();
    const file = dataset.card.conversations!;
    expect(file).toMatchObject({ name: "conversations.jsonl", records: 1 });
    const [conversation] = await conversationsOf(file.url);
    expect(conversation!.battleId).toBe(published);
    expect([before, unvoted, bobs]).not.toContain(conversation!.battleId);
    const record = dataset.records.map((r) => r.record as ChainedRecord).find((r) => r.battleId === published)!;
    expect(conversation!.seq).toBe(record.seq);
    const text = JSON.stringify(conversation);
    for (const personal of ["alice@example.org", "7946", secret, "203.0.113.42"]) expect(text).not.toContain(personal);
    expect(conversation!.turns[0]!.prompt).toMatch(/\[email\].*\[phone\].*\[secret\].*\[ip\]/);
    expect(file.scrubbed).toMatchObject({ email: 1, phone: 1, secret: 1, ip: 1 });

    expect((await alice.send("PATCH", "/api/v1/me/settings", { publishConversations: false })).status).toBe(200);
    await votedBattle(bob, "one more vote, so there is a new publication");
    await runRankingCron(env, Date.now() + 1);
    const next = await expectLatestDatasetVerifies();
    expect(next.card.publicationId).not.toBe(dataset.card.publicationId);
    expect(next.card.conversations).toBeNull();
  });
});
