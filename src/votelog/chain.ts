/**
 * The hash chain of the public vote log.
 *
 * Canonical form of a record: RFC 8785 (JSON Canonicalization Scheme) for
 * the values a record holds — object keys sorted by UTF-16 code units at
 * every level, no whitespace, strings escaped as ECMAScript JSON.stringify
 * does, integers in plain decimal (a record holds no other numbers: a
 * fraction, NaN or an unsafe integer is refused rather than rounded),
 * `true` / `false` / `null` — encoded as UTF-8.
 *
 * Chain: hash₀ is 32 zero bytes; hashₙ = SHA-256(hashₙ₋₁ ‖ canonical(recordₙ)),
 * the previous hash as its 32 raw bytes; hashes are written as 64 lowercase
 * hex digits. Records are chained in `seq` order; a gap in `seq` is allowed
 * (the log is every stored vote, in the order the database assigned), a
 * repeat or a step back is not.
 *
 * Web Crypto only, so the same code runs in the Worker, in Node and in a
 * browser.
 */
import type { PublicVoteRecord } from "./record";

export const GENESIS_HASH = "0".repeat(64);

/** A record with its place in the chain. */
export type ChainedRecord = PublicVoteRecord & { hash: string };

/**
 * The canonical JSON text of a value made of plain objects, arrays, strings,
 * safe integers, booleans and null.
 *
 * @example canonicalJson({ b: 1, a: [true, null, "x"] }) // '{"a":[true,null,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(value)) throw new RangeError(`the vote log holds only safe integers, got ${value}`);
      return Object.is(value, -0) ? "0" : String(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let k = 0; k < value.length; k++) out += (k ? "," : "") + canonicalJson(value[k]);
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      // Records are usually built in canonical order already: sort only when they are not.
      for (let k = 1; k < keys.length; k++) {
        if (keys[k - 1]! > keys[k]!) {
          keys.sort();
          break;
        }
      }
      let out = "{";
      for (const key of keys) {
        const v = object[key];
        if (v === undefined) continue;
        out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(v)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`the vote log cannot hold a ${typeof value}`);
  }
}

const HEX = /^[0-9a-f]{64}$/;

function hexToBytes(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new RangeError(`not a SHA-256 hex digest: ${hex.slice(0, 80)}`);
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function bytesToHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The record's fields only (not its hash), as the chain hashes them. */
export function recordOf(record: PublicVoteRecord | ChainedRecord): PublicVoteRecord {
  const { hash: _hash, ...rest } = record as ChainedRecord;
  return rest;
}

/** The canonical text a record is hashed as: its fields, without its hash. */
export function canonicalRecordText(record: PublicVoteRecord | ChainedRecord): string {
  return knownRecordText(record) ?? canonicalJson(recordOf(record));
}

/** A record's fields in canonical (sorted) order. */
const RECORD_KEYS = ["battleId", "categories", "counted", "mode", "modelA", "modelB", "reason", "seq", "styleA", "styleB", "turns", "votedAt", "winner"];
const STYLE_KEYS = ["bold", "headers", "listItems", "tokens"] as const;

/**
 * The canonical text of a record of exactly the public shape, written field
 * by field (verifying a Parquet log hashes millions of them); undefined for
 * anything else, which the general canonicalJson then writes or refuses.
 */
