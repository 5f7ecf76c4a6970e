/**
 * A lab's models, end to end: the lab registers a preview under a codename
 * (its endpoint key sealed, never returned), the preview battles anonymously
 * against real voters through the lab's own endpoint (the fake provider
 * refuses a request without the lab's key), stays off every public surface
 * while the lab sees its results privately, and on release takes its public
 * name with its votes; everything the lab tested is then in the register,
 * and the lifecycle log dates every step. Also: the preview cap, lifecycle
 * rules, the SSRF guard on endpoints, and another lab's 404.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { LifecycleLog, PublishedLeaderboard, VariantRegister } from "../../src/wire";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { LAB_ENDPOINT_KEY } from "../fake-providers/server";
import { ALPHA, BRAVO, battlePair, api, d1Rows, registerModels, startBattle, vote } from "./helpers";

const ADMIN = "test-admin-token-0123456789abcdef";
const LAB_KEY = LAB_ENDPOINT_KEY;
const CODENAME = "quiet-otter";

const as = (key: string) => ({ authorization: `Bearer ${key}` });
async function call(method: string, path: string, key: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = key ? as(key) : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  return api(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

let labA = "";
let labB = "";
const preview = (codename: string, extra: Record<string, unknown> = {}) => ({
  codename,
  provider: "openai-compatible",
  endpoint: `${env.FAKE_PROVIDER_URL}/v1`,
  providerModelId: "needs-lab-key",
  apiKey: LAB_KEY,
  license: "Apache-2.0",
  pricing: { inputPerMillion: 1.5, outputPerMillion: 6 },
  contextLength: 128_000,
  ...extra,
});

async function publicBoard(): Promise<PublishedLeaderboard> {
  return json<PublishedLeaderboard>(await api("/api/v1/leaderboard?category=overall"), 200);
}


/** Plays anonymous battles and votes for the preview whenever it is in one; returns the preview's votes. */
async function battlesWithVotesForPreview(battles: number): Promise<number> {
  let votes = 0;
  for (let i = 0; i < battles; i++) {
    const turn = await startBattle({ mode: "anonymous", prompt: `Compare two sorting algorithms, take ${i}` });
    const errors = turn.events.filter((e) => e.type === "error");
    expect(errors, JSON.stringify(errors)).toEqual([]);
    const [a, b] = await battlePair(turn.battleId);
    const side = a === CODENAME ? "a" : b === CODENAME ? "b" : "tie";
    if (side !== "tie") votes++;
    expect((await vote(turn.battleId, side)).status).toBe(200);
  }
  return votes;
}

beforeAll(async () => {
  await registerModels(ALPHA, BRAVO);
  labA = (await json<{ apiKey: string }>(await call("POST", "/api/v1/admin/labs", ADMIN, { name: "Nimbus Research" }), 201)).apiKey;
  labB = (await json<{ apiKey: string }>(await call("POST", "/api/v1/admin/labs", ADMIN, { name: "Other Lab" }), 201)).apiKey;
});

