import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, chainRecords, GENESIS } from "../votelog/chain";
import { votesToParquet } from "../votelog/parquet";
import { createRandom } from "./random";

const root = fileURLToPath(new URL("../../", import.meta.url));
const genai = fileURLToPath(new URL("../shared/fixtures/genai-arena-20240220/clean_battle_20240220.json", new URL(root, "file:")));
const arena = fileURLToPath(new URL("../shared/fixtures/chatbot-arena-20240814/chatbotarena_20240814.json", new URL(root, "file:")));
const dir = mkdtempSync(join(tmpdir(), "edge-arena-cli-"));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, "bin/edge-arena.mjs"), ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface CliOutput {
  leaderboard: { model: string; rating: number; lower: number | null; upper: number | null; rank: number; battles: number; component: number; provisional: boolean }[];
  meta: { components: number; totalBattles: number; warnings: string[]; ci: string; rounds?: number; styleControl: boolean; gamma?: object; input: { format: string; records: number; used: number } };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(root, "scripts/build-cli.mjs")]);
});

describe("edge-arena rank", () => {
  it("ranks the GenAI-Arena battles: anonymous only, two components marked on rows and in meta", () => {
    const { code, stdout } = run("rank", genai);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as CliOutput;
    expect(out.meta.input.format).toBe("fastchat-json");
    expect(out.meta.totalBattles).toBe(1515);
    expect(out.meta.components).toBe(2);
    expect(out.meta.warnings[0]).toMatch(/2 connected components/);
    expect(new Set(out.leaderboard.map((r) => r.component))).toEqual(new Set([0, 1]));
    expect(Object.keys(out.leaderboard[0]!)).toEqual(
      expect.arrayContaining(["model", "rating", "lower", "upper", "rank", "battles", "component", "provisional"]),
    );
  });

  it("--all includes the non-anonymous battles, skipping the one battle of a model against itself", () => {
    const out = JSON.parse(run("rank", genai, "--all").stdout) as CliOutput;
    expect(out.meta.input).toMatchObject({ records: 2061, used: 2060 });
    expect(out.meta.totalBattles).toBe(2060);
  });

  it("reads aggregated pair counts and bootstraps deterministically for a seed", () => {
    const one = run("rank", arena, "--ci", "bootstrap", "--rounds", "20", "--seed", "7");
    const two = run("rank", arena, "--ci", "bootstrap", "--rounds", "20", "--seed", "7");
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    const out = JSON.parse(one.stdout) as CliOutput;
    expect(out.meta).toMatchObject({ ci: "bootstrap", rounds: 20, totalBattles: 1_670_250 });
    expect(out.leaderboard[0]!.model).toBe("chatgpt-4o-latest");
  });

  it("reads the vote export as JSONL, with style control", () => {
    const lines: string[] = [];
    const models = ["alpha", "beta", "gamma"];
    for (let k = 0; k < 300; k++) {
      const a = models[k % 3]!;
      const b = models[(k + 1 + (k % 2)) % 3]!;
      const long = { tokens: 400 + k, headers: 2, listItems: 5, bold: 1 };
      const short = { tokens: 80, headers: 0, listItems: 0, bold: 0 };
      lines.push(
        JSON.stringify({
          battleId: `b${k}`,
          modelA: a,
          modelB: b,
          winner: k % 4 === 0 ? "tie" : k % 3 === 0 ? "b" : "a",
          counted: k % 10 !== 0,
          categories: k % 5 === 0 ? ["overall", "coding"] : ["overall"],
          styleA: k % 2 ? long : short,
          styleB: k % 2 ? short : long,
          createdAt: new Date(1_700_000_000_000 + k * 1000).toISOString(),
        }),
      );
    }
    const { code, stdout } = run("rank", file("votes.jsonl", `${lines.join("\n")}\n`), "--style-control");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as CliOutput;
    expect(out.meta.input.format).toBe("edge-arena-jsonl");
    expect(out.meta.totalBattles).toBe(270);
    expect(out.meta.styleControl).toBe(true);
    expect(out.meta.gamma).toBeDefined();
    // Votes 0, 5, 10, … are tagged "coding"; those with k % 10 === 0 are not counted.
    const coding = JSON.parse(run("rank", join(dir, "votes.jsonl"), "--category", "coding").stdout) as CliOutput;
    expect(coding.meta.totalBattles).toBe(30);
  });

  it("names the line and field of a bad record and exits with code 2", () => {
    const good = JSON.stringify({ model_a: "x", model_b: "y", winner: "model_a" });
    const bad = JSON.stringify({ model_a: "x", model_b: "y", winner: "model_c" });
    const { code, stderr, stdout } = run("rank", file("bad.jsonl", `${good}\n${good}\n${bad}\n`));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/bad\.jsonl:3: field "winner" must be one of/);
  });

  it("names the line of a malformed element in a JSON array", () => {
    const text = `[\n  {"model_a": "x", "model_b": "y", "winner": "tie"},\n  {"model_a": "x", "winner": "tie"}\n]\n`;
    const { code, stderr } = run("rank", file("bad.json", text));
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json:3: field "model_b" must be a non-empty string/);
  });

  it("names the field of a bad pair-count document", () => {
    const text = JSON.stringify({ models: ["a", "b"], X: [[0, 1]], Y: [[3, "x", 0, 0]] });
    const { code, stderr } = run("rank", file("pairs.json", text));
    expect(code).toBe(2);
    expect(stderr).toMatch(/field "Y\[0\]" must be \[wins_i, wins_j, ties, bothbad\] counts/);
  });

  it("reports a file that is neither JSONL nor one JSON document at line 1", () => {
    const { code, stderr } = run("rank", file("garbage.jsonl", "{not json\n"));
    expect(code).toBe(2);
    expect(stderr).toMatch(/garbage\.jsonl:1: not a JSON object per line/);
  });

  it("refuses unknown options and bad values with code 2", () => {
    expect(run("rank", genai, "--ci", "jackknife").code).toBe(2);
    expect(run("rank", genai, "--rounds", "0").stderr).toMatch(/--rounds must be a positive integer/);
    expect(run("rank", genai, "--bogus").code).toBe(2);
    expect(run("rank").code).toBe(2);
    expect(run("rank", join(dir, "missing.json")).code).not.toBe(0);
  });
});

