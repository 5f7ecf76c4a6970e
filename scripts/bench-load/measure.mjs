/**
 * The load benchmark's measuring tools: a bounded pool of concurrent
 * requests, time to first token of a battle stream (or of the provider's own
 * stream), percentiles, and the count of votes that reached D1.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const BIN = join(import.meta.dirname, "../../node_modules/.bin");
const REQUEST_TIMEOUT_MS = 30_000;

/** A random client address per request: each stands for a different visitor, as the per-IP limits expect. */
export function randomIp() {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  return `10.${octet()}.${octet()}.${octet()}`;
}

/** Runs `count` calls of `task(i)`, at most `concurrency` at a time; resolves to their results in order. */
export async function pool(count, concurrency, task) {
  const out = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** Milliseconds for a whole GET. */
export async function timedFetch(url) {
  const start = performance.now();
  const response = await fetch(url, { headers: { "cf-connecting-ip": randomIp() }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return performance.now() - start;
}

/**
 * Milliseconds from sending a prompt to the first token: through the arena
 * (a direct chat with the catalogue's local model; the first `delta`
 * event), or with `direct`, from the provider's own stream (its first
 * content chunk). The rest of the stream is read to its end.
 */
export async function firstTokenMs(base, prompt, { direct = false } = {}) {
  const start = performance.now();
  const response = direct
    ? await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "llama3.1:8b", stream: true, messages: [{ role: "user", content: prompt }] }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    : await fetch(`${base}/api/v1/battles`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": randomIp() },
        body: JSON.stringify({ mode: "direct", model: "llama-3.1-8b-local", prompt }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
  if (!response.ok) throw new Error(`first token: ${response.status} ${await response.text()}`);
  const marker = direct ? '"content":' : "event: delta";
  const decoder = new TextDecoder();
  let seen = "";
  let first;
  for await (const chunk of response.body) {
    seen += decoder.decode(chunk, { stream: true });
    if (first === undefined && seen.includes(marker)) first = performance.now() - start;
  }
  if (first === undefined) throw new Error(`no token in the stream: ${seen.slice(0, 300)}`);
  return first;
}

/**
 * Milliseconds from sending a prompt to the floor Worker's POST /floor
 * (scripts/bench-load/floor/) to the provider's first content chunk in its
 * stream. The rest of the stream is read to its end.
 */
export async function floorFirstTokenMs(base, prompt) {
  const start = performance.now();
  const response = await fetch(`${base}/floor`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`floor first token: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let seen = "";
  let first;
  for await (const chunk of response.body) {
    seen += decoder.decode(chunk, { stream: true });
    if (first === undefined && seen.includes('"content":')) first = performance.now() - start;
  }
  if (first === undefined) throw new Error(`no token in the floor's stream: ${seen.slice(0, 300)}`);
  return first;
}

/** The `p`th percentile (nearest rank) of `samples`. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * How many of these battles have their vote in the local D1, read with
 * wrangler from the arena's state directory. Votes reach D1 through each
 * battle's outbox, so this waits (bounded) for the last writes to land.
 */
export async function countVotes(stateDir, battleIds, timeoutMs = 20_000) {
  const list = battleIds.map((id) => `'${id.replace(/[^0-9a-f-]/g, "")}'`).join(",");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = await promisify(execFile)(
      join(BIN, "wrangler"),
      ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--json", "--command", `SELECT count(*) AS n FROM votes WHERE battle_id IN (${list || "''"})`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const n = JSON.parse(stdout)[0].results[0].n;
    if (n >= battleIds.length || Date.now() > deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