describe("a lab's preview, from registration to release", () => {
  let previewVotes = 0;

  it("registers a preview whose endpoint key is sealed and never returned", async () => {
    expect(await json(await call("POST", "/api/v1/lab/models", labA, preview(CODENAME)), 201)).toEqual({ id: CODENAME, status: "preview" });
    const listed = await call("GET", "/api/v1/lab/models", labA);
    const text = await listed.text();
    expect(text).not.toContain(LAB_KEY);
    const { models } = JSON.parse(text) as { models: Record<string, unknown>[] };
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ id: CODENAME, codename: CODENAME, name: CODENAME, organization: "Nimbus Research", status: "preview", hasApiKey: true, license: "Apache-2.0", pricing: { inputPerMillion: 1.5, outputPerMillion: 6 }, contextLength: 128_000 });
    const [row] = await d1Rows<{ api_key_sealed: string }>("SELECT api_key_sealed FROM models WHERE id = ?", CODENAME);
    expect(row!.api_key_sealed).not.toContain(LAB_KEY);
    expect(row!.api_key_sealed.length).toBeGreaterThan(20);
  });

  it("is another lab's 404 and an anonymous caller's 401", async () => {
    for (const path of [`/api/v1/lab/models/${CODENAME}`, `/api/v1/lab/models/${CODENAME}/results`]) {
      expect((await call("GET", path, labB)).status).toBe(404);
      expect((await call("GET", path, null)).status).toBe(401);
    }
    expect((await call("POST", `/api/v1/lab/models/${CODENAME}/release`, labB, { name: "Stolen" })).status).toBe(404);
    expect((await call("POST", `/api/v1/lab/models/${CODENAME}/withdraw`, labB)).status).toBe(404);
  });

  it("battles anonymously through the lab's endpoint with its key, and stays off every public surface", async () => {
    previewVotes = await battlesWithVotesForPreview(24);
    expect(previewVotes).toBeGreaterThan(5);
    await runRankingCron(env);

    const board = await publicBoard();
    expect(board.rows.map((r) => r.modelId).sort()).toEqual([ALPHA.id, BRAVO.id]);
    const { models } = await json<{ models: { id: string }[] }>(await api("/api/v1/models"), 200);
    expect(models.map((m) => m.id)).not.toContain(CODENAME);
    expect((await api(`/api/v1/models/${CODENAME}`)).status).toBe(404);
    for (const path of ["/api/v1/audit", "/api/v1/sampling", "/api/v1/register", "/api/v1/lifecycle", "/api/v1/leaderboard/categories"]) {
      const response = await api(path);
      expect(response.status, path).toBeLessThan(500);
      expect(await response.text(), path).not.toContain(CODENAME);
    }
  });

  it("shows the lab its preview's results privately, computed as the public boards are", async () => {
    const results = await json<{ modelId: string; status: string; computedAt: string; standings: { category: string; style: string; votes: number; wins: number; provisional: boolean; rank: number }[] }>(
      await call("GET", `/api/v1/lab/models/${CODENAME}/results`, labA),
      200,
    );
    expect(results).toMatchObject({ modelId: CODENAME, status: "preview" });
    const overall = results.standings.find((s) => s.category === "overall" && s.style === "default");
    expect(overall).toMatchObject({ votes: previewVotes, wins: previewVotes, provisional: true, rank: 1 });
  });

  it("caps the previews a lab runs at once, with a clear 409", async () => {
    for (const codename of ["second-try", "third-try"]) expect((await call("POST", "/api/v1/lab/models", labA, preview(codename))).status).toBe(201);
    const over = await json<{ error: { code: string; message: string } }>(await call("POST", "/api/v1/lab/models", labA, preview("fourth-try")), 409);
    expect(over.error.code).toBe("conflict");
    expect(over.error.message).toContain("3");
    // Another lab has its own cap; a taken codename is refused for anyone.
    expect((await call("POST", "/api/v1/lab/models", labB, preview("fourth-try"))).status).toBe(201);
    expect((await call("POST", "/api/v1/lab/models", labB, preview(CODENAME))).status).toBe(409);
  });

  it("refuses endpoints the outbound guard refuses", async () => {
    for (const endpoint of ["http://169.254.169.254/v1", "http://10.0.0.8/v1", "http://[::ffff:169.254.169.254]/v1", "file:///etc/passwd"]) {
      const refused = await json<{ error: { code: string } }>(await call("POST", "/api/v1/lab/models", labB, preview("ssrf-probe", { endpoint })), 400);
      expect(refused.error.code, endpoint).toBe("outbound_url_refused");
    }
  });

  it("releases the preview under its public name with its votes, provisional, with the lab's metadata on the board", async () => {
    const released = await json<{ status: string; name: string; releasedAt: string }>(
      await call("POST", `/api/v1/lab/models/${CODENAME}/release`, labA, { name: "Nimbus Otter 1" }),
      200,
    );
    expect(released).toMatchObject({ status: "active", name: "Nimbus Otter 1" });
    expect((await call("POST", `/api/v1/lab/models/${CODENAME}/release`, labA, { name: "Again" })).status).toBe(409);
    await runRankingCron(env, Date.now() + 1);

    const row = (await publicBoard()).rows.find((r) => r.modelId === CODENAME);
    expect(row).toMatchObject({ name: "Nimbus Otter 1", organization: "Nimbus Research", votes: previewVotes, provisional: true, license: "Apache-2.0", pricing: { inputPerMillion: 1.5, outputPerMillion: 6 }, contextLength: 128_000 });
  });

  it("makes every preview the lab tested public in the register, and dates each step in the lifecycle log", async () => {
    const register = await json<VariantRegister>(await api("/api/v1/register"), 200);
    const nimbus = register.entries.filter((e) => e.lab === "Nimbus Research");
    expect(nimbus.map((e) => e.codename).sort()).toEqual([CODENAME, "second-try", "third-try"]);
    expect(nimbus.find((e) => e.codename === CODENAME)).toMatchObject({ status: "active", publicName: "Nimbus Otter 1", votes: previewVotes });
    expect(nimbus.find((e) => e.codename === "second-try")).toMatchObject({ status: "preview", publicName: null, votes: 0 });
    // The other lab released nothing: its preview stays private.
    expect(register.entries.some((e) => e.lab === "Other Lab")).toBe(false);

    const log = await json<LifecycleLog>(await api("/api/v1/lifecycle"), 200);
    const mine = log.events.filter((e) => e.modelId === CODENAME).map((e) => e.kind);
    expect(mine).toEqual(["released", "registered"]);
    expect(log.events.some((e) => e.modelId === "fourth-try")).toBe(false);
  });

  it("withdraws a preview and retires a released model, and nothing removes either", async () => {
    expect(await json(await call("POST", "/api/v1/lab/models/second-try/withdraw", labA), 200)).toMatchObject({ status: "withdrawn" });
    expect((await call("POST", "/api/v1/lab/models/second-try/release", labA, { name: "Late" })).status).toBe(409);
    expect((await call("POST", `/api/v1/lab/models/${CODENAME}/retire`, labA, { reason: "x" })).status).toBe(400);
    expect(await json(await call("POST", `/api/v1/lab/models/${CODENAME}/retire`, labA, { reason: "Superseded by Nimbus Otter 2" }), 200)).toMatchObject({
      status: "retired",
      retireReason: "Superseded by Nimbus Otter 2",
    });
    await runRankingCron(env, Date.now() + 2);
    expect((await publicBoard()).rows.find((r) => r.modelId === CODENAME)).toMatchObject({ status: "retired", votes: previewVotes });
    const log = await json<LifecycleLog>(await api("/api/v1/lifecycle"), 200);
    expect(log.events.find((e) => e.modelId === CODENAME && e.kind === "retired")?.detail).toEqual({ reason: "Superseded by Nimbus Otter 2" });
    expect(log.events.some((e) => e.modelId === "second-try" && e.kind === "withdrawn")).toBe(true);
    // Retired and withdrawn models are no longer drawn.
    for (let i = 0; i < 6; i++) {
      const turn = await startBattle({ mode: "anonymous", prompt: `After retirement, take ${i}` });
      const pair = await battlePair(turn.battleId);
      expect(pair).not.toContain(CODENAME);
      expect(pair).not.toContain("second-try");
    }
  });
});
