import { tableFromIPC } from "apache-arrow";
import { readParquet } from "parquet-wasm";
import { describe, expect, it } from "vitest";
import { VOTE_EXCLUSION_REASONS } from "../battle/validity";
import { GENESIS, canonicalJson, chainRecords, verifyChain, type ChainedRecord } from "./chain";
import { PARQUET_COLUMNS, PARQUET_ROW_GROUP_SIZE, parquetToVotes, parquetVoteRowGroups, votesToParquet } from "./parquet";
import type { PublicVoteRecord } from "./record";

const MODES = ["anonymous", "side-by-side", "direct"] as const;
const WINNERS = ["a", "b", "tie", "bothbad"] as const;
const MODELS = ["gpt-4o-mini", "gemini-2.5-flash", "modèle-français", "模型-七", "emoji-🦙-7b", 'quote"back\\slash', ""];
const CATEGORIES = ["code", "creative", "hard", "math", "multi-turn", "ünïcode", "中文"];

/** Deterministic pseudo-random records covering the edge cases. */
function generate(count: number, firstSeq = 1): PublicVoteRecord[] {
  let state = 12345;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const style = () => ({ tokens: rand(5000), headers: rand(12), listItems: rand(40), bold: rand(9) });
  const out: PublicVoteRecord[] = [];
  let seq = firstSeq;
  for (let i = 0; i < count; i++) {
    seq += 1 + rand(3);
    const mode = MODES[rand(MODES.length)]!;
    const counted = mode === "anonymous" && rand(4) !== 0;
    const categories = [...new Set(Array.from({ length: rand(4) }, () => CATEGORIES[rand(CATEGORIES.length)]!))].sort();
    out.push({
      seq,
      battleId: `b-${i}-${rand(1e6)}`,
      mode,
      modelA: MODELS[rand(MODELS.length)]!,
      modelB: MODELS[rand(MODELS.length)]!,
      winner: WINNERS[rand(WINNERS.length)]!,
      categories,
      turns: 1 + rand(6),
      styleA: style(),
      styleB: style(),
      votedAt: 1_767_225_600_000 + i * 61_000 + rand(1000),
      counted,
      reason: counted ? null : mode === "anonymous" ? VOTE_EXCLUSION_REASONS[1 + rand(VOTE_EXCLUSION_REASONS.length - 1)]! : "not_anonymous",
    });
  }
  return out;
}

/** Hand-made edge cases, then generated ones starting above 2**40. */
async function fixture(): Promise<ChainedRecord[]> {
  const edges: PublicVoteRecord[] = [
    { seq: 1, battleId: "first", mode: "anonymous", modelA: "ä", modelB: "🦙", winner: "a", categories: [], turns: 1, styleA: { tokens: 0, headers: 0, listItems: 0, bold: 0 }, styleB: { tokens: 2 ** 31 - 1, headers: 0, listItems: 0, bold: 0 }, votedAt: 0, counted: true, reason: null },
    { seq: 2, battleId: "", mode: "direct", modelA: "x", modelB: "x", winner: "bothbad", categories: [""], turns: 0, styleA: { tokens: 1, headers: 2, listItems: 3, bold: 4 }, styleB: { tokens: 5, headers: 6, listItems: 7, bold: 8 }, votedAt: 8_640_000_000_000_000, counted: false, reason: "not_anonymous" },
  ];
  const generated = generate(400, 2 ** 40);
  return chainRecords(GENESIS, [...edges, ...generated]);
}

/** Every row of a Parquet file, read by arrow-rs (parquet-wasm) through Arrow IPC, not by hyparquet. */
function readIndependently(bytes: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(readParquet(bytes).intoIPCStream());
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const field of table.schema.fields) {
      const value = table.getChild(field.name)!.get(i);
      row[field.name] = value !== null && typeof value === "object" && "toArray" in value ? [...value.toArray()] : value;
    }
    rows.push(row);
  }
  return rows;
}

/** A record as the flat columns of the file, the numbers as the independent reader gives them. */
function flat(record: ChainedRecord): Record<string, unknown> {
  return {
    seq: BigInt(record.seq),
    battleId: record.battleId,
    mode: record.mode,
    modelA: record.modelA,
    modelB: record.modelB,
    winner: record.winner,
    categories: record.categories,
    turns: record.turns,
    styleA_tokens: record.styleA.tokens,
    styleA_headers: record.styleA.headers,
    styleA_listItems: record.styleA.listItems,
    styleA_bold: record.styleA.bold,
    styleB_tokens: record.styleB.tokens,
    styleB_headers: record.styleB.headers,
    styleB_listItems: record.styleB.listItems,
    styleB_bold: record.styleB.bold,
    votedAt: record.votedAt,
    counted: record.counted,
    reason: record.reason,
    hash: record.hash,
  };
}

