/**
 * Verifying a published dataset (worker/votelog/dataset.ts) from its files
 * alone: the chain from the genesis to the published head, record by record,
 * then every published board recomputed from the records with the code the
 * cron publishes with (src/leaderboard/recompute.ts) and compared exactly.
 * Pure and streaming: the CLI (bin/verify.ts) feeds it records from disk or
 * HTTP; a Worker test feeds it the files the cron wrote.
 */
import { compareBoards, createLogAggregator, recomputeBoards, type BoardDifference, type PublicationExclusions } from "../leaderboard/recompute";
import type { PublishedLeaderboard } from "../wire";
import { canonicalRecordText, digestBytes, GENESIS, type ChainedRecord } from "./chain";
import { STYLE_FEATURES } from "../ranking/style";

/** What verify reads of a dataset card. */
export interface VerifiableCard {
  publicationId: string;
  chainHead: { seq: number; hash: string };
  parameters: PublicationExclusions;
  files: { name: string; first: number; last: number; records: number }[];
}

/** What verify reads of a publication file. */
export interface VerifiablePublication {
  id: string;
  chainHead: { seq: number; hash: string } | null;
  boards: Pick<PublishedLeaderboard, "category" | "style" | "rows">[];
}

/** One record as read, with where it was read from (for messages). */
export interface SourcedRecord {
  record: unknown;
  /** A string, or anything that formats as one only when a message needs it (a row number per record would cost). */
  where: string | { toString(): string };
  /** The line it was parsed from, when it came from JSONL: hashed directly when it is already canonical. */
  text?: string;
}

export type VerifyProblem =
  | { kind: "malformed"; seq: number | null; where: string; message: string }
  | { kind: "out_of_order"; seq: number; after: number; where: string }
  | { kind: "hash_mismatch"; seq: number; after: number; where: string }
  | { kind: "missing"; afterSeq: number; headSeq: number }
  | { kind: "head_mismatch"; published: { seq: number; hash: string }; found: { seq: number; hash: string } }
  | { kind: "board"; difference: BoardDifference };

export type VerifyResult =
  | { ok: true; records: number; head: { seq: number; hash: string }; boards: number }
  | { ok: false; problem: VerifyProblem; records: number };

/** A hash function for the chain: hashₙ from hashₙ₋₁ (hex) and the canonical text of recordₙ. */
export type ChainHasher = (previousHex: string, canonicalText: string) => string | Promise<string>;

const webCryptoHasher: ChainHasher = async (previous, text) => {
  const body = new TextEncoder().encode(text);
  const input = new Uint8Array(32 + body.length);
  input.set(digestBytes(previous), 0);
  input.set(body, 32);
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", input))].map((b) => b.toString(16).padStart(2, "0")).join("");
};

/**
 * The canonical text of a record read as a canonical JSONL line (its keys in
 * order, `hash` among them): the line without its `"hash":"…",` member.
 * Only a candidate: if the line was not canonical, its hash will not match
 * and the record is canonicalised from its values instead.
 */
function lineWithoutHash(text: string, hash: string): string | null {
  const member = `"hash":"${hash}",`;
  const at = text.indexOf(member);
  return at < 0 ? null : text.slice(0, at) + text.slice(at + member.length);
}

const WINNERS = new Set(["a", "b", "tie", "bothbad"]);
const MODES = new Set(["anonymous", "side-by-side", "direct"]);

/** Checks the shape of a parsed record; the reason it is not a vote-log record, or null. */
export function recordShapeProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const r = value as Record<string, unknown>;
  const int = (k: string) => (Number.isSafeInteger(r[k]) ? null : `field "${k}" must be an integer`);
  const str = (k: string) => (typeof r[k] === "string" && r[k] !== "" ? null : `field "${k}" must be a non-empty string`);
  const style = (k: string) => {
    const s = r[k];
    if (typeof s !== "object" || s === null) return `field "${k}" must be an object`;
    for (const f of STYLE_FEATURES) if (!Number.isSafeInteger((s as Record<string, unknown>)[f])) return `field "${k}.${f}" must be an integer`;
    return null;
  };
  return (
    int("seq") ??
    str("battleId") ??
    (MODES.has(r.mode as string) ? null : 'field "mode" must be "anonymous", "side-by-side" or "direct"') ??
    str("modelA") ??
    str("modelB") ??
    (WINNERS.has(r.winner as string) ? null : 'field "winner" must be "a", "b", "tie" or "bothbad"') ??
    (Array.isArray(r.categories) && r.categories.every((c) => typeof c === "string") ? null : 'field "categories" must be an array of strings') ??
    int("turns") ??
    style("styleA") ??
    style("styleB") ??
    int("votedAt") ??
    (typeof r.counted === "boolean" ? null : 'field "counted" must be a boolean') ??
    (r.reason === null || typeof r.reason === "string" ? null : 'field "reason" must be a string or null') ??
    (typeof r.hash === "string" && /^[0-9a-f]{64}$/.test(r.hash) ? null : 'field "hash" must be 64 lowercase hex digits')
  );
}

