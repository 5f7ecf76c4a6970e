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
import { parquetToVotes } from "../../src/votelog/parquet";
import { exportLogSegments } from "../../worker/votelog/export";
import { expectLatestDatasetVerifies, latestDataset, verify } from "./dataset-helpers";
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
  interface Segment { name: string; url: string; first: number; last: number; records: number; bytes: number; etag: string; lastHash: string; sha256: string }
  const listing = async () => (await (await api("/api/v1/datasets")).json()) as { datasets: { id: string; card: string; publication: string; chainHead: { seq: number } }[]; segments: Segment[] };
  const download = async (url: string) => (await (await api(url)).text()).trimEnd().split("\n").map((line) => JSON.parse(line) as ChainedRecord);

  it("writes a dataset per publication whose files are the whole log to the head, and it verifies and reproduces every board", async () => {
    const { datasets, segments } = await listing();
    // Six votes: fewer than a segment, so the whole log is the dataset's tail.
    expect(segments).toEqual([]);
    const dataset = await expectLatestDatasetVerifies();
    expect(datasets[0]!.id).toBe(dataset.card.publicationId);
    const index = (await (await api("/api/v1/leaderboard/categories")).json()) as LeaderboardIndex;
    expect(dataset.card.chainHead).toEqual(index.chainHead);
    expect(dataset.card).toMatchObject({
      license: "CC-BY-4.0",
      code: { name: "edge-arena" },
      parameters: { watermark: 5, flaggedSeqs: [], seed: null, ranking: { ci: "sandwich", minVotes: 300 } },
      counts: { records: 5, counted: 5 },
    });
    expect(dataset.card.files.map((f) => f.name)).toEqual(["votes-tail-000000000001-000000000005.jsonl"]);
    expect(dataset.publication.boards.length).toBe(dataset.card.counts.boards);
    // The Parquet copy holds the same records, and is served as Parquet.
    const parquet = await api(dataset.card.files[0]!.parquet.url);
    expect(parquet.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const bytes = new Uint8Array(await parquet.arrayBuffer());
    expect(bytes.byteLength).toBe(dataset.card.files[0]!.parquet.bytes);
    expect(await parquetToVotes(bytes)).toEqual(dataset.records.map((r) => r.record));
    expect(dataset.card.schema.parquet.map((c) => c.name)).toContain("categories");
    expect(dataset.publication.boards.some((b) => b.style === "control")).toBe(true);
  });

  it("locates an edited, removed, inserted or reordered record by its sequence number", async () => {
    const dataset = await latestDataset();
    const records = dataset.records;
    const at = (k: number) => records[k]!.record as ChainedRecord;
    const edited = records.map((r, k) => (k === 2 ? { ...r, record: { ...at(2), winner: at(2).winner === "a" ? "b" : "a" } } : r));
    expect(await verify(dataset, edited)).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 3 } });
    expect(await verify(dataset, records.filter((_, k) => k !== 1))).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 3, after: 1 } });
    const inserted = [...records.slice(0, 2), { record: { ...at(1), seq: at(1).seq, battleId: "forged" }, where: "x" }, ...records.slice(2)];
    expect(await verify(dataset, inserted)).toMatchObject({ ok: false, problem: { kind: "out_of_order", seq: 2, after: 2 } });
    const swapped = [records[0]!, records[2]!, records[1]!, ...records.slice(3)];
    expect(await verify(dataset, swapped)).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 3, after: 1 } });
    expect(await verify(dataset, records.slice(0, -1))).toMatchObject({ ok: false, problem: { kind: "missing", afterSeq: 4, headSeq: 5 } });
    // A rewritten board, with the chain intact: the first difference is named.
    const boards = dataset.publication.boards.map((b, k) => (k === 0 ? { ...b, rows: b.rows.map((r, i) => (i === 0 ? { ...r, rating: r.rating + 1e-9 } : r)) } : b));
    expect(await verify({ ...dataset, publication: { ...dataset.publication, boards } })).toMatchObject({ ok: false, problem: { kind: "board", difference: { field: "rating" } } });
  });

  it("serves dataset files with ranges, conditional requests and immutable caching, and nothing else", async () => {
    const { datasets } = await listing();
    const card = datasets[0]!.card;
    const response = await api(card);
    const whole = await response.text();
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const part = await api(card, { headers: { range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-9/${new TextEncoder().encode(whole).byteLength}`);
    expect(await part.text()).toBe(whole.slice(0, 10));
    expect((await api(card, { headers: { "if-none-match": response.headers.get("etag")! } })).status).toBe(304);
    expect((await api(card, { headers: { range: "bytes=999999-" } })).status).toBe(416);
    for (const bad of ["files/votes-1-2.jsonl", "files/..%2Fsecret", "files/votes-000000000001-000000000099.jsonl", `${datasets[0]!.id}/secret.json`, "abc/card.json", "1.2/card.json"]) {
      expect((await api(`/api/v1/datasets/${bad}`)).status, bad).toBe(404);
    }
  });

  it("cuts the log into full segments that chain into each other, and later datasets build on them", async () => {
    for (let i = 0; i < 3; i++) expect((await vote((await startBattle({ mode: "anonymous", prompt: `More ${i}` })).battleId, "b")).status).toBe(200);
    const cron = await runRankingCron(env, Date.now() + 6);
    // The cron's segments hold ten thousand records; cut this small log into segments of four.
    expect(cron.exported.segments).toEqual([]);
    const report = await exportLogSegments(env, { maxSegments: 10, segmentMax: 4 });
    expect(report.segments).toHaveLength(2);
    const { segments } = await listing();
    expect(segments.map((s) => s.records)).toEqual([4, 4]);
    expect(segments[1]!.first).toBe(segments[0]!.last + 1);
    const all = [...(await download(segments[0]!.url)), ...(await download(segments[1]!.url))];
    expect(await verifyChain(GENESIS, all)).toMatchObject({ ok: true, head: { seq: segments[1]!.last, hash: segments[1]!.lastHash } });
    expect((await exportLogSegments(env, { maxSegments: 10, segmentMax: 4 })).segments).toEqual([]);
    // The next publication's dataset: both segments and a tail.
    expect((await vote((await startBattle({ mode: "anonymous", prompt: "Last one" })).battleId, "a")).status).toBe(200);
    expect((await runRankingCron(env, Date.now() + 7)).dataset.written).not.toBeNull();
    const dataset = await expectLatestDatasetVerifies();
    expect(dataset.card.files.map((f) => f.name)).toEqual([segments[0]!.name, segments[1]!.name, "votes-tail-000000000009-000000000010.jsonl"]);
    expect((await listing()).datasets.length).toBeGreaterThanOrEqual(2);
  });
});
