/**
 * The cron step that copies the vote log to R2 as immutable JSONL segments
 * of exactly SEGMENT_MAX records, one canonical record (with its hash) per
 * line; the records after the last full segment go into each publication's
 * dataset instead (worker/votelog/dataset.ts), so the bucket holds one file
 * per ten thousand votes, not one per cron run. A segment's name says its
 * first and last seq; it is never rewritten (two overlapping runs write the
 * same bytes under the same name), so downloads can be cached for good.
 */
import { canonicalJson, type ChainedRecord } from "../../src/votelog/chain";
import { votesToParquet } from "../../src/votelog/parquet";
import { readLog } from "./records";

/** Records per segment file. */
export const SEGMENT_MAX = 10_000;
/** Prefix of the segments in the DATA bucket. */
export const SEGMENT_PREFIX = "votelog/";

const STATE_KEY = "votelog-export";
const pad = (seq: number) => String(seq).padStart(12, "0");

/** A log file's name (without folder) for records first..last. */
export function logFileName(kind: "votes" | "votes-tail", from: number, to: number, ext: "jsonl" | "parquet"): string {
  return `${kind}-${pad(from)}-${pad(to)}.${ext}`;
}

export function segmentName(from: number, to: number): string {
  return SEGMENT_PREFIX + logFileName("votes", from, to, "jsonl");
}

/** What a log file's R2 metadata and the dataset card say of it. */
export interface LogFile {
  name: string;
  first: number;
  last: number;
  records: number;
  bytes: number;
  sha256: string;
  /** The chain hash of the last record. */
  lastHash: string;
  /** The same records as Parquet (src/votelog/parquet.ts), beside the JSONL under the same name. */
  parquet: { name: string; bytes: number; sha256: string };
}

export const IMMUTABLE = "public, max-age=31536000, immutable";

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes records as one JSONL file under `key` (…​.jsonl) and its Parquet copy beside it; returns what is known of them. */
export async function putLogFile(bucket: R2Bucket, key: string, records: readonly ChainedRecord[]): Promise<LogFile> {
  const body = new TextEncoder().encode(records.map((r) => canonicalJson(r)).join("\n") + "\n");
  const parquetKey = key.replace(/\.jsonl$/, ".parquet");
  const parquetBody = votesToParquet(records) as Uint8Array<ArrayBuffer>;
  const parquet = { name: parquetKey.slice(parquetKey.lastIndexOf("/") + 1), bytes: parquetBody.byteLength, sha256: await sha256Hex(parquetBody) };
  // The Parquet copy first: a listed JSONL file always has its copy.
  await bucket.put(parquetKey, parquetBody, {
    httpMetadata: { contentType: "application/vnd.apache.parquet", cacheControl: IMMUTABLE },
    customMetadata: { sha256: parquet.sha256 },
  });
  const file: LogFile = {
    name: key.slice(key.lastIndexOf("/") + 1),
    first: records[0]!.seq,
    last: records.at(-1)!.seq,
    records: records.length,
    bytes: body.byteLength,
    sha256: await sha256Hex(body),
    lastHash: records.at(-1)!.hash,
    parquet,
  };
  await bucket.put(key, body, {
    httpMetadata: { contentType: "application/x-ndjson; charset=utf-8", cacheControl: IMMUTABLE },
    customMetadata: {
      first: String(file.first),
      last: String(file.last),
      records: String(file.records),
      sha256: file.sha256,
      headHash: file.lastHash,
      parquetBytes: String(parquet.bytes),
      parquetSha256: parquet.sha256,
    },
  });
  return file;
}

/** Stores an immutable JSON document. */
export async function putJson(bucket: R2Bucket, key: string, value: unknown, customMetadata: Record<string, string> = {}): Promise<void> {
  await bucket.put(key, JSON.stringify(value), { httpMetadata: { contentType: "application/json; charset=utf-8", cacheControl: IMMUTABLE }, customMetadata });
}

/** Last seq in a full segment (0 before the first). */
export async function exportedThrough(d1: D1Database): Promise<number> {
  const state = await d1.prepare("SELECT watermark FROM ranking_state WHERE key = ?").bind(STATE_KEY).first<{ watermark: number }>();
  return state?.watermark ?? 0;
}

/** The full segments in the bucket, in seq order. */
export async function listSegments(bucket: R2Bucket): Promise<(LogFile & { etag: string })[]> {
  const out: (LogFile & { etag: string })[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: SEGMENT_PREFIX, cursor, include: ["customMetadata"] });
    for (const o of page.objects) {
      if (!o.key.endsWith(".jsonl")) continue;
      const meta = o.customMetadata ?? {};
      out.push({
        name: o.key.slice(SEGMENT_PREFIX.length),
        first: Number(meta.first),
        last: Number(meta.last),
        records: Number(meta.records),
        bytes: o.size,
        sha256: meta.sha256 ?? "",
        lastHash: meta.headHash ?? "",
        parquet: { name: o.key.slice(SEGMENT_PREFIX.length).replace(/\.jsonl$/, ".parquet"), bytes: Number(meta.parquetBytes ?? 0), sha256: meta.parquetSha256 ?? "" },
        etag: o.httpEtag,
      });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out.sort((x, y) => x.first - y.first);
}

export interface ExportReport {
  segments: string[];
  /** Last seq in a full segment. */
  exported: number;
}

export interface ExportOptions {
  /** Most segments written in one run. */
  maxSegments: number;
  /** Records per segment (tests use small ones). */
  segmentMax: number;
}

export async function exportLogSegments(env: Env, options: ExportOptions = { maxSegments: 4, segmentMax: SEGMENT_MAX }): Promise<ExportReport> {
  const d1 = env.DB;
  let exported = await exportedThrough(d1);
  const segments: string[] = [];
  while (segments.length < options.maxSegments) {
    const records = await readLog(d1, exported + 1, options.segmentMax);
    if (records.length < options.segmentMax) break;
    const last = records.at(-1)!.seq;
    const name = segmentName(records[0]!.seq, last);
    await putLogFile(env.DATA, name, records);
    await d1
      .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?1, '{}', ?2) ON CONFLICT (key) DO UPDATE SET watermark = max(watermark, excluded.watermark)")
      .bind(STATE_KEY, last)
      .run();
    segments.push(name);
    exported = last;
  }
  return { segments, exported };
}
