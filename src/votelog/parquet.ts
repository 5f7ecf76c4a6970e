/**
 * The vote log as Apache Parquet: one row per chained record, flat typed
 * columns, Snappy-compressed, row groups of at most 100 000 rows.
 *
 * Reading a file back gives records deep-equal to the ones written, so their
 * canonical JSON — and so the chain — is unchanged: `categories` is a real
 * list of strings (a 3-level Parquet LIST), `reason` is the only nullable
 * column, integers are stored exactly (INT64 for `seq` and `votedAt`, read
 * back as safe JavaScript numbers; INT32 for counts) and `votedAt` carries
 * the TIMESTAMP(MILLIS, UTC) annotation, so that tools show it as a time
 * while its value stays the record's millisecond count.
 *
 * Written with hyparquet-writer, read with hyparquet (whose Snappy
 * decompressor is built in); both are plain JavaScript, so this runs in the
 * Worker, in Node and in a browser. Imported through their `src/index.js`
 * entries: the packages' default entries for Node pull in `fs`.
 */
import { parquetMetadata, parquetMetadataAsync, parquetRead } from "hyparquet/src/index.js";
import type { AsyncBuffer, FileMetaData, SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer/src/index.js";
import type { ColumnSource } from "hyparquet-writer/src/index.js";
import type { ChainedRecord } from "./chain";
import type { PublicVoteRecord } from "./record";

/** Rows per row group (the last group of a file may be smaller). */
export const PARQUET_ROW_GROUP_SIZE = 100_000;

/** A column's type as the dataset card states it. */
export type ParquetColumnType = "INT64" | "INT32" | "STRING" | "BOOLEAN" | "TIMESTAMP_MILLIS_UTC" | "LIST<STRING>";

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  /** Only `reason` may be null (it is null exactly when the vote counts). */
  nullable: boolean;
  description: string;
}

/** The file's columns, in order: names, types and meaning, for the dataset card. */
export const PARQUET_COLUMNS: readonly ParquetColumn[] = [
  { name: "seq", type: "INT64", nullable: false, description: "Position in the log, strictly increasing; gaps are never reused." },
  { name: "battleId", type: "STRING", nullable: false, description: "The battle the vote was cast in." },
  { name: "mode", type: "STRING", nullable: false, description: '"anonymous", "side-by-side" or "direct"; only anonymous votes can count.' },
  { name: "modelA", type: "STRING", nullable: false, description: "Arena id of the model on side A." },
  { name: "modelB", type: "STRING", nullable: false, description: "Arena id of the model on side B." },
  { name: "winner", type: "STRING", nullable: false, description: '"a", "b", "tie" or "bothbad".' },
  { name: "categories", type: "LIST<STRING>", nullable: false, description: "Category tags of the battle at the vote, sorted; may be empty." },
  { name: "turns", type: "INT32", nullable: false, description: "Conversation turns before the vote." },
  { name: "styleA_tokens", type: "INT32", nullable: false, description: "Side A's answers: approximate token count, code blocks removed." },
  { name: "styleA_headers", type: "INT32", nullable: false, description: "Side A's answers: markdown headers." },
  { name: "styleA_listItems", type: "INT32", nullable: false, description: "Side A's answers: markdown list items." },
  { name: "styleA_bold", type: "INT32", nullable: false, description: "Side A's answers: bold spans." },
  { name: "styleB_tokens", type: "INT32", nullable: false, description: "Side B's answers: approximate token count, code blocks removed." },
  { name: "styleB_headers", type: "INT32", nullable: false, description: "Side B's answers: markdown headers." },
  { name: "styleB_listItems", type: "INT32", nullable: false, description: "Side B's answers: markdown list items." },
  { name: "styleB_bold", type: "INT32", nullable: false, description: "Side B's answers: bold spans." },
  { name: "votedAt", type: "TIMESTAMP_MILLIS_UTC", nullable: false, description: "When the vote was cast: milliseconds since the Unix epoch (INT64), UTC." },
  { name: "counted", type: "BOOLEAN", nullable: false, description: "Whether the vote counts toward the leaderboard." },
  { name: "reason", type: "STRING", nullable: true, description: "Why the vote does not count; null when it counts." },
  { name: "hash", type: "STRING", nullable: false, description: "Chain hash after this record: 64 lowercase hex digits." },
];

