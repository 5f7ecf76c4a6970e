/**
 * How every public read route answers: published JSON, served byte for byte,
 * with a strong ETag, a shared-cache lifetime, conditional requests, and the
 * Workers Cache API in front of KV.
 *
 * Why this shape:
 * - The ranking cron publishes at most every few minutes, so a minute of
 *   freshness (plus ten of stale-while-revalidate for browsers and CDNs) costs
 *   nothing visible and keeps KV reads off the hot path.
 * - The ETag hashes the bytes actually sent. Stored bytes are sent as they
 *   are, so the same publication always gives the same ETag in every
 *   location, and a client's `If-None-Match` keeps matching across isolates.
 * - The cache holds the plain 200 answer under a canonical URL chosen by the
 *   route (not the request URL), so unrelated query strings cannot be used to
 *   miss the cache and reach KV. Conditional handling happens after the
 *   lookup, per request.
 * - The cache key carries the id of the current publication (held in
 *   memory for a few seconds, worker/leaderboard/publication-id.ts). The
 *   Cache API is local to each data centre and a Worker cannot purge its
 *   custom keys elsewhere, so eviction on publish is impossible;
 *   versioning the key makes a new publication visible everywhere within
 *   seconds of KV showing its id, whatever lifetime the older answers have. The key's
 *   origin is fixed, not the request's host.
 * - Cross-origin headers are added by the CORS middleware around this, never
 *   stored: the cached answer is the same for every origin.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ArenaError } from "../../src/errors";
import { errorBodySchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { currentPublication } from "../leaderboard/publication-id";

/** Shared-cache policy of every public read answer. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";

/** Headers a 304 must repeat from the 200 it stands for (RFC 9110 §15.4.5). */
const KEPT_ON_304 = ["cache-control", "etag", "vary"];

/** What a read route serves: where it is cached and how to load it on a miss. */
export interface JsonSource {
  /** Path and canonical query the answer is cached under, e.g. `/api/v1/models`. */
  cacheKey: string;
  /**
   * The JSON text to send. Throws an `ArenaError("not_found", …)` when
   * nothing is published; errors are never cached, so a first publication
   * shows up at once.
   */
  load: () => Promise<string>;
}

/**
 * Answers `source` through the cache: a hit never reaches KV; a miss loads,
 * answers, and stores the answer after the response is sent.
 *
 * @example
 * serveCachedJson(c, {
 *   cacheKey: "/api/v1/models/gpt-4o-mini",
 *   load: () => publishedText(c.env.LEADERBOARD, "model:gpt-4o-mini", "no published model"),
 * });
 */
export async function serveCachedJson(c: Context<AppEnv>, source: JsonSource): Promise<Response> {
  const key = await cacheKeyOf(c, source.cacheKey);
  let held = heldAnswers.get(key.url);
  if (!held) {
    // The DOM lib (in the shared tsconfig for the client) hides Workers' `caches.default`.
    const cache = (caches as unknown as { default: Cache }).default;
    let stored = await cache.match(key);
    if (!stored) {
      stored = await jsonAnswer(await source.load());
      c.executionCtx.waitUntil(cache.put(key, stored.clone()));
    }
    held = { body: new Uint8Array(await stored.arrayBuffer()), headers: [...stored.headers] };
    // Before the first publication, "none" names no fixed set of answers: nothing to hold.
    if (!key.url.startsWith(`${CACHE_KEY_ORIGIN}/none/`)) hold(key.url, held);
  }
  // A fresh Response each time: CORS adds to its headers.
  const headers = new Headers(held.headers);
  if (matchesIfNoneMatch(c.req.header("if-none-match"), headers.get("etag"))) return notModified(headers);
  return new Response(held.body, { headers });
}

/**
 * Answers this isolate has served, by cache key. A key names one
 * publication, whose answers never change, so they are kept without
 * revalidation; a new publication changes every key. Bounded in entries and
 * bytes, oldest out first. Saves the Cache API lookup on every hot read.
 */
const HELD_MAX_ENTRIES = 256;
const HELD_MAX_BYTES = 16 * 1024 * 1024;
const heldAnswers = new Map<string, { body: Uint8Array<ArrayBuffer>; headers: [string, string][] }>();
let heldBytes = 0;

function hold(key: string, answer: { body: Uint8Array<ArrayBuffer>; headers: [string, string][] }): void {
  if (answer.body.length > HELD_MAX_BYTES / 4 || heldAnswers.has(key)) return;
  heldAnswers.set(key, answer);
  heldBytes += answer.body.length;
  for (const [oldest, value] of heldAnswers) {
    if (heldAnswers.size <= HELD_MAX_ENTRIES && heldBytes <= HELD_MAX_BYTES) break;
    heldAnswers.delete(oldest);
    heldBytes -= value.body.length;
  }
}

/**
 * Origin of every cache key: one name (in the reserved `.internal` domain)
 * whatever host name the request came in on, so all of them share one
 * cached answer and none can keep an older one.
 */
export const CACHE_KEY_ORIGIN = "https://public-cache.edge-arena.internal";

/**
 * `{CACHE_KEY_ORIGIN}/{publication}{path}`: a new publication id makes every
 * older cached answer unreachable. Before the first publication the id is
 * `none`; errors are never cached, so nothing lingers under it.
 */
async function cacheKeyOf(c: Context<AppEnv>, path: string): Promise<Request> {
  const publication = await currentPublication(c.env.LEADERBOARD, (work) => c.executionCtx.waitUntil(work));
  return new Request(`${CACHE_KEY_ORIGIN}/${encodeURIComponent(publication)}${path}`);
}

/** The stored text under `key`, or a 404 with `message` when the cron has not written it. */
export async function publishedText(kv: KVNamespace, key: string, message: string): Promise<string> {
  const text = await kv.get(key, "text");
  if (text === null) throw new ArenaError("not_found", message);
  return text;
}

/**
 * The OpenAPI `responses` of a cached read route: the 200 with its caching
 * headers, the 304, and the route's own error answers.
 */
export function cachedJsonResponses(schema: z.ZodType, description: string, errors: Partial<Record<400 | 404, string>>) {
  const headers = {
    ETag: { description: "Strong validator of the body; send it back in `If-None-Match`.", schema: { type: "string" as const } },
    "Cache-Control": { description: PUBLIC_CACHE_CONTROL, schema: { type: "string" as const } },
  };
  const errorAnswers = Object.fromEntries(
    Object.entries(errors).map(([status, text]) => [status, { description: text, content: { "application/json": { schema: errorBodySchema } } }]),
  );
  return {
    200: { description, headers, content: { "application/json": { schema } } },
    304: { description: "Not modified: `If-None-Match` matched the current ETag.", headers },
    ...errorAnswers,
  };
}

/** A 200 JSON answer with the caching headers and a strong ETag of the bytes. */
async function jsonAnswer(text: string): Promise<Response> {
  const bytes: Uint8Array<ArrayBuffer> = new TextEncoder().encode(text);
  return new Response(bytes, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": PUBLIC_CACHE_CONTROL,
      etag: await strongETag(bytes),
    },
  });
}

/** `"<first 128 bits of SHA-256, hex>"`: ample against accidental collisions. */
async function strongETag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

/**
 * `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/"x"`
 * matches `"x"`; the header may list several tags, or be `*`.
 */
function matchesIfNoneMatch(header: string | undefined, etag: string | null): boolean {
  if (!header || !etag) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => tag.replace(/^W\//, "") === opaque);
}

function notModified(headers: Headers): Response {
  const kept = new Headers();
  for (const name of KEPT_ON_304) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  return new Response(null, { status: 304, headers: kept });
}
