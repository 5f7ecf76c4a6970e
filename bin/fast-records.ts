/**
 * The CLI's fast path for JSONL battle files: the file is read as bytes in
 * large chunks, split on newline bytes, and each line parsed by a small
 * byte-level JSON parser that handles what battle records hold — objects,
 * arrays, strings without escapes, numbers, true/false/null — without first
 * decoding the line to a string (ASCII strings are read as latin1, the
 * cheapest decode).
 *
 * Anything else (an escape or a control character in a string, a number
 * outside JSON's grammar, anything malformed) makes the parser give up on
 * that line, which then goes through `JSON.parse` exactly as the general
 * reader does: same values, same errors with the same line numbers.
 */
import { createReadStream } from "node:fs";

/** One line's record: parsed by the fast path, or its text for the general parser. */
export interface FastLine {
  line: number;
  /** The parsed value, or undefined when the fast parser gave up. */
  value: unknown;
  /** The line's text, present only when `value` is undefined. */
  text?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const NEWLINE = 0x0a;

/** Thrown inside the parser to give up on a line (never escapes this module). */
const GIVE_UP = Symbol("give up");

class LineParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  private readonly cache = new Map<number, { bytes: Buffer; value: string }>();

  parse(buf: Buffer, start: number, end: number): unknown {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    try {
      this.space();
      const value = this.value(0);
      this.space();
      return this.pos === this.end ? value : undefined;
    } catch (error) {
      if (error === GIVE_UP) return undefined;
      throw error;
    }
  }

