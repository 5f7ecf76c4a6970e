/**
 * Streaming readers for the CLI: records of a JSON array or of JSONL, with the
 * line each record starts on, without holding the file in memory.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** A problem in the input file, reported with exit code 2. */
export class InputError extends Error {
  override name = "InputError";
}

/** One raw record and where it starts. */
export interface RawRecord {
  text: string;
  line: number;
}

/** The first non-whitespace character of a file, or "" when empty. */
export async function firstSignificantChar(path: string): Promise<string> {
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 4096 })) {
    const match = /\S/.exec(chunk as string);
    if (match) return match[0];
  }
  return "";
}

/** Non-blank lines of a JSONL file with their 1-based line numbers. */
export async function* jsonLines(path: string): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() !== "") yield { text, line };
  }
}

/**
 * Top-level objects of a JSON array (`[{…}, {…}]`), found by tracking brace
 * depth outside strings, so a 1 GB FastChat dump is parsed one battle at a
 * time. Every element must be an object.
 */
export async function* jsonArrayObjects(path: string): AsyncGenerator<RawRecord> {
  let state = "start" as "start" | "between" | "object" | "end";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let startLine = 1;
  let pending = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8" })) {
    const text = chunk as string;
    let from = 0;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 10) line++;
      if (state === "object") {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
        } else if (c === 34) inString = true;
        else if (c === 123) depth++;
        else if (c === 125 && --depth === 0) {
          yield { text: pending + text.slice(from, k + 1), line: startLine };
          pending = "";
          state = "between";
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (state === "start") {
        if (c !== 91) throw new InputError(`line ${line}: expected "[" at the start of a JSON array`);
        state = "between";
      } else if (state === "between") {
        if (c === 44) continue;
        if (c === 93) state = "end";
        else if (c === 123) {
          state = "object";
          depth = 1;
          from = k;
          startLine = line;
        } else throw new InputError(`line ${line}: expected a battle object, found "${text[k]}"`);
      } else {
        throw new InputError(`line ${line}: unexpected "${text[k]}" after the end of the array`);
      }
    }
    if (state === "object") pending += text.slice(from);
  }
  if (state !== "end") throw new InputError(`line ${line}: the JSON array is not closed`);
}
