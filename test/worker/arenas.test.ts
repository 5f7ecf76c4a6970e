/**
 * The arenas beyond text chat, through the Worker: image uploads (R2),
 * sampling by arena, vision prompts reaching both real providers with their
 * images, text-to-image battles through OpenAI's and Google's image APIs
 * against the local fake server, WebDev apps served sandboxed, and the
 * voter's identity report.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { encode } from "fast-png";
import { beforeAll, describe, expect, it } from "vitest";
import type { HistoryDetail } from "../../src/accounts/wire";
import type { BattleView, LeaderboardIndex, PublishedLeaderboard, SamplingReport, UploadResponse } from "../../src/wire";
import worker from "../../worker/index";
import { WEBAPP_CONTENT_SECURITY_POLICY } from "../../src/battle/webdev";
import { ALPHA, BRAVO, api, battlePair, d1Rows, ownerCookie, postJson, registerModels, startBattle, vote, type FakeModel } from "./helpers";

const PAINTER_A: FakeModel = { id: "painter-openai", name: "Painter O", organization: "Acme Labs", provider: "openai", behaviour: "ok-paint-a", modality: "text-to-image", arenas: ["text-to-image"] };
const PAINTER_B: FakeModel = { id: "painter-google", name: "Painter G", organization: "Borealis AI", provider: "google", behaviour: "gemini-ok-paint-b", modality: "text-to-image", arenas: ["text-to-image"] };
const SEER_A: FakeModel = { ...ALPHA, id: "seer-openai", arenas: ["text", "vision", "webdev"] };
const SEER_B: FakeModel = { ...BRAVO, id: "seer-google", arenas: ["text", "vision"] };
const BUILDER: FakeModel = { id: "builder-openai", name: "Builder", organization: "Acme Labs", provider: "openai", behaviour: "web-builder", arenas: ["webdev"] };
const BUILDER_2: FakeModel = { ...BUILDER, id: "builder-openai-2", behaviour: "web-second" };

/** A PNG with a text chunk (where cameras and editors put metadata) after its header. */
function pngWithText(width = 32, height = 24): Uint8Array {
  const plain = encode({ width, height, data: new Uint8Array(width * height * 3).fill(200), channels: 3, depth: 8 });
  const text = new TextEncoder().encode("Comment\0secret-location-51.5N");
  const chunk = new Uint8Array(12 + text.length);
  new DataView(chunk.buffer).setUint32(0, text.length);
  chunk.set(new TextEncoder().encode("tEXt"), 4);
  chunk.set(text, 8);
  const ihdrEnd = 8 + 25;
  return new Uint8Array([...plain.slice(0, ihdrEnd), ...chunk, ...plain.slice(ihdrEnd)]);
}

function upload(body: Uint8Array | string, type = "image/png", headers: Record<string, string> = {}): Promise<Response> {
  return api("/api/v1/uploads", { method: "POST", headers: { "content-type": type, ...headers }, body: body as BodyInit });
}

const has = (bytes: Uint8Array, text: string) => new TextDecoder("latin1").decode(bytes).includes(text);

