import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { ErrorBody, ModelDetail, PublicModel } from "../../src/wire";
import { KV_PUBLIC_MODELS, modelKey } from "../../worker/leaderboard/kv-keys";
import { ALPHA, BRAVO, api, registerModels } from "./helpers";
import { ATLAS, ATLAS_DETAIL, BRIO, CEDAR, DEMO, PREVIEW, putJson, unpublishAll } from "./public-api-fixtures";

beforeEach(async () => {
  await unpublishAll();
});

async function listed(): Promise<PublicModel[]> {
  const response = await api("/api/v1/models");
  expect(response.status).toBe(200);
  return ((await response.json()) as { models: PublicModel[] }).models;
}

describe("GET /api/v1/models", () => {
  it("answers the catalogue the cron published, byte for byte", async () => {
    await putJson(KV_PUBLIC_MODELS, { models: [ATLAS, BRIO, CEDAR] });

    const response = await api("/api/v1/models");

    expect(await response.text()).toBe(await env.LEADERBOARD.get(KV_PUBLIC_MODELS, "text"));
  });

  it("reads the published catalogue, not D1, once there is one", async () => {
    await registerModels(ALPHA, BRAVO);
    await putJson(KV_PUBLIC_MODELS, { models: [ATLAS, BRIO] });

    expect((await listed()).map((m) => m.id)).toEqual([ATLAS.id, BRIO.id]);
  });

  it("lists neither preview models nor demo models while the demo is off", async () => {
    await putJson(KV_PUBLIC_MODELS, { models: [ATLAS, DEMO, PREVIEW, { ...CEDAR, status: "retired" }] });

    expect(await listed()).toEqual([ATLAS]);
  });

  it("falls back to the available models in D1 before the first publication", async () => {
    await registerModels(BRAVO, ALPHA);

    const models = await listed();

    expect(models.map((m) => m.id)).toEqual([ALPHA.id, BRAVO.id]);
    expect(models[0]).toEqual({ id: ALPHA.id, name: ALPHA.name, organization: ALPHA.organization, modality: "text", arenas: ["text"], status: "active", demo: false, license: null });
  });
});

describe("GET /api/v1/models/{id}", () => {
  it("answers the published detail, byte for byte", async () => {
    await putJson(modelKey(ATLAS.id), ATLAS_DETAIL);

    const response = await api(`/api/v1/models/${ATLAS.id}`);

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toBe(await env.LEADERBOARD.get(modelKey(ATLAS.id), "text"));
    expect((JSON.parse(text) as ModelDetail).headToHead.map((h) => h.opponentId)).toEqual([BRIO.id, CEDAR.id]);
  });

  it("answers 404 in the error format for a model with nothing published", async () => {
    const response = await api("/api/v1/models/no-such-model");

    expect(response.status).toBe(404);
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ code: "not_found", message: 'no published model "no-such-model"' });
    expect(error.requestId).toBe(response.headers.get("x-request-id"));
  });
});