describe("edge-arena rank on the open vote log", () => {
  it("ranks a Parquet export exactly as the same records in JSONL, style control on and off", async () => {
    const rng = createRandom("cli-parquet");
    const pick = (n: number) => Math.floor(rng.next() * n);
    const models = ["m-a", "m-b", "m-c", "m-d", "m-é"];
    const style = () => ({ tokens: pick(3000), headers: pick(5), listItems: pick(20), bold: pick(9) });
    const records = await chainRecords(
      GENESIS,
      Array.from({ length: 600 }, (_, k) => {
        const a = pick(models.length);
        const b = (a + 1 + pick(models.length - 1)) % models.length;
        const counted = k % 17 !== 0;
        return {
          seq: k + 1,
          battleId: `b${k}`,
          mode: "anonymous" as const,
          modelA: models[a]!,
          modelB: models[b]!,
          winner: (["a", "b", "tie", "bothbad"] as const)[pick(4)]!,
          categories: k % 3 ? ["overall"] : ["coding", "overall"],
          turns: 1,
          styleA: style(),
          styleB: style(),
          votedAt: 1_760_000_000_000 + k,
          counted,
          reason: counted ? null : ("identity_revealed" as const),
        };
      }),
    );
    const jsonl = file("log.jsonl", records.map((r) => canonicalJson(r)).join("\n") + "\n");
    const parquet = join(dir, "log.parquet");
    writeFileSync(parquet, votesToParquet(records));
    for (const flags of [[], ["--style-control"], ["--category", "coding"]]) {
      const fromJsonl = run("rank", jsonl, ...flags);
      const fromParquet = run("rank", parquet, ...flags);
      expect(fromParquet.code, fromParquet.stderr).toBe(0);
      const a = JSON.parse(fromJsonl.stdout) as CliOutput;
      const b = JSON.parse(fromParquet.stdout) as CliOutput;
      expect(b.meta.input).toEqual({ ...a.meta.input, format: "edge-arena-parquet" });
      expect(b.leaderboard).toEqual(a.leaderboard);
    }
    const broken = file("broken.parquet", "PAR1 this is not a Parquet file at all");
    const bad = run("rank", broken);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a readable vote-log Parquet file/);
  });
});