/**
 * Verifies a dataset: `records` in file order (all files of the card, in
 * the card's order). Stops at the first problem.
 */
export async function verifyDataset(
  card: VerifiableCard,
  publication: VerifiablePublication,
  records: AsyncIterable<SourcedRecord | SourcedRecord[]> | Iterable<SourcedRecord | SourcedRecord[]>,
  options: { hash?: ChainHasher; onRecord?: (count: number) => void } = {},
): Promise<VerifyResult> {
  const hash = options.hash ?? webCryptoHasher;
  const published = card.chainHead;
  if (!publication.chainHead || publication.chainHead.seq !== published.seq || publication.chainHead.hash !== published.hash) {
    return { ok: false, records: 0, problem: { kind: "head_mismatch", published, found: publication.chainHead ?? GENESIS } };
  }
  const aggregator = createLogAggregator(card.parameters);
  let head: { seq: number; hash: string } = GENESIS;
  let count = 0;
  const hashOf = async (previous: string, text: string): Promise<string> => {
    const h = hash(previous, text);
    return typeof h === "string" ? h : await h;
  };
  for await (const item of records) {
    for (const { record: value, where, text } of Array.isArray(item) ? item : [item]) {
      const shape = recordShapeProblem(value);
      const seq = typeof (value as { seq?: unknown })?.seq === "number" ? (value as { seq: number }).seq : null;
      if (shape) return { ok: false, records: count, problem: { kind: "malformed", seq, where: String(where), message: shape } };
      const record = value as ChainedRecord;
      if (record.seq > published.seq) break;
      if (record.seq <= head.seq) return { ok: false, records: count, problem: { kind: "out_of_order", seq: record.seq, after: head.seq, where: String(where) } };
      const line = text === undefined ? null : lineWithoutHash(text, record.hash);
      let expected = line === null ? "" : await hashOf(head.hash, line);
      if (expected !== record.hash) expected = await hashOf(head.hash, canonicalRecordText(record));
      if (expected !== record.hash) return { ok: false, records: count, problem: { kind: "hash_mismatch", seq: record.seq, after: head.seq, where: String(where) } };
      head = { seq: record.seq, hash: record.hash };
      aggregator.add(record);
      count++;
      options.onRecord?.(count);
    }
  }
  if (head.seq !== published.seq) return { ok: false, records: count, problem: { kind: "missing", afterSeq: head.seq, headSeq: published.seq } };
  if (head.hash !== published.hash) return { ok: false, records: count, problem: { kind: "head_mismatch", published, found: head } };
  const difference = compareBoards(publication.boards, recomputeBoards(aggregator.categories()));
  if (difference) return { ok: false, records: count, problem: { kind: "board", difference } };
  return { ok: true, records: count, head, boards: publication.boards.length };
}

/** A one-line account of a problem, naming the sequence number where there is one. */
export function describeProblem(problem: VerifyProblem): string {
  switch (problem.kind) {
    case "malformed":
      return `${problem.seq !== null ? `seq ${problem.seq}` : "a record"} (${problem.where}): ${problem.message}`;
    case "out_of_order":
      return `seq ${problem.seq} (${problem.where}): out of order, after seq ${problem.after} (a record was moved or repeated)`;
    case "hash_mismatch":
      return `seq ${problem.seq} (${problem.where}): its hash does not follow from seq ${problem.after}: this record was changed or inserted, or one between them removed`;
    case "missing":
      return `records missing after seq ${problem.afterSeq}: the published chain head is seq ${problem.headSeq}`;
    case "head_mismatch":
      return `the chain ends at seq ${problem.found.seq} with hash ${problem.found.hash}, but the publication names seq ${problem.published.seq} with hash ${problem.published.hash}`;
    case "board": {
      const d = problem.difference;
      return `board ${d.board}${d.model ? `, model ${d.model}` : ""}: ${d.field} is ${JSON.stringify(d.published)} as published but ${JSON.stringify(d.recomputed)} recomputed`;
    }
  }
}
