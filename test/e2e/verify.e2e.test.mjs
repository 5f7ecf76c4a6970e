/**
 * `edge-arena verify` against a running arena, as a sceptic would use it:
 * votes cast through the API, the cron publishes, the CLI checks the arena's
 * newest dataset over HTTP and again from a downloaded folder; then the
 * folder is tampered with (a record edited, removed, inserted, two swapped,
 * a board rewritten) and each time the CLI exits 1 naming the first bad seq.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { castVotes, publishLeaderboards } from "./api.mjs";
import { startArena } from "./server.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const VOTES = 12;
let arena;
let folder;

function cli(...args) {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/edge-arena.mjs"), ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function download(path) {
  const response = await fetch(new URL(path, arena.baseUrl));
  assert.equal(response.status, 200, path);
  return response.text();
}

before(async () => {
  execFileSync(process.execPath, [join(ROOT, "scripts/build-cli.mjs")]);
  arena = await startArena({ build: process.env.E2E_SKIP_BUILD !== "1" });
  await castVotes(arena.baseUrl, VOTES);
  await publishLeaderboards(arena.baseUrl);
  folder = mkdtempSync(join(tmpdir(), "edge-arena-dataset-"));
}, { timeout: 240_000 });

after(async () => {
  await arena?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
}, { timeout: 30_000 });

/** A copy of the downloaded folder with the log file's lines changed by `edit`. */
function tampered(name, edit) {
  const copy = mkdtempSync(join(tmpdir(), `edge-arena-${name}-`));
  cpSync(folder, copy, { recursive: true });
  const card = JSON.parse(readFileSync(join(copy, "card.json"), "utf8"));
  const log = join(copy, card.files[0].name);
  const lines = readFileSync(log, "utf8").trimEnd().split("\n");
  writeFileSync(log, `${edit(lines).join("\n")}\n`);
  return copy;
}

describe("edge-arena verify", () => {
  test("verifies the arena's newest dataset over HTTP and reproduces every board", () => {
    const { code, stdout, stderr } = cli("verify", arena.baseUrl);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, new RegExp(`chain: ${VOTES} records from the genesis to seq ${VOTES}`));
    assert.match(stdout, /boards: \d+ recomputed from the records, identical to the publication/);
  });

  test("verifies a downloaded folder, and the log's files rank with the same CLI", async () => {
    const { datasets } = JSON.parse(await download("/api/v1/datasets"));
    const cardText = await download(datasets[0].card);
    const card = JSON.parse(cardText);
    writeFileSync(join(folder, "card.json"), cardText);
    writeFileSync(join(folder, "publication.json"), await download(card.publication.url));
    for (const file of card.files) writeFileSync(join(folder, file.name), await download(file.url));
    const { code, stdout } = cli("verify", folder);
    assert.equal(code, 0, stdout);
    const ranked = cli("rank", join(folder, card.files[0].name));
    assert.equal(ranked.code, 0, ranked.stderr);
    const board = JSON.parse(readFileSync(join(folder, "publication.json"), "utf8")).boards.find((b) => b.category === "overall" && b.style === "default");
    assert.deepEqual(
      JSON.parse(ranked.stdout).leaderboard.map((r) => [r.model, r.rating]),
      board.rows.map((r) => [r.modelId, r.rating]),
    );
  });

  test("verifies the Parquet copies, over HTTP and as the only log files of a folder", async () => {
    const http = cli("verify", arena.baseUrl, "--parquet");
    assert.equal(http.code, 0, http.stdout + http.stderr);
    assert.match(http.stdout, new RegExp(`chain: ${VOTES} records`));
    const copy = mkdtempSync(join(tmpdir(), "edge-arena-parquet-"));
    const card = JSON.parse(readFileSync(join(folder, "card.json"), "utf8"));
    cpSync(join(folder, "card.json"), join(copy, "card.json"));
    cpSync(join(folder, "publication.json"), join(copy, "publication.json"));
    for (const file of card.files) writeFileSync(join(copy, file.parquet.name), Buffer.from(await (await fetch(new URL(file.parquet.url, arena.baseUrl))).arrayBuffer()));
    const { code, stdout } = cli("verify", copy);
    rmSync(copy, { recursive: true, force: true });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /identical to the publication/);
  });

  const cases = [
    ["an edited record", (lines) => lines.map((l, k) => (k === 4 ? l.replace(/"winner":"[a-z]+"/, (w) => (w.includes('"a"') ? '"winner":"b"' : '"winner":"a"')) : l)), /FAILED .*seq 5 \(votes-tail-\d+-\d+\.jsonl:5\): its hash does not follow from seq 4/],
    ["a removed record", (lines) => lines.filter((_, k) => k !== 3), /seq 5 .*does not follow from seq 3/],
    ["an inserted record", (lines) => [...lines.slice(0, 6), lines[5].replace(/"battleId":"[^"]+"/, '"battleId":"forged"'), ...lines.slice(6)], /seq 6 .*out of order, after seq 6/],
    ["two swapped records", (lines) => [...lines.slice(0, 7), lines[8], lines[7], ...lines.slice(9)], /seq 9 .*does not follow from seq 7/],
    ["a truncated log", (lines) => lines.slice(0, -2), new RegExp(`records missing after seq ${VOTES - 2}`)],
    ["a line that is not JSON", (lines) => lines.map((l, k) => (k === 2 ? l.slice(0, 20) : l)), /a record \(votes-tail-\d+-\d+\.jsonl:3\): not a JSON object/],
  ];
  for (const [what, edit, message] of cases) {
    test(`exits 1 and names the first bad record for ${what}`, () => {
      const copy = tampered(what.replaceAll(" ", "-"), edit);
      const { code, stdout } = cli("verify", copy);
      rmSync(copy, { recursive: true, force: true });
      assert.equal(code, 1, stdout);
      assert.match(stdout, message);
    });
  }

  test("exits 1 naming the board, model and field of a rewritten rating", () => {
    const copy = mkdtempSync(join(tmpdir(), "edge-arena-board-"));
    cpSync(folder, copy, { recursive: true });
    const path = join(copy, "publication.json");
    const publication = JSON.parse(readFileSync(path, "utf8"));
    const row = publication.boards[0].rows[1];
    row.rating = Number((row.rating + 0.01).toFixed(6));
    writeFileSync(path, JSON.stringify(publication));
    const { code, stdout } = cli("verify", copy);
    rmSync(copy, { recursive: true, force: true });
    assert.equal(code, 1, stdout);
    assert.match(stdout, new RegExp(`board ${publication.boards[0].category}:${publication.boards[0].style}, model ${row.modelId}: rating is`));
  });

  test("exits 2 on a source it cannot read", () => {
    assert.equal(cli("verify", join(folder, "no-such-folder")).code, 2);
    assert.equal(cli("verify", "http://127.0.0.1:9/").code, 2);
  });
});