describe("vote log as Parquet", () => {
  it("reads back records deep-equal to the ones written, with the same canonical JSON and a chain that verifies", async () => {
    const records = await fixture();
    const back = await parquetToVotes(votesToParquet(records));
    expect(back).toEqual(records);
    for (let i = 0; i < records.length; i++) {
      expect(Object.keys(back[i]!).sort()).toEqual(Object.keys(records[i]!).sort());
      expect(canonicalJson(back[i])).toBe(canonicalJson(records[i]));
    }
    expect(back.some((r) => r.seq > 2 ** 40 && r.counted === false && r.reason !== null)).toBe(true);
    const verified = await verifyChain(GENESIS, back);
    expect(verified).toEqual({ ok: true, head: { seq: records.at(-1)!.seq, hash: records.at(-1)!.hash } });
  });

  it("is read by an independent Parquet implementation (arrow-rs) with identical rows and the documented column types", async () => {
    const records = await fixture();
    const bytes = votesToParquet(records);
    const table = tableFromIPC(readParquet(bytes).intoIPCStream());
    expect(table.schema.fields.map((f) => f.name)).toEqual(PARQUET_COLUMNS.map((c) => c.name));
    const arrowType = Object.fromEntries(table.schema.fields.map((f) => [f.name, `${f.type}${f.nullable ? "?" : ""}`]));
    expect(arrowType).toMatchObject({ seq: "Int64", categories: "List<Utf8>", turns: "Int32", votedAt: "Timestamp<MILLISECOND, UTC>", counted: "Bool", reason: "Utf8?", hash: "Utf8" });
    const rows = readIndependently(bytes);
    expect(rows).toHaveLength(records.length);
    for (let i = 0; i < records.length; i++) expect(rows[i], `row ${i}`).toEqual(flat(records[i]!));
  });

  // Not checked with arrow-rs: parquet-wasm 0.8.0 refuses any file with a LIST column and no row groups ("Expected list element type of Struct").
  it("writes an empty log and reads it back empty", async () => {
    expect(await parquetToVotes(votesToParquet([]))).toEqual([]);
  });

  it("splits large files into row groups of at most 100 000 rows, read one group at a time", async () => {
    // Chaining 200 000 records with SHA-256 takes half a minute; these stand-in hashes are only carried, not checked.
    const records = generate(PARQUET_ROW_GROUP_SIZE * 2 + 5).map((r, i) => ({ ...r, hash: i.toString(16).padStart(64, "0") }));
    const groups: ChainedRecord[][] = [];
    for await (const group of parquetVoteRowGroups(votesToParquet(records))) groups.push(group);
    expect(groups.map((g) => g.length)).toEqual([PARQUET_ROW_GROUP_SIZE, PARQUET_ROW_GROUP_SIZE, 5]);
    // Compared as canonical JSON: a deep equality over 200 000 objects is what would take the time here.
    const text = (rs: readonly ChainedRecord[]) => rs.map((r) => canonicalJson(r)).join("\n");
    expect(text(groups.flat()) === text(records)).toBe(true);
  });

  it("reads from a Uint8Array that is a view into a larger buffer", async () => {
    const records = await fixture();
    const bytes = votesToParquet(records);
    const padded = new Uint8Array(bytes.length + 20);
    padded.set(bytes, 7);
    expect(await parquetToVotes(padded.subarray(7, 7 + bytes.length))).toEqual(records);
  });

  it("refuses values the file could not give back exactly", async () => {
    const [record] = await fixture();
    expect(() => votesToParquet([{ ...record!, seq: 2 ** 53 }])).toThrow(RangeError);
    expect(() => votesToParquet([{ ...record!, turns: 1.5 }])).toThrow(RangeError);
    expect(() => votesToParquet([{ ...record!, styleA: { ...record!.styleA, tokens: 2 ** 31 } }])).toThrow(RangeError);
    expect(() => votesToParquet([{ ...record!, styleB: { ...record!.styleB, bold: -1 } }])).toThrow(RangeError);
  });

  it("refuses a Parquet file that is not a vote log", async () => {
    const { parquetWriteBuffer } = await import("hyparquet-writer/src/index.js");
    const other = parquetWriteBuffer({ columnData: [{ name: "seq", data: [1n], type: "INT64" }] });
    await expect(parquetToVotes(other)).rejects.toThrow(/no column battleId/);
  });
});
