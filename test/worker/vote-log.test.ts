/**
 * The public vote log: every stored vote, counted or not, is chained by the
 * cron in seq order; pages verify on their own from the point before them and
 * chain into each other; each publication names the head at its watermark;
 * the log holds no personal data and cannot be rewritten.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { GENESIS, verifyChain, type ChainedRecord } from "../../src/votelog/chain";
import type { LeaderboardIndex, PublishedLeaderboard } from "../../src/wire";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { ALPHA, BRAVO, api, d1Rows, registerModels, startBattle, vote } from "./helpers";

interface Page {
  previous: { seq: number; hash: string };
  records: ChainedRecord[];
  next: number | null;
  head: { seq: number; hash: string } | null;
}

async function page(query: string): Promise<Page> {
  const response = await api(`/api/v1/votes/log${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

/** Every record, page by page. */
async function wholeLog(limit: number): Promise<ChainedRecord[]> {
  const all: ChainedRecord[] = [];
  let from: number | null = 1;
  while (from !== null) {
    const p = await page(`?from=${from}&limit=${limit}`);
    all.push(...p.records);
    from = p.next;
  }
  return all;
}

beforeAll(async () => {
  await registerModels(ALPHA, BRAVO);
  // Counted votes, and a vote that cannot count (side-by-side names the models).
  for (let i = 0; i < 5; i++) expect((await vote((await startBattle({ mode: "anonymous", prompt: `Log me ${i}` })).battleId, i % 2 ? "a" : "tie")).status).toBe(200);
  const named = await startBattle({ mode: "side-by-side", models: [ALPHA.id, BRAVO.id], prompt: "Named battle" });
  expect((await vote(named.battleId, "b")).status).toBe(200);
  await runRankingCron(env);
});