const STRING_COLUMNS = ["battleId", "mode", "modelA", "modelB", "winner", "hash"] as const;
const STYLE_KEYS = ["tokens", "headers", "listItems", "bold"] as const;
const INT32_MAX = 2 ** 31 - 1;

function schemaElements(column: ParquetColumn): SchemaElement[] {
  const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
  const { name } = column;
  switch (column.type) {
    case "INT64":
      return [{ name, type: "INT64", repetition_type }];
    case "INT32":
      return [{ name, type: "INT32", repetition_type }];
    case "BOOLEAN":
      return [{ name, type: "BOOLEAN", repetition_type }];
    case "STRING":
      return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type }];
    case "TIMESTAMP_MILLIS_UTC":
      return [{ name, type: "INT64", converted_type: "TIMESTAMP_MILLIS", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" }, repetition_type }];
    case "LIST<STRING>":
      return [
        { name, repetition_type, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "REQUIRED" },
      ];
  }
}

const SCHEMA: SchemaElement[] = [{ name: "schema", num_children: PARQUET_COLUMNS.length }, ...PARQUET_COLUMNS.flatMap(schemaElements)];

/**
 * Encodings chosen per column (the others are left to the writer, which
 * keeps a dictionary when it pays): `seq` and `votedAt` grow steadily, so
 * their deltas pack into a few bits (≈ 7 bytes a record less than plain
 * INT64); `battleId` and `hash` are unique per row, so trying a dictionary
 * for them only costs time.
 */
const ENCODINGS: Record<string, Pick<ColumnSource, "encoding">> = {
  seq: { encoding: "DELTA_BINARY_PACKED" },
  votedAt: { encoding: "DELTA_BINARY_PACKED" },
  battleId: { encoding: "PLAIN" },
  hash: { encoding: "PLAIN" },
};

function int32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) throw new RangeError(`${what} must be an integer from 0 to ${INT32_MAX}, got ${value}`);
  return value;
}

function int64(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/**
 * Writes chained records as one Parquet file (Snappy, row groups of at most
 * {@link PARQUET_ROW_GROUP_SIZE} rows). Refuses a value the file could not
 * give back exactly (an unsafe or fractional integer, a count outside INT32).
 *
 * @example const bytes = votesToParquet(await chainRecords(GENESIS, records));
 */
export function votesToParquet(records: readonly ChainedRecord[]): Uint8Array {
  const n = records.length;
  const data: Record<string, unknown[]> = {};
  for (const column of PARQUET_COLUMNS) data[column.name] = new Array(n);
  const col = (name: string) => data[name] as unknown[];
  const seq = col("seq"), categories = col("categories"), turns = col("turns"), votedAt = col("votedAt"), counted = col("counted"), reason = col("reason");
  const strings = STRING_COLUMNS.map((name) => [name, col(name)] as const);
  const styles = (["A", "B"] as const).flatMap((side) => STYLE_KEYS.map((key) => [side, key, col(`style${side}_${key}`)] as const));
  for (let i = 0; i < n; i++) {
    const r = records[i] as ChainedRecord;
    seq[i] = int64(r.seq, "seq");
    for (const [name, out] of strings) {
      const value = r[name];
      if (typeof value !== "string") throw new TypeError(`vote ${r.seq}: ${name} must be a string`);
      out[i] = value;
    }
    if (!Array.isArray(r.categories) || r.categories.some((c) => typeof c !== "string")) throw new TypeError(`vote ${r.seq}: categories must be strings`);
    categories[i] = r.categories;
    turns[i] = int32(r.turns, `vote ${r.seq}: turns`);
    for (const [side, key, out] of styles) out[i] = int32((side === "A" ? r.styleA : r.styleB)[key], `vote ${r.seq}: style${side}.${key}`);
    votedAt[i] = int64(r.votedAt, `vote ${r.seq}: votedAt`);
    if (typeof r.counted !== "boolean") throw new TypeError(`vote ${r.seq}: counted must be a boolean`);
    counted[i] = r.counted;
    if (r.reason !== null && typeof r.reason !== "string") throw new TypeError(`vote ${r.seq}: reason must be a string or null`);
    reason[i] = r.reason;
  }
  const columnData: ColumnSource[] = PARQUET_COLUMNS.map(({ name }) => ({ name, data: col(name), ...ENCODINGS[name] }));
  const buffer = parquetWriteBuffer({
    columnData,
    schema: SCHEMA,
    codec: "SNAPPY",
    rowGroupSize: PARQUET_ROW_GROUP_SIZE,
    createdBy: "edge-arena vote log",
  });
  return new Uint8Array(buffer);
}

/** Bytes in memory, or a file-like object read by ranges (hyparquet's AsyncBuffer, e.g. a file in the CLI). */
export type ParquetSource = ArrayBuffer | Uint8Array | AsyncBuffer;

function asyncBufferOf(source: ParquetSource): AsyncBuffer {
  if (source instanceof Uint8Array) {
    const whole = source.byteOffset === 0 && source.byteLength === source.buffer.byteLength && source.buffer instanceof ArrayBuffer;
    return whole ? (source.buffer as ArrayBuffer) : source.slice().buffer;
  }
  return source;
}

function safeNumber(value: unknown, seq: number, field: string): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new RangeError(`${seq < 0 ? field : `vote ${seq}: ${field}`}: not a safe integer: ${String(value)}`);
  return n;
}

