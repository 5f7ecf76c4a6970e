/**
 * Reads any supported battle file into the aggregates the ranking engine
 * takes, streaming record by record. Formats are detected from the content:
 *
 * 1. FastChat clean battles: a JSON array of
 *    `{model_a, model_b, winner: "model_a"|"model_b"|"tie"|"tie (bothbad)", anony?, tstamp?}`
 *    (only anonymous battles unless `all`).
 * 2. The same objects as JSONL, one per line.
 * 3. Edge Arena's vote export, JSONL, one counted vote per line, in vote order:
 *    `{"battleId": string, "modelA": string, "modelB": string,
 *      "winner": "a"|"b"|"tie"|"bothbad", "counted": boolean,
 *      "categories": string[], "styleA": StyleFeatures, "styleB": StyleFeatures,
 *      "createdAt": ISO-8601 string}`
 *    (`categories`, `styleA`/`styleB` optional; lines with `counted: false` are skipped).
 * 4. The open vote log's Parquet copies (src/votelog/parquet.ts), found by their "PAR1" magic:
 *    the same fields as format 3, ranking columns only.
 * 5. Aggregated pair counts: `{models: string[], X: [[i, j], …], Y: [[wins_i, wins_j, ties, bothbad], …]}`.
 *
 * Online Elo is folded in file order, which is vote order for formats 1–3.
 */
import { open, readFile } from "node:fs/promises";
import { parquetRankingColumns } from "../src/votelog/parquet";
import type { StyleFeatures } from "../src/battle/style";
import { createEloState, foldEloVote, foldStyleVote, PairFold } from "../src/ranking/index";
import type { PairCounts, RankingInput, StyleBucket, Vote, VoteOutcome } from "../src/ranking/types";
import { fastJsonLines } from "./fast-records";
import { firstSignificantChar, InputError, jsonArrayObjects, jsonLines, type RawRecord } from "./input-stream";

/** How records are selected and what is built from them. */
export interface ReadOptions {
  all: boolean;
  styleControl: boolean;
  category?: string;
  onProgress?: (records: number) => void;
  /** Parse JSONL with the byte-level fast path (bin/fast-records.ts); default true. */
  fast?: boolean;
}

/** What was read. */
export interface ReadResult {
  input: RankingInput;
  format: "fastchat-json" | "fastchat-jsonl" | "edge-arena-jsonl" | "edge-arena-parquet" | "pair-counts";
  records: number;
  used: number;
}

const FASTCHAT_WINNERS: Record<string, VoteOutcome> = {
  model_a: "a",
  model_b: "b",
  tie: "tie",
  "tie (bothbad)": "bothbad",
};
const EXPORT_WINNERS = new Set<string>(["a", "b", "tie", "bothbad"]);

/** Reads `path` in whichever supported format it holds. */
export async function readRankingInput(path: string, options: ReadOptions): Promise<ReadResult> {
  if (await isParquet(path)) return readParquetVotes(path, options);
  const first = await firstSignificantChar(path);
  if (first === "[") return readVotes(path, parsedLines(jsonArrayObjects(path)), "fastchat-json", options);
  if (first !== "{") throw new InputError(`line 1: expected a JSON array, JSONL or a pair-count object`);
  const firstRecord = await firstLineRecord(path);
  if (firstRecord === undefined || ("models" in firstRecord && "X" in firstRecord)) {
    return readPairCounts(path, options);
  }
  const format = "modelA" in firstRecord ? "edge-arena-jsonl" : "fastchat-jsonl";
  return readVotes(path, options.fast === false ? parsedLines(jsonLines(path)) : fastLines(path), format, options);
}

/**
 * The first non-blank line as an object, read from the file's first
 * megabyte when it fits there (a pair-count document on one line may not:
 * then through the line reader, which reads as far as it must).
 */
async function firstLineRecord(path: string): Promise<Record<string, unknown> | undefined> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 20), 0, 1 << 20, 0);
    const text = buffer.toString("utf8", 0, bytesRead);
    const complete = bytesRead < 1 << 20 ? text : text.slice(0, text.lastIndexOf("\n") + 1);
    const line = complete.split("\n").find((l: string) => l.trim() !== "");
    if (line !== undefined) return tryParse(line);
  } finally {
    await handle.close();
  }
  const lines = jsonLines(path);
  const head = await lines.next();
  await lines.return(undefined);
  return head.done ? undefined : tryParse(head.value.text);
}

/** Parquet files start (and end) with the magic bytes "PAR1". */
async function isParquet(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.toString("latin1") === "PAR1";
  } finally {
    await handle.close();
  }
}

