import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scrubConversation, scrubText, type ScrubKind } from "./scrub";

interface Example {
  text: string;
  spans: { kind: ScrubKind; value: string }[];
}

function load(name: string): Example[] {
  return readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Example);
}

/** The examples the rules were developed on. */
const examples = load("scrub-examples.jsonl");
/** Examples written separately, never used to tune the rules: the honest numbers. */
const heldOut = load("scrub-heldout.jsonl");

const KINDS: ScrubKind[] = ["email", "phone", "secret", "ip"];

/** Per kind: labelled spans covered by a finding of that kind, and findings that cover no labelled span of it. */
function measure(set: Example[]) {
  const tally = Object.fromEntries(KINDS.map((k) => [k, { tp: 0, fn: 0, fp: 0, missed: [] as string[], spurious: [] as string[] }]));
  for (const ex of set) {
    const { found } = scrubText(ex.text);
    const labelled = ex.spans.map((s) => {
      const start = ex.text.indexOf(s.value);
      return { ...s, start, end: start + s.value.length };
    });
    for (const l of labelled) {
      const hit = found.some((f) => f.kind === l.kind && f.start <= l.start && f.end >= l.end);
      if (hit) tally[l.kind]!.tp++;
      else (tally[l.kind]!.fn++, tally[l.kind]!.missed.push(l.value));
    }
    for (const f of found) {
      const matches = labelled.some((l) => l.kind === f.kind && f.start < l.end && l.start < f.end);
      if (!matches) (tally[f.kind]!.fp++, tally[f.kind]!.spurious.push(ex.text.slice(f.start, f.end)));
    }
  }
  return tally;
}

function report(name: string, tally: ReturnType<typeof measure>): void {
  const table = [`| ${name}: kind | labelled | found | missed | false alarms | precision | recall |`, "| --- | --- | --- | --- | --- | --- | --- |"];
  for (const k of KINDS) {
    const t = tally[k]!;
    const p = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
    const r = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
    table.push(`| ${k} | ${t.tp + t.fn} | ${t.tp} | ${t.fn} | ${t.fp} | ${p.toFixed(3)} | ${r.toFixed(3)} |`);
  }
  if (process.env.SCRUB_REPORT) console.log(table.join("\n"), "\n", JSON.stringify(Object.fromEntries(KINDS.map((k) => [k, { missed: tally[k]!.missed, spurious: tally[k]!.spurious }])), null, 1));
}

describe("scrubText over the held-out examples", () => {
  const tally = measure(heldOut);
  report("held-out", tally);
  it("finds most of each kind and leaks no labelled value into the output it is allowed to miss", () => {
    for (const k of KINDS) {
      const t = tally[k]!;
      expect(t.tp / (t.tp + t.fn), `${k} recall; missed ${t.missed.join(" | ")}`).toBeGreaterThanOrEqual(0.8);
      expect(t.tp / (t.tp + t.fp), `${k} precision; false alarms ${t.spurious.join(" | ")}`).toBeGreaterThanOrEqual(0.8);
    }
  });
});

describe("scrubText over the labelled examples", () => {
  const tally = measure(examples);
  report("development", tally);

  it("has at least 200 examples, 60 of them with no personal data, covering every kind", () => {
    expect(examples.length).toBeGreaterThanOrEqual(200);
    expect(examples.filter((e) => e.spans.length === 0).length).toBeGreaterThanOrEqual(60);
    for (const k of KINDS) expect(examples.some((e) => e.spans.some((s) => s.kind === k))).toBe(true);
  });

  for (const k of KINDS) {
    const minRecall = k === "phone" ? 0.9 : 0.95;
    it(`finds ${k} with recall ≥ ${minRecall} and precision ≥ 0.95`, () => {
      const t = tally[k]!;
      expect({ kind: k, recall: t.tp / (t.tp + t.fn), missed: t.missed }).toEqual(expect.objectContaining({ recall: expect.toSatisfy((r: number) => r >= minRecall) }));
      expect({ kind: k, precision: t.tp / (t.tp + t.fp), spurious: t.spurious }).toEqual(expect.objectContaining({ precision: expect.toSatisfy((p: number) => p >= 0.95) }));
    });
  }

  it("leaves no labelled value in the scrubbed text", () => {
    const leaks = examples.flatMap((ex) => {
      const out = scrubText(ex.text).text;
      return ex.spans.filter((s) => out.includes(s.value)).map((s) => s.value);
    });
    expect(leaks).toEqual([]);
  });
});

describe("scrubText behaviour", () => {
  it("replaces each finding with a placeholder of its kind and reports offsets into the input", () => {
    const input = "mail ana@example.org or call +44 20 7946 0958";
    const { text, found } = scrubText(input);
    expect(text).toBe("mail [email] or call [phone]");
    expect(found.map((f) => [f.kind, input.slice(f.start, f.end)])).toEqual([
      ["email", "ana@example.org"],
      ["phone", "+44 20 7946 0958"],
    ]);
  });

  it("keeps the header and scrubs only the bearer token", () => {
    expect(scrubText("Authorization: Bearer 9f8Kd2LmQ9xR4vT7nB1cW6yZ").text).toBe("Authorization: Bearer [secret]");
    // Not random-looking enough for the generic rule: only the header makes it a secret.
    expect(scrubText("Authorization: Bearer abcdefabcdefabcdefabcdef").text).toBe("Authorization: Bearer [secret]");
  });

  it("scrubs a whole PEM private key block", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    expect(scrubText(`key:\n${pem}\nend`).text).toBe("key:\n[secret]\nend");
  });

  it("treats a dotted quad as an IP but not a three-part version or a v-prefixed one", () => {
    expect(scrubText("host 203.0.113.5").text).toBe("host [ip]");
    expect(scrubText("bump to 1.2.3").found).toEqual([]);
    expect(scrubText("tag v1.2.3.4").found).toEqual([]);
    expect(scrubText("bad 300.1.2.3").found).toEqual([]);
  });

  it("does not take a UUID or a git hash for a secret", () => {
    expect(scrubText("id 550e8400-e29b-41d4-a716-446655440000 at commit 3f2a9c1b7e4d").found).toEqual([]);
  });

  it("does not take placeholders or variables in assignments for secrets", () => {
    expect(scrubText("password = os.environ['PW']\ntoken: string\napi_key=${KEY}").found).toEqual([]);
  });

  it("does not take dates, prices or plain integers in code for phone numbers", () => {
    expect(scrubText("on 2024-03-15 it cost $1 299 and n = 4155550132;").found).toEqual([]);
  });

  it("returns the text unchanged when there is nothing to scrub", () => {
    expect(scrubText("plain text")).toEqual({ text: "plain text", found: [] });
  });
});

describe("scrubConversation", () => {
  it("scrubs every message's content and keeps the roles", () => {
    const { messages, found } = scrubConversation([
      { role: "user", content: "I am bo@example.net" },
      { role: "assistant", content: "Noted." },
    ]);
    expect(messages).toEqual([
      { role: "user", content: "I am [email]" },
      { role: "assistant", content: "Noted." },
    ]);
    expect(found.map((f) => f.length)).toEqual([1, 0]);
  });
});