function checkSchema(metadata: FileMetaData): void {
  const names = new Set(metadata.schema.map((element) => element.name));
  const missing = PARQUET_COLUMNS.filter(({ name }) => !names.has(name)).map(({ name }) => name);
  if (missing.length > 0) throw new TypeError(`not a vote-log Parquet file: no column ${missing.join(", ")}`);
}

/** hyparquet would turn TIMESTAMP_MILLIS into a Date; the record holds the millisecond count. */
const PARSERS = { timestampFromMilliseconds: (millis: bigint) => millis };

/**
 * The named columns of rows [rowStart, rowEnd), decoded column by column
 * (no row objects): each array holds one value per row.
 */
async function readColumns(
  file: AsyncBuffer | ArrayBuffer,
  metadata: FileMetaData,
  columns: readonly string[],
  rowStart: number,
  rowEnd: number,
): Promise<Map<string, ArrayLike<unknown>>> {
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
  await parquetRead({
    file,
    metadata,
    columns: [...columns],
    rowStart,
    rowEnd,
    parsers: PARSERS,
    onChunk: ({ columnName, columnData, rowStart: start }) => {
      const list = chunks.get(columnName) ?? [];
      list.push({ rowStart: start, data: columnData });
      chunks.set(columnName, list);
    },
  });
  const out = new Map<string, ArrayLike<unknown>>();
  for (const name of columns) {
    const parts = (chunks.get(name) ?? []).sort((x, y) => x.rowStart - y.rowStart);
    const total = parts.reduce((sum, part) => sum + part.data.length, 0);
    if (total !== rowEnd - rowStart) throw new Error(`column ${name} has ${total} values in a row group of ${rowEnd - rowStart} rows`);
    if (parts.length === 1) out.set(name, parts[0]!.data);
    else {
      const joined: unknown[] = [];
      for (const part of parts) for (let k = 0; k < part.data.length; k++) joined.push(part.data[k]);
      out.set(name, joined);
    }
  }
  return out;
}

/** The style columns of side A then B, in the order of STYLE_KEYS. */
export const STYLE_COLUMN_NAMES = (["A", "B"] as const).flatMap((side) => STYLE_KEYS.map((key) => `style${side}_${key}`));
const ALL_COLUMNS = PARQUET_COLUMNS.map(({ name }) => name);

/**
 * The records of one row group, built straight from its columns. Keys are
 * set in canonical (sorted) order, the order canonicalJson writes them.
 */