describe("the vote log", () => {
  it("chains every stored vote, counted or not, and verifies from the genesis", async () => {
    const stored = await d1Rows<{ seq: number; counted: number }>("SELECT seq, counted FROM votes ORDER BY seq");
    const log = await wholeLog(2);
    expect(log.map((r) => r.seq)).toEqual(stored.map((v) => v.seq));
    expect(log.filter((r) => !r.counted).map((r) => r.reason)).toEqual(["not_anonymous"]);
    expect(await verifyChain(GENESIS, log)).toMatchObject({ ok: true, head: { seq: stored.at(-1)!.seq } });
  });

  it("serves pages that verify on their own and link to the next", async () => {
    const first = await page("?limit=2");
    expect(first.previous).toEqual(GENESIS);
    const second = await page(`?from=${first.next}&limit=2`);
    expect(second.previous).toEqual({ seq: first.records.at(-1)!.seq, hash: first.records.at(-1)!.hash });
    expect((await verifyChain(second.previous, second.records)).ok).toBe(true);
    const past = await page(`?from=${second.head!.seq + 1}`);
    expect(past).toMatchObject({ records: [], next: null });
    for (const bad of ["?from=0", "?from=-1", "?limit=0", "?limit=1001", "?from=abc"]) expect((await api(`/api/v1/votes/log${bad}`)).status, bad).toBe(400);
  });

  it("holds no personal data", async () => {
    const text = await (await api("/api/v1/votes/log?limit=1000")).text();
    const [row] = await d1Rows<{ session_id: string; ip_key: string | null; prompt_hash: string | null }>("SELECT session_id, ip_key, prompt_hash FROM votes LIMIT 1");
    for (const secret of [row!.session_id, row!.ip_key, row!.prompt_hash]) if (secret) expect(text).not.toContain(secret);
    expect(text).not.toContain("Log me");
    const keys = Object.keys((JSON.parse(text) as Page).records[0]!).sort();
    expect(keys).toEqual(["battleId", "categories", "counted", "hash", "mode", "modelA", "modelB", "reason", "seq", "styleA", "styleB", "turns", "votedAt", "winner"]);
  });

  it("names the head at each publication's watermark on the index and every board", async () => {
    const index = (await (await api("/api/v1/leaderboard/categories")).json()) as LeaderboardIndex;
    const board = (await (await api("/api/v1/leaderboard?category=overall")).json()) as PublishedLeaderboard;
    // The watermark is the last counted vote folded; the uncounted vote after it changes no board.
    const [atWatermark] = await d1Rows<{ seq: number; hash: string }>(
      "SELECT seq, hash FROM vote_log WHERE seq <= (SELECT max(seq) FROM votes WHERE counted = 1) ORDER BY seq DESC LIMIT 1",
    );
    expect(atWatermark!.seq).toBe(5);
    expect(index.chainHead).toEqual(atWatermark);
    expect(board.chainHead).toEqual(atWatermark);
  });

  it("cannot be rewritten or shortened, and a rerun changes nothing", async () => {
    await expect(env.DB.prepare("UPDATE vote_log SET hash = ? WHERE seq = (SELECT min(seq) FROM vote_log)").bind("0".repeat(64)).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM vote_log").run()).rejects.toThrow(/append-only/);
    const before = await d1Rows("SELECT seq, hash FROM vote_log ORDER BY seq");
    expect((await runRankingCron(env, Date.now() + 1)).log.appended).toBe(0);
    expect(await d1Rows("SELECT seq, hash FROM vote_log ORDER BY seq")).toEqual(before);
  });
});

describe("the open data in R2", () => {
  interface Segment { name: string; url: string; first: number; last: number; records: number; bytes: number; etag: string; lastHash: string }
  const segments = async () => ((await (await api("/api/v1/datasets")).json()) as { segments: Segment[] }).segments;
  const download = async (s: Segment) => (await (await api(s.url)).text()).trimEnd().split("\n").map((line) => JSON.parse(line) as ChainedRecord);

  it("holds the whole log as immutable JSONL segments that verify from the genesis", async () => {
    const [segment, ...rest] = await segments();
    expect(rest).toEqual([]);
    const records = await download(segment!);
    expect(records.map((r) => r.seq)).toEqual((await d1Rows<{ seq: number }>("SELECT seq FROM vote_log ORDER BY seq")).map((r) => r.seq));
    expect(segment).toMatchObject({ first: records[0]!.seq, last: records.at(-1)!.seq, records: records.length, lastHash: records.at(-1)!.hash });
    expect(await verifyChain(GENESIS, records)).toMatchObject({ ok: true });
    const response = await api(segment!.url);
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves ranges and conditional requests", async () => {
    const [segment] = await segments();
    const whole = await (await api(segment!.url)).text();
    const part = await api(segment!.url, { headers: { range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-9/${segment!.bytes}`);
    expect(await part.text()).toBe(whole.slice(0, 10));
    const same = await api(segment!.url, { headers: { "if-none-match": segment!.etag } });
    expect(same.status).toBe(304);
    expect((await api(segment!.url, { headers: { range: `bytes=${segment!.bytes + 10}-` } })).status).toBe(416);
    for (const bad of ["votes-1-2.jsonl", "..%2Fsecret", "votes-000000000001-000000000099.jsonl"]) expect((await api(`/api/v1/datasets/files/${bad}`)).status, bad).toBe(404);
  });

  it("adds a segment for new votes only, and the segments chain into each other", async () => {
    await runRankingCron(env, Date.now() + 5);
    expect(await segments()).toHaveLength(1);
    expect((await vote((await startBattle({ mode: "anonymous", prompt: "One more" })).battleId, "b")).status).toBe(200);
    const report = await runRankingCron(env, Date.now() + 6);
    expect(report.exported.segments).toHaveLength(1);
    const [first, second] = await segments();
    expect(second!.first).toBeGreaterThan(first!.last);
    const all = [...(await download(first!)), ...(await download(second!))];
    expect(await verifyChain(GENESIS, all)).toMatchObject({ ok: true, head: { seq: second!.last } });
  });
});
