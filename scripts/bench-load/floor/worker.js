/**
 * The load benchmark's floor: the least the arena's design does for a
 * battle's first token, and nothing else. Worker → a new SQLite-backed
 * Durable Object per request → one RPC call that writes the battle's
 * minimal record (its table created in the same write), fetches the
 * provider's stream and returns its body, which the Worker answers as
 * text/event-stream. No rate limits, sessions, catalogue or SDK parsing.
 *
 * - GET /trivial: a tiny JSON, the floor Worker's own trivial route.
 * - POST /floor {prompt}: the provider's stream through a new object.
 */
import { DurableObject } from "cloudflare:workers";

export class Floor extends DurableObject {
  /** Records the battle, then streams the provider's answer to `prompt`. */
  async start(id, prompt) {
    const sql = this.ctx.storage.sql;
    // One write: the table and the row are committed together.
    sql.exec("CREATE TABLE IF NOT EXISTS battle (id TEXT PRIMARY KEY, prompt TEXT NOT NULL, created_at INTEGER NOT NULL)");
    sql.exec("INSERT INTO battle (id, prompt, created_at) VALUES (?, ?, ?)", id, prompt, Date.now());
    const response = await fetch(`${this.env.PROVIDER_URL}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "llama3.1:8b", stream: true, messages: [{ role: "user", content: prompt }] }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok || !response.body) throw new Error(`provider answered ${response.status}`);
    return response.body;
  }
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/trivial") return Response.json({ ok: true });
    if (request.method === "POST" && pathname === "/floor") {
      const { prompt } = await request.json();
      if (typeof prompt !== "string") return Response.json({ error: "prompt must be a string" }, { status: 400 });
      const id = env.FLOOR.newUniqueId();
      const body = await env.FLOOR.get(id).start(id.toString(), prompt);
      return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
    }
    return new Response("not found", { status: 404 });
  },
};