function recordsFromColumns(columns: Map<string, ArrayLike<unknown>>, length: number): ChainedRecord[] {
  const column = (name: string) => columns.get(name)!;
  const [seqs, battleIds, modes, modelAs, modelBs, winners, categories, turns, votedAts, counteds, reasons, hashes] = [
    "seq", "battleId", "mode", "modelA", "modelB", "winner", "categories", "turns", "votedAt", "counted", "reason", "hash",
  ].map(column) as ArrayLike<unknown>[];
  const style = STYLE_COLUMN_NAMES.map(column);
  const out: ChainedRecord[] = new Array(length);
  for (let k = 0; k < length; k++) {
    const seq = safeNumber(seqs![k], -1, "seq");
    out[k] = {
      battleId: battleIds![k] as string,
      categories: [...(categories![k] as string[])],
      counted: counteds![k] as boolean,
      hash: hashes![k] as string,
      mode: modes![k] as PublicVoteRecord["mode"],
      modelA: modelAs![k] as string,
      modelB: modelBs![k] as string,
      reason: (reasons![k] ?? null) as PublicVoteRecord["reason"],
      seq,
      styleA: {
        bold: safeNumber(style[3]![k], seq, "styleA.bold"),
        headers: safeNumber(style[1]![k], seq, "styleA.headers"),
        listItems: safeNumber(style[2]![k], seq, "styleA.listItems"),
        tokens: safeNumber(style[0]![k], seq, "styleA.tokens"),
      },
      styleB: {
        bold: safeNumber(style[7]![k], seq, "styleB.bold"),
        headers: safeNumber(style[5]![k], seq, "styleB.headers"),
        listItems: safeNumber(style[6]![k], seq, "styleB.listItems"),
        tokens: safeNumber(style[4]![k], seq, "styleB.tokens"),
      },
      turns: safeNumber(turns![k], seq, "turns"),
      votedAt: safeNumber(votedAts![k], seq, "votedAt"),
      winner: winners![k] as PublicVoteRecord["winner"],
    };
  }
  return out;
}

/**
 * Reads a vote-log Parquet file one row group at a time, so a CLI can walk a
 * multi-million-row file holding only one group's records (pass an
 * AsyncBuffer to avoid holding the file too).
 *
 * @example for await (const records of parquetVoteRowGroups(bytes)) verify(records);
 */
export async function* parquetVoteRowGroups(source: ParquetSource): AsyncGenerator<ChainedRecord[]> {
  const file = asyncBufferOf(source);
  const metadata = file instanceof ArrayBuffer ? parquetMetadata(file) : await parquetMetadataAsync(file);
  checkSchema(metadata);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    yield recordsFromColumns(await readColumns(file, metadata, ALL_COLUMNS, rowStart, rowEnd), rowEnd - rowStart);
    rowStart = rowEnd;
  }
}

/** Reads a whole vote-log Parquet file back into chained records. */
export async function parquetToVotes(source: ParquetSource): Promise<ChainedRecord[]> {
  const out: ChainedRecord[] = [];
  for await (const group of parquetVoteRowGroups(source)) for (const record of group) out.push(record);
  return out;
}

/**
 * What ranking needs of a row group's votes, column by column: index k of
 * every array is the group's k-th vote. `categories` and the style columns
 * are present only when asked for.
 */
export interface RankingColumns {
  length: number;
  modelA: ArrayLike<unknown>;
  modelB: ArrayLike<unknown>;
  winner: ArrayLike<unknown>;
  counted: ArrayLike<unknown>;
  categories?: ArrayLike<unknown>;
  /** `styleA_tokens` … `styleB_bold`, keyed by column name. */
  style?: Record<string, ArrayLike<unknown>>;
}

/**
 * The columns ranking needs, a row group at a time, left as columns: no row
 * objects are built, and the ids, hashes, categories and style features —
 * most of a file's bytes and of its decoding time — are skipped unless
 * asked for.
 */
export async function* parquetRankingColumns(
  source: ParquetSource,
  want: { categories: boolean; style: boolean },
): AsyncGenerator<RankingColumns> {
  const file = asyncBufferOf(source);
  const metadata = file instanceof ArrayBuffer ? parquetMetadata(file) : await parquetMetadataAsync(file);
  checkSchema(metadata);
  const columns = ["modelA", "modelB", "winner", "counted", ...(want.categories ? ["categories"] : []), ...(want.style ? STYLE_COLUMN_NAMES : [])];
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const length = Number(group.num_rows);
    const rowEnd = rowStart + length;
    const read = await readColumns(file, metadata, columns, rowStart, rowEnd);
    const column = (name: string) => read.get(name)!;
    const batch: RankingColumns = { length, modelA: column("modelA"), modelB: column("modelB"), winner: column("winner"), counted: column("counted") };
    if (want.categories) batch.categories = column("categories");
    if (want.style) batch.style = Object.fromEntries(STYLE_COLUMN_NAMES.map((name) => [name, column(name)]));
    yield batch;
    rowStart = rowEnd;
  }
}
