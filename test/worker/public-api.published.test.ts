/**
 * The public API over what the ranking cron really publishes (not hand-made
 * fixtures): votes in D1, one cron run, then every read route answers, and
 * every answer matches the OpenAPI document.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { Validator, type Schema } from "@cfworker/json-schema";
import { beforeAll, describe, expect, it } from "vitest";
import type { LeaderboardIndex, PublicModel, PublishedLeaderboard } from "../../src/wire";
import worker from "../../worker/index";
import { ALPHA, BRAVO, api, registerModels, type FakeModel } from "./helpers";
import { unpublishAll } from "./public-api-fixtures";

const DELTA: FakeModel = { id: "plover-delta", name: "Plover Delta", organization: "Estuary Labs", provider: "openai", behaviour: "ok-delta" };

/** Counted votes straight into D1, with their battles and style features. */
async function insertVotes(n: number, a: string, b: string, pick: (i: number) => "a" | "b" | "tie", prefix: string) {
  const statements: D1PreparedStatement[] = [];
  const categories = JSON.stringify(["overall", "coding"]);
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${i}`;
    statements.push(
      env.DB.prepare("INSERT INTO battles (id, mode, model_a, model_b, categories) VALUES (?, 'anonymous', ?, ?, ?)").bind(id, a, b, categories),
      env.DB.prepare(
        "INSERT INTO votes (battle_id, mode, model_a, model_b, winner, counted, categories, turns, style_a, style_b, voted_at) VALUES (?, 'anonymous', ?, ?, ?, 1, ?, 1, ?, ?, ?)",
      ).bind(id, a, b, pick(i), categories, JSON.stringify({ tokens: 90 + (i % 40), headers: i % 3, listItems: i % 5, bold: i % 2 }), JSON.stringify({ tokens: 130, headers: 1, listItems: 2, bold: 1 }), Date.now()),
    );
  }
  await env.DB.batch(statements);
}

async function runCron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

type Document = { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Schema }> }> } }>; components: Schema };
let doc: Document;

function expectDocumented(path: string, body: unknown): void {
  const schema = doc.paths[path]!.get.responses["200"]!.content["application/json"]!.schema;
  const result = new Validator({ ...schema, components: doc.components } as Schema, "2020-12", false).validate(body);
  expect(result.errors).toEqual([]);
}

beforeAll(async () => {
  await unpublishAll();
  await registerModels(ALPHA, BRAVO, DELTA);
  await insertVotes(40, ALPHA.id, BRAVO.id, (i) => (i % 3 === 0 ? "b" : i % 7 === 0 ? "tie" : "a"), "ab");
  // Delta never loses: its interval is unbounded above (null) in the published rows.
  await insertVotes(12, DELTA.id, BRAVO.id, () => "a", "db");
  await runCron();
  doc = (await (await api("/api/v1/openapi.json")).json()) as Document;
});

describe("after a cron run", () => {
  it("the index lists the published categories, and each of their boards answers in its documented shape", async () => {
    const index = (await (await api("/api/v1/leaderboard/categories")).json()) as LeaderboardIndex;
    expectDocumented("/api/v1/leaderboard/categories", index);
    expect(index.categories.map((c) => c.id)).toEqual(expect.arrayContaining(["overall", "coding"]));

    for (const category of index.categories) {
      for (const style of category.styles) {
        const response = await api(`/api/v1/leaderboard?category=${encodeURIComponent(category.id)}&style=${style}&matrices=1`);
        expect(response.status).toBe(200);
        const board = (await response.json()) as PublishedLeaderboard;
        expectDocumented("/api/v1/leaderboard", board);
        // Matrices are published for the default style (the charts' input).
        if (style === "default") expect(board.matrices?.models.length).toBe(board.rows.length);
      }
    }
  });

  it("a model that never lost is published with a null upper bound, which the document allows", async () => {
    const board = (await (await api("/api/v1/leaderboard")).json()) as PublishedLeaderboard;
    const delta = board.rows.find((row) => row.modelId === DELTA.id);

    expect(delta?.upper).toBeNull();
    expectDocumented("/api/v1/leaderboard", board);
  });

  it("the catalogue and every ranked model's page answer in their documented shapes", async () => {
    const { models } = (await (await api("/api/v1/models")).json()) as { models: PublicModel[] };
    expectDocumented("/api/v1/models", { models });
    expect(models.map((m) => m.id)).toEqual([ALPHA.id, BRAVO.id, DELTA.id]);

    for (const model of models) {
      const response = await api(`/api/v1/models/${model.id}`);
      expect(response.status).toBe(200);
      expectDocumented("/api/v1/models/{id}", await response.json());
    }
  });
});

describe("the next cron run", () => {
  it("is what every host reads at once, though each had just cached the previous publication", async () => {
    const totalVotes = async (host: string) => {
      const response = await exports.default.fetch(new Request(`http://${host}/api/v1/leaderboard/categories`));
      return ((await response.json()) as LeaderboardIndex).totalVotes;
    };
    const hosts = ["127.0.0.1:8787", "localhost:8787"];
    const before = await totalVotes(hosts[0]!);
    for (const host of hosts) expect(await totalVotes(host)).toBe(before);

    await insertVotes(9, ALPHA.id, DELTA.id, (i) => (i % 2 ? "a" : "b"), "next");
    await runCron();

    for (const host of hosts) expect(await totalVotes(host)).toBe(before + 9);
  });
});
