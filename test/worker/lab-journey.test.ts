/**
 * The lab's whole journey, as issue 9 puts it: a lab onboards with a key,
 * tests a preview privately against real votes, releases it, and receives
 * signed webhooks as its rank moves. Every event arrives through the real
 * local queue at a real receiver on loopback and is verified with the
 * standardwebhooks library, as a lab's receiver would.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { WebhookEnvelope } from "../../src/webhooks/events";
import { applyRecordWrite } from "../../worker/db/record";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { expectLatestDatasetVerifies } from "./dataset-helpers";
import { ALPHA, BRAVO, battlePair, d1Rows, registerModels, startBattle, vote } from "./helpers";
import { call, eventually, newHook, newLab, received, receiverName, verifyWith } from "./webhook-helpers";

const CODENAME = "steady-heron";
const EVENTS = ["leaderboard.published", "model.rank_changed", "model.votes_milestone", "preview.results_ready", "model.released", "model.retired"];
const STYLE = { tokens: 120, headers: 0, listItems: 1, bold: 0 };

let lab: { id: string; apiKey: string };
let hook: { id: string; secret: string; name: string };

/** Every event the receiver got so far, each signature verified. */
async function events(): Promise<WebhookEnvelope[]> {
  return (await received(hook.name)).map((request) => verifyWith(hook.secret, request) as WebhookEnvelope);
}
const ofType = async (type: string) => (await events()).filter((e) => e.type === type);
/** Waits until every delivery owed to the hook has been made (the receiver then has them all). */
const settled = () =>
  eventually("every delivery to settle", async () => {
    const [row] = await d1Rows<{ pending: number; total: number }>("SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) AS total FROM webhook_deliveries WHERE webhook_id = ?", hook.id);
    return row!.pending === 0 && (await received(hook.name)).length === row!.total;
  });
const arrived = (type: string, count = 1) => eventually(`${count} × ${type}`, async () => ((await ofType(type)).length >= count ? ofType(type) : null));


/** `count` stored, counted votes in which `winner` beats `loser` (through the record path the outbox uses). */
async function seedVotes(winner: string, loser: string, count: number, tag = "a"): Promise<void> {
  for (let i = 0; i < count; i++) {
    const battleId = `journey-${tag}-${winner}-${loser}-${i}`;
    const [modelA, modelB] = i % 2 ? [winner, loser] : [loser, winner];
    await applyRecordWrite(env.DB, { kind: "battle", row: { id: battleId, mode: "anonymous", modelA, modelB, categories: ["overall"] } });
    await applyRecordWrite(env.DB, {
      kind: "vote",
      row: { battleId, mode: "anonymous", modelA, modelB, winner: modelA === winner ? "a" : "b", counted: true, categories: ["overall"], turns: 1, styleA: STYLE, styleB: STYLE, votedAt: Date.now() },
    });
  }
}

beforeAll(async () => {
  await registerModels(ALPHA, BRAVO);
  lab = await newLab("Journey Lab");
  hook = await newHook(lab, receiverName("journey"), "", EVENTS);
});

describe("a lab's journey", () => {
  let rankAtRelease = 0;

  it("tests a preview privately against real votes and hears that its results are ready", async () => {
    const registered = await call("POST", "/api/v1/lab/models", lab.apiKey, {
      codename: CODENAME,
      provider: "openai-compatible",
      endpoint: `${env.FAKE_PROVIDER_URL}/v1`,
      providerModelId: "needs-lab-key",
      apiKey: "lab-endpoint-secret-5150",
    });
    expect(registered.status).toBe(201);
    let votes = 0;
    for (let i = 0; votes < 6 && i < 60; i++) {
      const turn = await startBattle({ mode: "anonymous", prompt: `Explain recursion, attempt ${i}` });
      const [a, b] = await battlePair(turn.battleId);
      const side = a === CODENAME ? "a" : b === CODENAME ? "b" : null;
      if (side === null) continue;
      expect((await vote(turn.battleId, side)).status).toBe(200);
      votes++;
    }
    // Public models' votes too, so there is a public board to publish.
    await seedVotes(ALPHA.id, BRAVO.id, 6);
    await runRankingCron(env);
    const [ready] = await arrived("preview.results_ready");
    expect(ready!.data).toEqual({ modelId: CODENAME, codename: CODENAME, votes, resultsPath: `/api/v1/lab/models/${CODENAME}/results` });
    const [published] = await arrived("leaderboard.published");
    expect((published!.data as { categories: string[] }).categories).toContain("overall");
    // A preview is on no public board, so no rank of it can move.
    expect(await ofType("model.rank_changed")).toEqual([]);
    // Its votes are in the open log under its codename, and the public boards are recomputed without them.
    const dataset = await expectLatestDatasetVerifies();
    expect(dataset.card.parameters.excludedModels).toContain(CODENAME);
  });

  it("releases it and hears so at once", async () => {
    expect((await call("POST", `/api/v1/lab/models/${CODENAME}/release`, lab.apiKey, { name: "Steady Heron 1" })).status).toBe(200);
    const [released] = await arrived("model.released");
    expect(released!.data).toMatchObject({ modelId: CODENAME, name: "Steady Heron 1", codename: CODENAME });
    await runRankingCron(env, Date.now() + 1);
    const board = (await (await call("GET", "/api/v1/leaderboard?category=overall", null)).json()) as { rows: { modelId: string; rank: number }[] };
    rankAtRelease = board.rows.find((r) => r.modelId === CODENAME)!.rank;
    // Released: the same records now count on the public boards, and still reproduce them.
    expect((await expectLatestDatasetVerifies()).card.parameters.excludedModels).not.toContain(CODENAME);
  });

  it("hears its rank move and its votes pass a milestone, each once", async () => {
    await seedVotes(ALPHA.id, CODENAME, 120);
    await seedVotes(BRAVO.id, CODENAME, 120);
    const report = await runRankingCron(env, Date.now() + 2);
    expect(report.webhooks.events).toBeGreaterThan(0);

    const moved = (await arrived("model.rank_changed")).filter((e) => (e.data as { style: string }).style === "default");
    expect(moved).toHaveLength(1);
    expect(moved[0]!.data).toMatchObject({ modelId: CODENAME, name: "Steady Heron 1", category: "overall", previousRank: rankAtRelease, rank: 3 });
    expect(rankAtRelease).toBeLessThan(3);
    const [milestone] = await arrived("model.votes_milestone");
    expect(milestone!.data).toMatchObject({ modelId: CODENAME, milestone: 100 });

    // A new publication in which the lab's model neither moves nor passes a milestone: no event about it.
    await seedVotes(ALPHA.id, BRAVO.id, 2, "b");
    const again = await runRankingCron(env, Date.now() + 3);
    expect(again.publish.publicationId).toBeDefined();
    await settled();
    expect(await ofType("leaderboard.published")).toHaveLength(4);
    expect((await ofType("model.rank_changed")).filter((e) => (e.data as { style: string }).style === "default")).toHaveLength(1);
    expect(await ofType("model.votes_milestone")).toHaveLength(1);
  });

  it("retires it and hears so, with the reason", async () => {
    expect((await call("POST", `/api/v1/lab/models/${CODENAME}/retire`, lab.apiKey, { reason: "Replaced by Steady Heron 2" })).status).toBe(200);
    const [retired] = await arrived("model.retired");
    expect(retired!.data).toMatchObject({ modelId: CODENAME, reason: "Replaced by Steady Heron 2" });
    // Each delivery once under its own id: receivers de-duplicate by webhook-id.
    const ids = (await received(hook.name)).map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
