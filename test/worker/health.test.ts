/**
 * `GET /api/v1/health` tells an operator whether the vote path owes
 * anything: `ok` with no open dead letters, `degraded` otherwise, never
 * cached, and never a 5xx even when D1 cannot be read.
 */
import { Validator, type Schema } from "@cfworker/json-schema";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Health } from "../../worker/routes/health";
import { api } from "./helpers";

async function health(): Promise<{ response: Response; body: Health }> {
  const response = await api("/api/v1/health");
  return { response, body: (await response.json()) as Health };
}

async function openDeadLetter(outboxId: number): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO dead_letters (battle_id, kind, write, attempts, last_error, outbox_id) VALUES ('b-1', 'vote', '{}', 12, 'D1_ERROR', ?)",
  )
    .bind(outboxId)
    .run();
}

afterEach(async () => {
  await env.DB.exec("DELETE FROM dead_letters");
});

describe("GET /api/v1/health", () => {
  it("answers ok with no open dead letters, and is never cached", async () => {
    const before = Date.now();
    const { response, body } = await health();

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ status: "ok", deadLetters: { open: 0 }, time: expect.any(String) });
    expect(Date.parse(body.time)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("is degraded while dead letters are open, and ok again once they are resolved", async () => {
    await openDeadLetter(1);
    await openDeadLetter(2);
    expect((await health()).body).toMatchObject({ status: "degraded", deadLetters: { open: 2 } });

    await env.DB.exec("UPDATE dead_letters SET resolved_at = 1 WHERE outbox_id = 1");
    expect((await health()).body).toMatchObject({ status: "degraded", deadLetters: { open: 1 } });

    await env.DB.exec("UPDATE dead_letters SET resolved_at = 2");
    expect((await health()).body).toMatchObject({ status: "ok", deadLetters: { open: 0 } });
  });

  it("says degraded with an unknown count, not a 5xx, when D1 cannot be read", async () => {
    await env.DB.exec("ALTER TABLE dead_letters RENAME TO dead_letters_offline");
    try {
      const { response, body } = await health();
      expect(response.status).toBe(200);
      expect(body).toMatchObject({ status: "degraded", deadLetters: { open: null } });
    } finally {
      await env.DB.exec("ALTER TABLE dead_letters_offline RENAME TO dead_letters");
    }
  });

  it("is in the OpenAPI document, and its answers match the schema there", async () => {
    const doc = (await (await api("/api/v1/openapi.json")).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: Schema }> }> } }>;
      components: { schemas: Record<string, Schema> };
    };
    const schema = doc.paths["/api/v1/health"]?.get?.responses["200"]?.content["application/json"]?.schema;
    expect(schema).toBeDefined();
    const validator = new Validator({ ...schema!, components: doc.components } as Schema, "2020-12", false);

    expect(validator.validate((await health()).body).errors).toEqual([]);
    await openDeadLetter(3);
    expect(validator.validate((await health()).body).valid).toBe(true);
    expect(validator.validate({ status: "fine", deadLetters: { open: 0 }, time: new Date().toISOString() }).valid).toBe(false);
  });
});