  private space(): void {
    const { buf } = this;
    while (this.pos < this.end) {
      const c = buf[this.pos]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== NEWLINE) return;
      this.pos++;
    }
  }

  private value(depth: number): unknown {
    if (this.pos >= this.end || depth > 32) throw GIVE_UP;
    const c = this.buf[this.pos]!;
    if (c === QUOTE) return this.string();
    if (c === OPEN_OBJECT) return this.object(depth);
    if (c === OPEN_ARRAY) return this.array(depth);
    if (c === 0x74) return this.literal("true", true);
    if (c === 0x66) return this.literal("false", false);
    if (c === 0x6e) return this.literal("null", null);
    return this.number();
  }

  private literal(word: string, value: boolean | null): boolean | null {
    for (let k = 0; k < word.length; k++) if (this.buf[this.pos + k] !== word.charCodeAt(k)) throw GIVE_UP;
    this.pos += word.length;
    return value;
  }

  private number(): number {
    const { buf } = this;
    const start = this.pos;
    let p = start;
    if (buf[p] === 0x2d) p++;
    if (buf[p] === 0x30) p++;
    else if (buf[p]! >= 0x31 && buf[p]! <= 0x39) while (buf[p]! >= 0x30 && buf[p]! <= 0x39) p++;
    else throw GIVE_UP;
    let integer = true;
    if (buf[p] === 0x2e) {
      integer = false;
      p++;
      if (!(buf[p]! >= 0x30 && buf[p]! <= 0x39)) throw GIVE_UP;
      while (buf[p]! >= 0x30 && buf[p]! <= 0x39) p++;
    }
    if (buf[p] === 0x65 || buf[p] === 0x45) {
      integer = false;
      p++;
      if (buf[p] === 0x2b || buf[p] === 0x2d) p++;
      if (!(buf[p]! >= 0x30 && buf[p]! <= 0x39)) throw GIVE_UP;
      while (buf[p]! >= 0x30 && buf[p]! <= 0x39) p++;
    }
    if (p > this.end) throw GIVE_UP;
    this.pos = p;
    // Small integers exactly as JSON.parse reads them; anything else through Number, which follows the same grammar.
    if (integer && p - start <= 15) {
      let n = 0;
      for (let k = buf[start] === 0x2d ? start + 1 : start; k < p; k++) n = n * 10 + (buf[k]! - 0x30);
      return buf[start] === 0x2d ? (n === 0 ? -0 : -n) : n;
    }
    return Number(buf.toString("latin1", start, p));
  }

  private string(): string {
    const { buf, end } = this;
    const start = ++this.pos;
    // One pass to the closing quote: an escape or a control character gives up on the line.
    let ascii = true;
    let hash = 0;
    let p = start;
    for (; p < end; p++) {
      const c = buf[p]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20) throw GIVE_UP;
      if (c >= 0x80) ascii = false;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (p >= end) throw GIVE_UP;
    this.pos = p + 1;
    return this.decode(start, p, ascii, hash);
  }

  /**
   * Keys and model names repeat on every line: a short string seen before
   * (same length and hash of its bytes, then compared whole) is shared
   * instead of being decoded and allocated again.
   */
  private decode(start: number, end: number, ascii: boolean, hash: number): string {
    const { buf } = this;
    const length = end - start;
    if (length === 0) return "";
    if (length > 80) return buf.toString(ascii ? "latin1" : "utf8", start, end);
    const slot = (hash ^ (length << 20)) & 0x3fffffff;
    const known = this.cache.get(slot);
    if (known) {
      const bytes = known.bytes;
      let k = 0;
      while (k < length && bytes[k] === buf[start + k]) k++;
      if (k === length) return known.value;
    }
    const value = buf.toString(ascii ? "latin1" : "utf8", start, end);
    if (this.cache.size < 50_000) this.cache.set(slot, { bytes: Buffer.from(buf.subarray(start, end)), value });
    return value;
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.space();
    if (this.buf[this.pos] === CLOSE_OBJECT) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.buf[this.pos] !== QUOTE) throw GIVE_UP;
      const key = this.string();
      // JSON.parse defines an own property even for "__proto__"; plain assignment would not.
      if (key === "__proto__") throw GIVE_UP;
      this.space();
      if (this.buf[this.pos] !== COLON) throw GIVE_UP;
      this.pos++;
      this.space();
      out[key] = this.value(depth + 1);
      this.space();
      const c = this.buf[this.pos];
      this.pos++;
      if (c === COMMA) continue;
      if (c === CLOSE_OBJECT) return out;
      throw GIVE_UP;
    }
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.space();
    if (this.buf[this.pos] === CLOSE_ARRAY) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value(depth + 1));
      this.space();
      const c = this.buf[this.pos];
      this.pos++;
      if (c === COMMA) continue;
      if (c === CLOSE_ARRAY) return out;
      throw GIVE_UP;
    }
  }
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = buf[p]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Non-blank lines of a JSONL file, parsed where the fast path can, a batch
 * per chunk read; line numbers are 1-based.
 */
export async function* fastJsonLines(path: string): AsyncGenerator<FastLine[]> {
  const parser = new LineParser();
  let carry: Buffer | null = null;
  let line = 0;
  const lineOf = (buf: Buffer, start: number, end: number, out: FastLine[]) => {
    line++;
    if (isBlank(buf, start, end)) return;
    const value = parser.parse(buf, start, end);
    if (value === undefined) out.push({ line, value, text: buf.toString("utf8", start, end) });
    else out.push({ line, value });
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let buf = chunk as Buffer;
    let start = 0;
    const out: FastLine[] = [];
    let nl = buf.indexOf(NEWLINE);
    if (carry) {
      if (nl < 0) {
        carry = Buffer.concat([carry, buf]);
        continue;
      }
      const joined = Buffer.concat([carry, buf.subarray(0, nl)]);
      lineOf(joined, 0, joined.length, out);
      carry = null;
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    while (nl >= 0) {
      lineOf(buf, start, nl, out);
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    if (start < buf.length) carry = buf.subarray(start);
    buf = Buffer.alloc(0);
    if (out.length > 0) yield out;
  }
  if (carry) {
    const out: FastLine[] = [];
    lineOf(carry, 0, carry.length, out);
    if (out.length > 0) yield out;
  }
}
