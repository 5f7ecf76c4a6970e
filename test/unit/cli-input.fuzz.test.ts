/**
 * Property-based fuzzing of the CLI's input readers (fast-check, fixed
 * seed, bounded runs): files of FastChat battles and vote-log records,
 * mutated field by field and mixed with arbitrary JSON and junk lines. Every
 * file either reads or is refused with an InputError, never a crash; and
 * the byte-level fast path agrees with the general reader on both: the same
 * input built, or the same message.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../bin/input-stream";
import { readRankingInput, type ReadOptions } from "../../bin/read-input";

const dir = mkdtempSync(join(tmpdir(), "edge-arena-fuzz-"));
let files = 0;
/** How the generated files fared, so a generator that only ever makes junk (or only valid files) is caught. */
const seen = { read: 0, refused: 0 };

const model = fc.constantFrom("alpha", "bravo", "charlie", "délta", "e\"cho", "");
/** Mostly a well-formed value, sometimes anything at all. */
const mostly = <T,>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue() });
const fastchat = fc.record(
  {
    model_a: mostly(model),
    model_b: mostly(model),
    winner: mostly(fc.constantFrom("model_a", "model_b", "tie", "tie (bothbad)")),
    anony: mostly(fc.boolean()),
    language: mostly(fc.constantFrom("English", "中文")),
    tstamp: mostly(fc.double()),
  },
  { requiredKeys: ["model_a", "model_b", "winner"] },
);
const voteLog = fc.record(
  {
    modelA: mostly(model),
    modelB: mostly(model),
    winner: mostly(fc.constantFrom("a", "b", "tie", "bothbad")),
    counted: mostly(fc.boolean()),
    categories: mostly(fc.array(fc.constantFrom("overall", "coding", "lang:eng"))),
  },
  { requiredKeys: ["modelA", "modelB", "winner"] },
);
const junk = fc.oneof(fc.constant(""), fc.constant("   "), fc.string(), fc.constant("{"), fc.constant('{"a":1}'), fc.constant("[1,2"), fc.constant("\u0000\uFFFD"));

/** A file's lines: mostly records of one format, with the odd arbitrary value or junk line. */
const jsonlFile = (record: fc.Arbitrary<unknown>) =>
  fc.array(fc.oneof({ weight: 40, arbitrary: record.map((r) => JSON.stringify(r)) }, { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: junk }), { minLength: 1, maxLength: 6 });

async function outcome(path: string, options: ReadOptions): Promise<{ ok: true; input: unknown; used: number } | { ok: false; message: string }> {
  try {
    const read = await readRankingInput(path, options);
    return { ok: true, input: read.input, used: read.used };
  } catch (error) {
    // A refusal must be the reader's own, with a message; anything else is a crash.
    expect(error).toBeInstanceOf(InputError);
    return { ok: false, message: (error as Error).message };
  }
}

async function agreeOn(lines: string[], options: Omit<ReadOptions, "fast">): Promise<void> {
  const path = join(dir, `f${files++}.jsonl`);
  writeFileSync(path, lines.join("\n"));
  const fast = await outcome(path, { ...options, fast: true });
  const general = await outcome(path, { ...options, fast: false });
  expect(fast).toEqual(general);
  seen[fast.ok ? "read" : "refused"]++;
}

const RUNS = { seed: 20261207, numRuns: 150 };

describe("the CLI's readers under fuzzing", () => {
  it("FastChat JSONL: every file reads or is refused cleanly, the same by both parsers", async () => {
    await fc.assert(fc.asyncProperty(jsonlFile(fastchat), fc.boolean(), async (lines, all) => agreeOn(lines, { all, styleControl: false })), RUNS);
  });

  it("vote-log JSONL: every file reads or is refused cleanly, the same by both parsers", async () => {
    await fc.assert(fc.asyncProperty(jsonlFile(voteLog), fc.constantFrom(undefined, "coding"), async (lines, category) => agreeOn(lines, { all: false, styleControl: false, category })), RUNS);
    expect(seen.read).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  });

  it("a JSON array of FastChat battles, or anything that starts like one, reads or is refused cleanly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mostly(fastchat), { maxLength: 8 }), fc.boolean(), async (records, truncate) => {
        const text = JSON.stringify(records);
        const path = join(dir, `a${files++}.json`);
        writeFileSync(path, truncate ? text.slice(0, Math.max(1, text.length - 3)) : text);
        await outcome(path, { all: true, styleControl: false });
      }),
      RUNS,
    );
  });
});
