/**
 * The open dataset of a publication, written to R2 by the cron after the
 * boards: everything a sceptic needs to check them with `edge-arena verify`.
 *
 *   datasets/{publicationId}/votes-tail-{first}-{last}.jsonl   the log after the last full segment, up to the head (and .parquet)
 *   datasets/{publicationId}/publication.json                  every public board and the category index, as published
 *   datasets/{publicationId}/card.json                         schema, licence, counts, chain head, code and parameters
 *
 * With the full segments (worker/votelog/export.ts) that the card lists, the
 * files are the whole log from the genesis to the publication's chain head.
 * The card is written last, so a listed dataset is complete; every file is
 * immutable. Conversations are in it only for people who allow it, scrubbed
 * (worker/votelog/conversations.ts); everything else is public vote records.
 * The newest {@link KEEP_DATASETS} datasets are kept; the segments, which
 * hold every older record, are kept for good.
 */
import pkg from "../../package.json";
import { PUBLISHED_RANKING } from "../../src/leaderboard/recompute";
import { STYLE_QUANTUM } from "../../src/ranking/style";
import { PARQUET_COLUMNS } from "../../src/votelog/parquet";
import type { Publication } from "../leaderboard/publish";
import { exportedThrough, listSegments, logFileName, putJson, putLogFile, SEGMENT_MAX, type LogFile } from "./export";
import { putConversations, type ConversationsFile } from "./conversations";
import { readLog } from "./records";

export const DATASET_PREFIX = "datasets/";
export const KEEP_DATASETS = 48;
export const DATASET_LICENSE = "CC-BY-4.0";

/** The record fields, as the card describes them (src/votelog/record.ts). */
export const RECORD_SCHEMA = [
  { name: "seq", type: "integer", description: "Position in the log: strictly increasing, gaps never reused" },
  { name: "battleId", type: "string", description: "The battle voted on" },
  { name: "mode", type: "string", description: '"anonymous", "side-by-side" or "direct"; only anonymous votes can count' },
  { name: "modelA", type: "string", description: "Model id of side A (a preview's codename)" },
  { name: "modelB", type: "string", description: "Model id of side B" },
  { name: "winner", type: "string", description: '"a", "b", "tie" or "bothbad"' },
  { name: "categories", type: "string[]", description: "Category tags of the battle, sorted" },
  { name: "turns", type: "integer", description: "Turns in the battle at the vote" },
  { name: "styleA", type: "{tokens, headers, listItems, bold: integer}", description: "Style features of answer A" },
  { name: "styleB", type: "{tokens, headers, listItems, bold: integer}", description: "Style features of answer B" },
  { name: "votedAt", type: "integer", description: "Milliseconds since the Unix epoch, UTC" },
  { name: "counted", type: "boolean", description: "Whether the vote counts (before anomalous-voter flags, which the card lists)" },
  { name: "reason", type: "string | null", description: "Why it does not count; null when it does" },
  { name: "hash", type: "string", description: "SHA-256 chain hash, 64 hex digits: SHA-256(previous hash bytes ‖ canonical JSON of the other fields)" },
] as const;

/** A log file as the card lists it: where to get it, as JSONL and as Parquet. */
export interface CardFile extends Omit<LogFile, "parquet"> {
  url: string;
  format: "jsonl";
  parquet: LogFile["parquet"] & { url: string };
}

export interface DatasetCard {
  format: "edge-arena-dataset/1";
  publicationId: string;
  computedAt: string;
  license: string;
  description: string;
  chainHead: { seq: number; hash: string };
  counts: { records: number; counted: number; flagged: number; boards: number; categories: number };
  schema: { record: typeof RECORD_SCHEMA; parquet: typeof PARQUET_COLUMNS; canonicalForm: string; chain: string };
  code: { name: string; version: string; recompute: string };
  parameters: {
    ranking: typeof PUBLISHED_RANKING;
    styleQuantum: number;
    styleRowsExactMax: number;
    watermark: number;
    excludedModels: readonly string[];
    flaggedSeqs: readonly number[];
    seed: null;
  };
  /** The log from the genesis to the chain head, in order. */
  files: CardFile[];
  publication: { url: string; bytes: number };
  /** Conversations of the people who allow it, scrubbed; null when there are none. */
  conversations: (ConversationsFile & { url: string; description: string }) | null;
}

export interface DatasetReport {
  written: string | null;
  /** Why no dataset was written. */
  skipped?: "no-votes" | "log-behind";
  pruned: number;
}

const segmentUrl = (name: string) => `/api/v1/datasets/files/${name}`;
const datasetUrl = (id: string, name: string) => `/api/v1/datasets/${id}/${name}`;