describe("image uploads", () => {
  it("stores a checked image without its metadata, under its hash, cacheable for a year", async () => {
    const response = await upload(pngWithText());
    expect(response.status).toBe(201);
    const stored = (await response.json()) as UploadResponse;
    expect(stored).toMatchObject({ mediaType: "image/png", width: 32, height: 24 });
    expect(stored.url).toBe(`/api/v1/media/${stored.id}.png`);
    const served = await api(stored.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(has(bytes, "secret-location")).toBe(false);
    expect(has(bytes, "tEXt")).toBe(false);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    expect(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")).toBe(stored.id);
  });

  it("refuses what is not a PNG, JPEG or WebP by its bytes, whatever the declared type", async () => {
    const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    const refused = await upload(gif, "image/png");
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("invalid_image");
    const svg = await upload('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml");
    expect(svg.status).toBe(415);
  });

  it("refuses an image over 5 MB without storing anything", async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(pngWithText().slice(0, 40));
    const response = await upload(big);
    expect(response.status).toBe(413);
  });

  it("refuses a decompression bomb (a small file whose header claims 4096×4096) before decoding it", async () => {
    const bomb = pngWithText();
    new DataView(bomb.buffer).setUint32(16, 4096);
    new DataView(bomb.buffer).setUint32(20, 4096);
    const response = await upload(bomb);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/pixels/);
  });

  it("refuses dimensions below 8 or above 4096 pixels a side", async () => {
    expect((await upload(encode({ width: 2, height: 2, data: new Uint8Array(12), channels: 3, depth: 8 }))).status).toBe(422);
    const wide = pngWithText();
    new DataView(wide.buffer).setUint32(16, 5000);
    expect((await upload(wide)).status).toBe(422);
  });

  it("refuses an upload from another site's page", async () => {
    expect((await upload(pngWithText(), "image/png", { origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("sampling by arena", () => {
  beforeAll(() => registerModels(ALPHA, BRAVO, PAINTER_A, PAINTER_B));

  it("pairs only models that take part in the battle's arena", async () => {
    for (let i = 0; i < 4; i++) {
      const text = await startBattle({ mode: "anonymous", prompt: `text ${i}` });
      expect((await battlePair(text.battleId)).sort()).toEqual([ALPHA.id, BRAVO.id].sort());
      const images = await startBattle({ mode: "anonymous", arena: "text-to-image", prompt: `a lighthouse ${i}` });
      expect((await battlePair(images.battleId)).sort()).toEqual([PAINTER_A.id, PAINTER_B.id].sort());
    }
  });

  it("refuses a named model outside the arena, and an arena without two models", async () => {
    const wrong = await postJson("/api/v1/battles", { mode: "side-by-side", arena: "text-to-image", prompt: "x", models: [ALPHA.id, PAINTER_A.id] });
    expect(wrong.status).toBe(400);
    const none = await postJson("/api/v1/battles", { mode: "anonymous", arena: "webdev", prompt: "a todo app" });
    expect(none.status).toBe(503);
  });
});

describe("text-to-image battles", () => {
  beforeAll(() => registerModels(PAINTER_A, PAINTER_B));

  it("generates an image on each side through OpenAI's and Google's image APIs, streamed as image events and stored in R2", async () => {
    const played = await startBattle({ mode: "anonymous", arena: "text-to-image", prompt: "a red fox in the snow" });
    const images = played.events.filter((e) => e.type === "image");
    expect(images.map((e) => e.side).sort()).toEqual(["a", "b"]);
    for (const image of images) {
      expect(image).toMatchObject({ mediaType: "image/png", width: 64, height: 64 });
      const served = await api(image.url);
      expect(served.status).toBe(200);
      expect(new Uint8Array(await served.arrayBuffer()).slice(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    }
    expect(played.events.filter((e) => e.type === "done")).toHaveLength(2);
    const seen = (await (await fetch(`${env.FAKE_PROVIDER_URL}/images/prompts`)).json()) as { dialect: string; prompt: string }[];
    expect(seen.filter((p) => p.prompt === "a red fox in the snow").map((p) => p.dialect).sort()).toEqual(["google", "openai"]);

    const view = (await (await api(`/api/v1/battles/${played.battleId}`)).json()) as BattleView;
    expect(view.arena).toBe("text-to-image");
    expect(view.turns[0]!.sides.a!.images).toHaveLength(1);
    const voted = (await (await vote(played.battleId, "a")).json()) as { counted: boolean };
    expect(voted.counted).toBe(true);
  });

  it("a provider that fails, or answers with something that is not a safe image, fails its side and the vote does not count", async () => {
    for (const behaviour of ["error-500", "not-an-image", "bomb"]) {
      await registerModels(PAINTER_A, { ...PAINTER_B, id: `painter-${behaviour}`, behaviour: `gemini-${behaviour}` });
      const played = await startBattle({ mode: "side-by-side", arena: "text-to-image", prompt: `a boat (${behaviour})`, models: [PAINTER_A.id, `painter-${behaviour}`] });
      expect(played.events.find((e) => e.type === "error")).toMatchObject({ side: "b", code: "provider_error" });
      expect(played.events.at(-1)!.type).toBe("end");
    }
  });

  it("a vote whose voter reports a visible maker's name or watermark is stored but does not count", async () => {
    await registerModels(PAINTER_A, PAINTER_B);
    const played = await startBattle({ mode: "anonymous", arena: "text-to-image", prompt: "a logo for a bakery" });
    const response = await postJson(`/api/v1/battles/${played.battleId}/vote`, { winner: "b", identityShown: ["a"] }, { cookie: ownerCookie(played.battleId) });
    expect(await response.json()).toMatchObject({ counted: false, reason: "identity_reported" });
  });
});

describe("vision battles", () => {
  beforeAll(() => registerModels(SEER_A, SEER_B, PAINTER_A));

  it("sends the prompt's images to both providers and keeps them with the battle", async () => {
    const stored = (await (await upload(pngWithText())).json()) as UploadResponse;
    const played = await startBattle({ mode: "anonymous", arena: "vision", prompt: "What is in this picture?", images: [stored.id] });
    expect(played.text.a).toContain("I saw 1 images.");
    expect(played.text.b).toContain("I saw 1 images.");
    expect((await battlePair(played.battleId)).sort()).toEqual([SEER_A.id, SEER_B.id].sort());
    const view = (await (await api(`/api/v1/battles/${played.battleId}`)).json()) as BattleView;
    expect(view.turns[0]!.attachments).toEqual([{ url: stored.url, mediaType: "image/png", width: 32, height: 24 }]);
  });

  it("refuses images outside the vision arena, and ids nothing was uploaded under", async () => {
    const stored = (await (await upload(pngWithText(16, 16))).json()) as UploadResponse;
    expect((await postJson("/api/v1/battles", { mode: "anonymous", prompt: "hi", images: [stored.id] })).status).toBe(400);
    const unknown = await postJson("/api/v1/battles", { mode: "anonymous", arena: "vision", prompt: "hi", images: ["0".repeat(64)] });
    expect(unknown.status).toBe(400);
    expect((await postJson("/api/v1/battles", { mode: "anonymous", arena: "vision", prompt: "hi", images: ["../../etc"] })).status).toBe(400);
  });
});

describe("WebDev battles", () => {
  beforeAll(() => registerModels(BUILDER, BUILDER_2));

  it("asks for a one-file app and serves each side's app as a sandboxed document, to the battle's owner only", async () => {
    const played = await startBattle({ mode: "anonymous", arena: "webdev", prompt: "a counter app" });
    const app = await api(`/api/v1/battles/${played.battleId}/app?turn=1&side=a`);
    expect(app.status).toBe(200);
    expect(app.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(app.headers.get("content-security-policy")).toBe(WEBAPP_CONTENT_SECURITY_POLICY);
    expect(app.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const html = await app.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("with a system prompt");
    expect(html).not.toContain("```");

    const stranger = await api(`/api/v1/battles/${played.battleId}/app?turn=1&side=a`, { headers: { cookie: "arena_session=forged" } });
    expect(stranger.status).toBe(404);
    expect((await api(`/api/v1/battles/${played.battleId}/app?turn=9&side=a`)).status).toBe(404);
    expect((await api(`/api/v1/battles/${played.battleId}/app?turn=x&side=c`)).status).toBe(400);
  });
});

describe("each arena's own board", () => {
  it("ranks image battles on the text-to-image board only, listed in the category index as a provisional arena", async () => {
    await registerModels(ALPHA, BRAVO, PAINTER_A, PAINTER_B);
    const text = await startBattle({ mode: "anonymous", prompt: "What is the tallest mountain in the world?" });
    expect((await vote(text.battleId, "a")).status).toBe(200);
    const image = await startBattle({ mode: "anonymous", arena: "text-to-image", prompt: "a sailing boat at dawn" });
    expect((await vote(image.battleId, "b")).status).toBe(200);
    const [record] = await d1Rows<{ categories: string }>("SELECT categories FROM votes WHERE battle_id = ?", image.battleId);
    expect(JSON.parse(record!.categories)).toEqual(["arena:text-to-image"]);

    await runCron();
    const index = (await (await api("/api/v1/leaderboard/categories")).json()) as LeaderboardIndex;
    const arenaBoard = index.categories.find((c) => c.id === "arena:text-to-image");
    expect(arenaBoard).toMatchObject({ label: "Text-to-image arena", group: "arena", provisional: true });
    expect(index.categories.find((c) => c.id === "overall")).toMatchObject({ group: "arena" });
    const overall = (await (await api("/api/v1/leaderboard?category=overall")).json()) as PublishedLeaderboard;
    expect(overall.rows.map((r) => r.modelId)).not.toContain(PAINTER_A.id);
    const board = (await (await api("/api/v1/leaderboard?category=arena%3Atext-to-image")).json()) as PublishedLeaderboard;
    expect(board.rows.map((r) => r.modelId).sort()).toEqual([PAINTER_A.id, PAINTER_B.id].sort());
  });

  it("publishes each arena's sampling weights and shares, the text arena at the top level", async () => {
    await registerModels(ALPHA, BRAVO, PAINTER_A, PAINTER_B);
    await startBattle({ mode: "anonymous", arena: "text-to-image", prompt: "a kite over dunes" });
    await runCron();
    const report = (await (await api("/api/v1/sampling", { headers: { "cache-control": "no-cache" } })).json()) as SamplingReport;
    // Models retired earlier in this file stay listed, unsampled.
    const sampled = (rows: SamplingReport["models"]) => rows.filter((m) => m.weight > 0);
    expect(sampled(report.models).map((m) => m.modelId).sort()).toEqual([ALPHA.id, BRAVO.id].sort());
    const images = report.arenas?.["text-to-image"];
    expect(sampled(images!.models).map((m) => m.modelId).sort()).toEqual([PAINTER_A.id, PAINTER_B.id].sort());
    for (const row of sampled(images!.models)) expect(row.expectedShare).toBeCloseTo(1, 9);
    expect(images!.battles30d).toBeGreaterThanOrEqual(1);
    expect(sampled(report.arenas?.vision?.models ?? [])).toEqual([]);
  });

  it("history keeps a battle's images: the prompt's and the answers'", async () => {
    await registerModels(PAINTER_A, PAINTER_B);
    const image = await startBattle({ mode: "anonymous", arena: "text-to-image", prompt: "a lantern in fog" });
    const detail = await until(async () => (await api(`/api/v1/me/battles/${image.battleId}`, { headers: { cookie: ownerCookie(image.battleId) } })).json() as Promise<HistoryDetail>, (d) => (d.turnsDetail?.length ?? 0) > 0);
    expect(detail.turnsDetail[0]!.answers.a!.images).toHaveLength(1);
    expect(detail.turnsDetail[0]!.answers.b!.images![0]!.url).toMatch(/^\/api\/v1\/media\/[0-9a-f]{64}\.png$/);
  });
});

async function runCron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