/** An Edge Arena vote-log Parquet export (src/votelog/parquet.ts): the ranking columns only, a row group at a time. */
async function readParquetVotes(path: string, options: ReadOptions): Promise<ReadResult> {
  const pairs = new PairFold();
  const buckets = new Map<string, StyleBucket>();
  const elo = createEloState();
  const where = new Where(path, "row");
  let count = 0;
  let used = 0;
  const bytes = await readFile(path);
  try {
    const want = { categories: options.category !== undefined, style: options.styleControl };
    for await (const batch of parquetRankingColumns(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), want)) {
      const { modelA, modelB, winner, counted, categories, style } = batch;
      for (let k = 0; k < batch.length; k++) {
        count++;
        if (count % 1_000_000 === 0) options.onProgress?.(count);
        // Only the columns read are checked: a rank without --style or --category never decodes those.
        const row: Record<string, unknown> = { battleId: "-", modelA: modelA[k], modelB: modelB[k], winner: winner[k], counted: counted[k] };
        if (categories) row.categories = categories[k];
        if (style) {
          row.styleA = { tokens: Number(style.styleA_tokens![k]), headers: Number(style.styleA_headers![k]), listItems: Number(style.styleA_listItems![k]), bold: Number(style.styleA_bold![k]) };
          row.styleB = { tokens: Number(style.styleB_tokens![k]), headers: Number(style.styleB_headers![k]), listItems: Number(style.styleB_listItems![k]), bold: Number(style.styleB_bold![k]) };
        }
        where.at = count;
        const vote = exportVote(row, where, options);
        if (!vote) continue;
        used++;
        pairs.add(vote.modelA, vote.modelB, vote.winner);
        if (options.styleControl) foldStyleVote(buckets, vote);
        foldEloVote(elo, vote.modelA, vote.modelB, vote.winner);
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: not a readable vote-log Parquet file (${(error as Error).message})`);
  }
  const input: RankingInput = { pairs: pairs.rows(), elo: elo.ratings };
  if (options.styleControl) input.styleBuckets = [...buckets.values()];
  return { input, format: "edge-arena-parquet", records: count, used };
}

function tryParse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A record's parsed object (undefined when it is not a JSON object) and its line. */
interface ParsedRecord {
  object: Record<string, unknown> | undefined;
  line: number;
}

/** The general path: each raw record through JSON.parse. */
async function* parsedLines(records: AsyncGenerator<RawRecord>): AsyncGenerator<ParsedRecord[]> {
  for await (const record of records) yield [{ object: tryParse(record.text), line: record.line }];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The fast path, with JSON.parse for the lines it gives up on. */
async function* fastLines(path: string): AsyncGenerator<ParsedRecord[]> {
  for await (const batch of fastJsonLines(path)) {
    yield batch.map((l) => ({ object: l.value === undefined ? tryParse(l.text!) : asObject(l.value), line: l.line }));
  }
}

async function readVotes(
  path: string,
  batches: AsyncGenerator<ParsedRecord[]>,
  format: "fastchat-json" | "fastchat-jsonl" | "edge-arena-jsonl",
  options: ReadOptions,
): Promise<ReadResult> {
  const pairs = new PairFold();
  const buckets = new Map<string, StyleBucket>();
  const elo = createEloState();
  const where = new Where(path, "line");
  let count = 0;
  let used = 0;
  for await (const batch of batches) {
    for (const { object, line } of batch) {
      count++;
      if (count % 100_000 === 0) options.onProgress?.(count);
      if (!object) throw new InputError(`${path}:${line}: not a JSON object`);
      where.at = line;
      const vote = format === "edge-arena-jsonl" ? exportVote(object, where, options) : fastChatVote(object, where, options);
      if (!vote) continue;
      used++;
      pairs.add(vote.modelA, vote.modelB, vote.winner);
      if (options.styleControl) foldStyleVote(buckets, vote);
      foldEloVote(elo, vote.modelA, vote.modelB, vote.winner);
    }
  }
  const input: RankingInput = { pairs: pairs.rows(), elo: elo.ratings };
  if (options.styleControl) input.styleBuckets = [...buckets.values()];
  return { input, format, records: count, used };
}

/**
 * Where a record came from. Formatted only when an error names it: building
 * a "file:line" string for every record costs more than reading the record.
 */
class Where {
  at = 0;
  constructor(
    private readonly path: string,
    private readonly unit: "line" | "row",
  ) {}

  toString(): string {
    return this.unit === "line" ? `${this.path}:${this.at}` : `${this.path}: row ${this.at}`;
  }
}

function fastChatVote(o: Record<string, unknown>, where: Where, options: ReadOptions): Vote | null {
  const modelA = requireString(o, "model_a", where);
  const modelB = requireString(o, "model_b", where);
  const winner = FASTCHAT_WINNERS[String(o.winner)];
  if (typeof o.winner !== "string" || !winner) {
    throw new InputError(`${where}: field "winner" must be one of ${Object.keys(FASTCHAT_WINNERS).map((w) => `"${w}"`).join(", ")}`);
  }
  if (o.anony !== undefined && typeof o.anony !== "boolean") throw new InputError(`${where}: field "anony" must be a boolean`);
  if (options.styleControl) throw new InputError(`${where}: --style-control needs style features (styleA/styleB), which FastChat battles do not carry`);
  if ((o.anony === false && !options.all) || modelA === modelB) return null;
  return { modelA, modelB, winner };
}

function exportVote(o: Record<string, unknown>, where: Where, options: ReadOptions): Vote | null {
  requireString(o, "battleId", where);
  const modelA = requireString(o, "modelA", where);
  const modelB = requireString(o, "modelB", where);
  if (typeof o.winner !== "string" || !EXPORT_WINNERS.has(o.winner)) {
    throw new InputError(`${where}: field "winner" must be one of "a", "b", "tie", "bothbad"`);
  }
  if (typeof o.counted !== "boolean") throw new InputError(`${where}: field "counted" must be a boolean`);
  const categories = o.categories ?? [];
  if (!Array.isArray(categories) || !categories.every((c) => typeof c === "string")) {
    throw new InputError(`${where}: field "categories" must be an array of strings`);
  }
  if (modelA === modelB) throw new InputError(`${where}: fields "modelA" and "modelB" name the same model`);
  const vote: Vote = { modelA, modelB, winner: o.winner as VoteOutcome };
  if (o.styleA !== undefined || options.styleControl) vote.styleA = styleOf(o, "styleA", where);
  if (o.styleB !== undefined || options.styleControl) vote.styleB = styleOf(o, "styleB", where);
  if (!o.counted) return null;
  if (options.category !== undefined && !categories.includes(options.category)) return null;
  return vote;
}

function styleOf(o: Record<string, unknown>, field: "styleA" | "styleB", where: Where): StyleFeatures {
  const s = o[field];
  if (typeof s !== "object" || s === null) throw new InputError(`${where}: field "${field}" must be an object of style counts`);
  const out = {} as StyleFeatures;
  for (const key of ["tokens", "headers", "listItems", "bold"] as const) {
    const v = (s as Record<string, unknown>)[key];
    if (typeof v !== "number" || !(v >= 0)) throw new InputError(`${where}: field "${field}.${key}" must be a non-negative number`);
    out[key] = v;
  }
  return out;
}

function requireString(o: Record<string, unknown>, field: string, where: Where): string {
  const v = o[field];
  if (typeof v !== "string" || v === "") throw new InputError(`${where}: field "${field}" must be a non-empty string`);
  return v;
}

async function readPairCounts(path: string, options: ReadOptions): Promise<ReadResult> {
  if (options.styleControl) throw new InputError(`${path}: --style-control needs per-vote style features; pair counts have none`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    // Neither JSONL (its first line is not an object) nor one JSON document.
    throw new InputError(`${path}:1: not a JSON object per line, nor a pair-count document (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${path}: expected a pair-count object {models, X, Y}`);
  }
  const { models, X, Y } = parsed as Record<string, unknown>;
  if (!Array.isArray(models) || !models.every((m) => typeof m === "string")) {
    throw new InputError(`${path}: field "models" must be an array of model names`);
  }
  if (!Array.isArray(X) || !Array.isArray(Y) || X.length !== Y.length) {
    throw new InputError(`${path}: fields "X" and "Y" must be arrays of the same length`);
  }
  const pairs: PairCounts[] = X.map((ij: unknown, k) => {
    const y: unknown = Y[k];
    if (!Array.isArray(ij) || ij.length !== 2 || !ij.every((i) => Number.isInteger(i) && i >= 0 && i < models.length)) {
      throw new InputError(`${path}: field "X[${k}]" must be a pair of model indices`);
    }
    if (!Array.isArray(y) || y.length < 3 || y.length > 4 || !y.every((c) => typeof c === "number" && c >= 0)) {
      throw new InputError(`${path}: field "Y[${k}]" must be [wins_i, wins_j, ties, bothbad] counts`);
    }
    if (ij[0] === ij[1]) throw new InputError(`${path}: field "X[${k}]" pairs a model with itself`);
    return { modelA: models[ij[0]]!, modelB: models[ij[1]]!, winsA: y[0], winsB: y[1], ties: y[2], bothBad: y[3] ?? 0 };
  });
  const used = pairs.reduce((s, p) => s + p.winsA + p.winsB + p.ties + p.bothBad, 0);
  return { input: { models: models.map((id) => ({ id })), pairs }, format: "pair-counts", records: pairs.length, used };
}