function knownRecordText(record: PublicVoteRecord | ChainedRecord): string | undefined {
  const keys = Object.keys(record);
  let k = 0;
  for (const key of keys) {
    if (key === "hash") continue;
    if (key !== RECORD_KEYS[k]) return undefined;
    k++;
  }
  if (k !== RECORD_KEYS.length) return undefined;
  const r = record as PublicVoteRecord;
  if (!Array.isArray(r.categories) || !r.categories.every((c) => typeof c === "string")) return undefined;
  if (typeof r.counted !== "boolean" || (r.reason !== null && typeof r.reason !== "string")) return undefined;
  for (const text of [r.battleId, r.mode, r.modelA, r.modelB, r.winner]) if (typeof text !== "string") return undefined;
  for (const n of [r.seq, r.turns, r.votedAt]) if (!Number.isSafeInteger(n) || Object.is(n, -0)) return undefined;
  const style = (s: unknown): string | undefined => {
    if (typeof s !== "object" || s === null || Array.isArray(s)) return undefined;
    const fields = Object.keys(s);
    if (fields.length !== 4 || STYLE_KEYS.some((key, i) => fields[i] !== key)) return undefined;
    const v = s as Record<(typeof STYLE_KEYS)[number], unknown>;
    for (const key of STYLE_KEYS) if (!Number.isSafeInteger(v[key]) || Object.is(v[key], -0)) return undefined;
    return `{"bold":${v.bold},"headers":${v.headers},"listItems":${v.listItems},"tokens":${v.tokens}}`;
  };
  const styleA = style(r.styleA);
  const styleB = style(r.styleB);
  if (styleA === undefined || styleB === undefined) return undefined;
  let categories = "[";
  for (let i = 0; i < r.categories.length; i++) categories += (i ? "," : "") + JSON.stringify(r.categories[i]);
  return (
    `{"battleId":${JSON.stringify(r.battleId)},"categories":${categories}],"counted":${r.counted},"mode":${JSON.stringify(r.mode)},` +
    `"modelA":${JSON.stringify(r.modelA)},"modelB":${JSON.stringify(r.modelB)},"reason":${r.reason === null ? "null" : JSON.stringify(r.reason)},` +
    `"seq":${r.seq},"styleA":${styleA},"styleB":${styleB},"turns":${r.turns},"votedAt":${r.votedAt},"winner":${JSON.stringify(r.winner)}}`
  );
}

/** The 32 raw bytes of a hex digest. */
export function digestBytes(hex: string): Uint8Array {
  return hexToBytes(hex);
}

/** hashₙ from hashₙ₋₁ and recordₙ. */
export async function chainHash(previous: string, record: PublicVoteRecord): Promise<string> {
  const body = new TextEncoder().encode(canonicalRecordText(record));
  const input = new Uint8Array(32 + body.length);
  input.set(hexToBytes(previous), 0);
  input.set(body, 32);
  return bytesToHex(await crypto.subtle.digest("SHA-256", input));
}

/** Chains records in order after `previous` (the head before the first of them). */
export async function chainRecords(previous: { seq: number; hash: string }, records: readonly PublicVoteRecord[]): Promise<ChainedRecord[]> {
  const out: ChainedRecord[] = [];
  let head = previous;
  for (const record of records) {
    if (record.seq <= head.seq) throw new RangeError(`vote ${record.seq} is not after ${head.seq}: the log only grows`);
    const hash = await chainHash(head.hash, record);
    out.push({ ...record, hash });
    head = { seq: record.seq, hash };
  }
  return out;
}

/** The first thing wrong with a log segment, by sequence number. */
export type ChainProblem =
  | { kind: "out_of_order"; seq: number; after: number }
  | { kind: "hash_mismatch"; seq: number; expected: string; found: string };

/**
 * Checks a segment that follows `previous`: each record's hash must be the
 * chain's. An edited, inserted, removed or reordered record breaks the
 * chain at that record (a removal at the record after the gap, whose hash
 * was made from the removed one's).
 */
export async function verifyChain(previous: { seq: number; hash: string }, records: readonly ChainedRecord[]): Promise<{ ok: true; head: { seq: number; hash: string } } | { ok: false; problem: ChainProblem }> {
  let head = previous;
  for (const record of records) {
    if (record.seq <= head.seq) return { ok: false, problem: { kind: "out_of_order", seq: record.seq, after: head.seq } };
    const expected = await chainHash(head.hash, record);
    if (expected !== record.hash) return { ok: false, problem: { kind: "hash_mismatch", seq: record.seq, expected, found: record.hash } };
    head = { seq: record.seq, hash: record.hash };
  }
  return { ok: true, head };
}

export const GENESIS = { seq: 0, hash: GENESIS_HASH } as const;
