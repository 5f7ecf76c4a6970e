/**
 * The CLI's byte-level fast path (bin/fast-records.ts) against the general
 * reader (JSON.parse per line): the same aggregates from every fixture and
 * from lines written to trip it up, and the same errors, at the same line
 * numbers, for malformed input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readRankingInput, type ReadOptions } from "../../bin/read-input";
import { fastJsonLines } from "../../bin/fast-records";

const dir = mkdtempSync(join(tmpdir(), "edge-arena-fast-"));
const genai = fileURLToPath(new URL("../../../shared/fixtures/genai-arena-20240220/clean_battle_20240220.json", import.meta.url));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function both(path: string, options: Partial<ReadOptions> = {}) {
  const base = { all: false, styleControl: false, ...options };
  const fast = await readRankingInput(path, { ...base, fast: true });
  const general = await readRankingInput(path, { ...base, fast: false });
  return { fast, general };
}

const STYLE = '{"tokens":12,"headers":0,"listItems":3,"bold":1}';

describe("the fast JSONL path", () => {
  it("reads the GenAI-Arena fixture, as JSONL, to the same aggregates as JSON.parse", async () => {
    const battles = JSON.parse(readFileSync(genai, "utf8")) as unknown[];
    const path = file("genai.jsonl", battles.map((b) => JSON.stringify(b)).join("\n") + "\n");
    for (const all of [false, true]) {
      const { fast, general } = await both(path, { all });
      expect(fast).toEqual(general);
      expect(fast.records).toBe(battles.length);
    }
  });

  it("agrees on lines written to trip it up: escapes, non-ASCII, CRLF, blank lines, key order, extra fields, numbers", async () => {
    const lines = [
      '{"model_a":"m\\u00e9-1","model_b":"b","winner":"model_a"}',
      '{"model_b":"b","model_a":"mé-1","winner":"tie","anony":true}',
      '  {"model_a" : "a\\"quoted" , "model_b":"b","winner":"model_b","extra":{"x":[1,2.5e3,-0,null,false]}}  ',
      "",
      '{"model_a":"日本","model_b":"b","winner":"tie (bothbad)","tstamp":1712345678.123}\r',
      '{"model_a":"a","model_b":"b","winner":"model_a","anony":false}',
      '{"model_a":"a","model_b":"b","winner":"model_a","winner":"model_b"}',
      '{"model_a":"__proto__","model_b":"b","winner":"model_a","__proto__":{"x":1}}',
    ];
    const path = file("tricky.jsonl", lines.join("\n"));
    for (const all of [false, true]) {
      const { fast, general } = await both(path, { all });
      expect(fast).toEqual(general);
    }
    const exportPath = file(
      "export.jsonl",
      [
        `{"battleId":"x1","modelA":"a","modelB":"b","winner":"a","counted":true,"categories":["coding","overall"],"styleA":${STYLE},"styleB":${STYLE}}`,
        `{"styleB":{"tokens":1e2,"headers":0,"listItems":0,"bold":0},"styleA":${STYLE},"counted":true,"winner":"tie","modelB":"b","modelA":"c","battleId":"x2","categories":["overall"]}`,
        `{"battleId":"x3","modelA":"a","modelB":"c","winner":"b","counted":false,"categories":[],"styleA":${STYLE},"styleB":${STYLE},"hash":"00"}`,
      ].join("\n"),
    );
    for (const styleControl of [false, true]) {
      const { fast, general } = await both(exportPath, { styleControl });
      expect(fast).toEqual(general);
      expect(fast.used).toBe(2);
    }
  });

  it("gives up only on what it does not understand, and parses the rest itself", async () => {
    const path = file("mix.jsonl", ['{"a":"plain"}', '{"a":"esc\\n"}', '{"a":1.5}', '{"a":01}', "[1]"].join("\n"));
    const out = [];
    for await (const batch of fastJsonLines(path)) out.push(...batch);
    expect(out.map((l) => [l.line, l.value === undefined])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, true],
      [5, false],
    ]);
  });

  it("reports malformed input with the same message and line number as the general reader", async () => {
    const good = '{"model_a":"a","model_b":"b","winner":"model_a"}';
    const cases = [
      [good, good, '{"model_a":"a","model_b":"b","winner":"model_', good],
      [good, '{"model_a":"a","model_b":"b","winner":"nobody"}'],
      [good, good, good, '{"model_b":"b","winner":"model_a"}'],
      [good, "[1,2]"],
      [good, '{"model_a":"a","model_b":"b","winner":"model_a","anony":"yes"}'],
    ];
    for (const [k, lines] of cases.entries()) {
      const path = file(`bad-${k}.jsonl`, lines.join("\n") + "\n");
      const fast = await readRankingInput(path, { all: false, styleControl: false, fast: true }).catch((e: Error) => e.message);
      const general = await readRankingInput(path, { all: false, styleControl: false, fast: false }).catch((e: Error) => e.message);
      expect(typeof fast).toBe("string");
      expect(fast).toBe(general);
      const bad = k === 0 ? 3 : lines.length;
      expect(fast).toContain(`${path}:${bad}:`);
    }
  });
});
