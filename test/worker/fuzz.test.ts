/**
 * Property-based fuzzing of every JSON endpoint (fast-check, fixed seed,
 * bounded runs): each operation in the OpenAPI document that takes a body
 * gets arbitrary JSON, and objects built from its own field names with
 * arbitrary values — the near-misses a hand-written list never thinks of —
 * without credentials, as the admin and as a lab. No answer is a 5xx, every
 * 4xx has the error shape, and a refused request stores nothing.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers";

interface Operation {
  method: string;
  path: string;
  fields: string[];
}

const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };
const credentials: Record<string, string>[] = [{}, ADMIN];
const BATTLE_ID = "9f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

/** Every table a request could write to, counted before and after a refused one. */
let tables: string[] = [];

async function rowCounts(): Promise<number[]> {
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM "${t}"`)));
  return results.map((r) => (r.results[0] as { n: number }).n);
}

/** The property names a body schema mentions (through refs, unions and nesting one level). */
function fieldsOf(schema: unknown, components: Record<string, unknown>, depth = 0): string[] {
  if (!schema || typeof schema !== "object" || depth > 3) return [];
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === "string") return fieldsOf(components[s.$ref.split("/").pop()!], components, depth + 1);
  const own = s.properties && typeof s.properties === "object" ? Object.keys(s.properties) : [];
  const nested = ["oneOf", "anyOf", "allOf"].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]).flatMap((x) => fieldsOf(x, components, depth + 1)) : []));
  return [...new Set([...own, ...nested])];
}

async function operations(): Promise<Operation[]> {
  const doc = (await (await api("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
    components?: { schemas?: Record<string, unknown> };
  };
  const components = doc.components?.schemas ?? {};
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.requestBody?.content?.["application/json"])
      .map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, BATTLE_ID), fields: fieldsOf(op.requestBody!.content!["application/json"]!.schema, components) })),
  );
}

/** Arbitrary JSON, or an object of the operation's own fields (and a few hostile keys) with arbitrary values. */
const bodyFor = (op: Operation) =>
  fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...op.fields, "__proto__", "constructor", "x"), fc.jsonValue(), { maxKeys: 6 }),
    fc.dictionary(fc.constantFrom(...op.fields, "mode"), fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), { maxKeys: 6 }),
  );

beforeAll(async () => {
  const lab = await api("/api/v1/admin/labs", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ name: "Fuzz Lab" }) });
  credentials.push({ authorization: `Bearer ${((await lab.json()) as { apiKey: string }).apiKey}` });
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'").all<{ name: string }>();
  tables = results.map((r) => r.name);
});

describe("fuzzing every JSON endpoint", () => {
  it("covers the operations that take a JSON body", async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(10);
    expect(ops.map((o) => o.path)).toEqual(expect.arrayContaining(["/api/v1/battles", `/api/v1/battles/${BATTLE_ID}/vote`, "/api/v1/admin/labs"]));
  });

  it("no body gets a 5xx, every refusal has the error shape, and a refused request stores nothing", async () => {
    for (const op of await operations()) {
      await fc.assert(
        fc.asyncProperty(bodyFor(op), fc.constantFrom(...credentials.keys()), async (body, who) => {
          const before = await rowCounts();
          const response = await api(op.path, { method: op.method, headers: { "content-type": "application/json", ...credentials[who] }, body: JSON.stringify(body) });
          const text = await response.text();
          expect(response.status, `${op.method} ${op.path} ${JSON.stringify(body).slice(0, 200)} → ${text.slice(0, 200)}`).toBeLessThan(500);
          if (response.status >= 400) {
            expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) } });
            expect(await rowCounts(), `${op.method} ${op.path} stored something it refused`).toEqual(before);
          }
        }),
        { seed: 20261207, numRuns: 30 },
      );
    }
  });
});
