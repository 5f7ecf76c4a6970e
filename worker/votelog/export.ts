/**
 * The cron step that copies the vote log to R2 as immutable JSONL segments:
 * each run writes the records chained since the last segment (at most
 * SEGMENT_MAX per file, the rest in further files), one canonical record per
 * line with its hash, so a download of every segment in order is the whole
 * log and verifies from the genesis. A segment's name says its first and
 * last seq; it is never rewritten (two overlapping runs write the same
 * bytes under the same name), so downloads can be cached for good.
 */
import { canonicalJson } from "../../src/votelog/chain";
import { readLog } from "./records";

/** Records per segment file. */
export const SEGMENT_MAX = 10_000;
/** Prefix of the segments in the DATA bucket. */
export const SEGMENT_PREFIX = "votelog/";

const STATE_KEY = "votelog-export";
const pad = (seq: number) => String(seq).padStart(12, "0");

export function segmentName(from: number, to: number): string {
  return `${SEGMENT_PREFIX}votes-${pad(from)}-${pad(to)}.jsonl`;
}

export interface ExportReport {
  segments: string[];
  /** Last seq exported. */
  exported: number;
}

export async function exportLogSegments(env: Env, options: { maxSegments: number } = { maxSegments: 4 }): Promise<ExportReport> {
  const d1 = env.DB;
  const state = await d1.prepare("SELECT watermark FROM ranking_state WHERE key = ?").bind(STATE_KEY).first<{ watermark: number }>();
  let exported = state?.watermark ?? 0;
  const segments: string[] = [];
  while (segments.length < options.maxSegments) {
    const records = await readLog(d1, exported + 1, SEGMENT_MAX);
    if (records.length === 0) break;
    const first = records[0]!.seq;
    const last = records.at(-1)!.seq;
    const body = records.map((r) => canonicalJson(r)).join("\n") + "\n";
    const name = segmentName(first, last);
    await env.DATA.put(name, body, {
      httpMetadata: { contentType: "application/x-ndjson; charset=utf-8", cacheControl: "public, max-age=31536000, immutable" },
      customMetadata: { first: String(first), last: String(last), records: String(records.length), previousSeq: String(exported), headHash: records.at(-1)!.hash },
    });
    await d1
      .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?1, '{}', ?2) ON CONFLICT (key) DO UPDATE SET watermark = max(watermark, excluded.watermark)")
      .bind(STATE_KEY, last)
      .run();
    segments.push(name);
    exported = last;
    if (records.length < SEGMENT_MAX) break;
  }
  return { segments, exported };
}