/** Writes the dataset of `publication`; a second call for the same publication writes the same files. */
export async function writeDataset(env: Env, publication: Publication, options: { keep?: number } = {}): Promise<DatasetReport> {
  const head = publication.chainHead;
  if (!head) return { written: null, skipped: "no-votes", pruned: 0 };
  const bucket = env.DATA;
  const exported = await exportedThrough(env.DB);
  const segments = (await listSegments(bucket)).filter((s) => s.last <= Math.min(exported, head.seq));
  const files: CardFile[] = segments.map(({ etag: _etag, ...s }) => ({ ...s, url: segmentUrl(s.name), format: "jsonl", parquet: { ...s.parquet, url: segmentUrl(s.parquet.name) } }));
  const folder = `${DATASET_PREFIX}${publication.id}/`;
  const from = segments.at(-1)?.last ?? 0;
  if (from < head.seq) {
    const tail = (await readLog(env.DB, from + 1, 2 * SEGMENT_MAX)).filter((r) => r.seq <= head.seq);
    // The export is far behind (it catches up by a few segments a run): no dataset until it has.
    if (tail.at(-1)?.seq !== head.seq) return { written: null, skipped: "log-behind", pruned: 0 };
    const name = logFileName("votes-tail", tail[0]!.seq, head.seq, "jsonl");
    const file = await putLogFile(bucket, folder + name, tail);
    files.push({ ...file, url: datasetUrl(publication.id, name), format: "jsonl", parquet: { ...file.parquet, url: datasetUrl(publication.id, file.parquet.name) } });
  }
  const publicationBody = { id: publication.id, computedAt: publication.computedAt, chainHead: head, index: publication.index, boards: publication.boards };
  const publicationText = JSON.stringify(publicationBody);
  await putJson(bucket, `${folder}publication.json`, publicationBody);
  const conversations = await putConversations(bucket, env.DB, folder, head.seq);
  const counted = publication.boards.find((b) => b.category === "overall" && b.style === "default")?.meta.totalBattles ?? 0;
  const card: DatasetCard = {
    format: "edge-arena-dataset/1",
    publicationId: publication.id,
    computedAt: publication.computedAt,
    license: DATASET_LICENSE,
    description:
      "Every stored vote of the arena up to this publication, counted or not, as hash-chained public records (no personal data), with the boards published from them, and the conversations of the people who allow it, scrubbed. `npx edge-arena verify` checks the chain and recomputes every board.",
    chainHead: head,
    counts: {
      records: files.reduce((n, f) => n + f.records, 0),
      counted,
      flagged: publication.exclusions.flaggedSeqs.length,
      boards: publication.boards.length,
      categories: new Set(publication.boards.map((b) => b.category)).size,
    },
    schema: {
      record: RECORD_SCHEMA,
      parquet: PARQUET_COLUMNS,
      canonicalForm: "RFC 8785 subset: keys sorted by UTF-16 code units, no whitespace, JSON.stringify string escapes, integers only, UTF-8",
      chain: "hash_0 = 32 zero bytes; hash_n = SHA-256(hash_(n-1) as 32 bytes ‖ canonical JSON of record n without its hash), lowercase hex",
    },
    code: { name: pkg.name, version: pkg.version, recompute: "src/leaderboard/recompute.ts" },
    parameters: {
      ranking: PUBLISHED_RANKING,
      styleQuantum: STYLE_QUANTUM,
      styleRowsExactMax: publication.exclusions.styleRowsExactMax,
      watermark: publication.exclusions.watermark,
      excludedModels: publication.exclusions.excludedModels,
      flaggedSeqs: publication.exclusions.flaggedSeqs,
      // Sandwich intervals are deterministic: there is no bootstrap seed.
      seed: null,
    },
    files,
    publication: { url: datasetUrl(publication.id, "publication.json"), bytes: new TextEncoder().encode(publicationText).byteLength },
    conversations: conversations && {
      ...conversations,
      url: datasetUrl(publication.id, conversations.name),
      description:
        "Battles of people who allowed publication, started after they did, voted on by the chain head; linked to the log by seq and battleId. E-mail addresses, phone numbers, API keys and tokens, and IP addresses are replaced by [email], [phone], [secret] and [ip].",
    },
  };
  await putJson(bucket, `${folder}card.json`, card, { publicationId: publication.id, computedAt: publication.computedAt, headSeq: String(head.seq), headHash: head.hash });
  return { written: publication.id, pruned: await pruneDatasets(bucket, options.keep ?? KEEP_DATASETS) };
}

/** `{watermark}.{time}` ids in publication order. */
function byPublication(x: string, y: string): number {
  const [xw, xt] = x.split(".").map(Number) as [number, number];
  const [yw, yt] = y.split(".").map(Number) as [number, number];
  return xw - yw || xt - yt;
}

/** The dataset ids in the bucket, oldest first. */
export async function listDatasetIds(bucket: R2Bucket): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: DATASET_PREFIX, delimiter: "/", cursor });
    for (const p of page.delimitedPrefixes) ids.push(p.slice(DATASET_PREFIX.length, -1));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return ids.sort(byPublication);
}

async function pruneDatasets(bucket: R2Bucket, keep: number): Promise<number> {
  const ids = await listDatasetIds(bucket);
  let pruned = 0;
  for (const id of ids.slice(0, Math.max(0, ids.length - keep))) {
    const { objects } = await bucket.list({ prefix: `${DATASET_PREFIX}${id}/` });
    // The card first, so a half-pruned dataset is never listed as complete.
    const keys = objects.map((o) => o.key).sort((x, y) => Number(y.endsWith("card.json")) - Number(x.endsWith("card.json")));
    for (const key of keys) await bucket.delete(key);
    pruned++;
  }
  return pruned;
}


