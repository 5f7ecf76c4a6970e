/**
 * Who may call the admin and lab routes: an authorisation matrix over every
 * route × {admin, lab A, lab B, anonymous, junk key, revoked key}, plus the
 * SSRF guard on webhook URLs and secrets never returned after creation.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { deriveMasterKey, openSecret } from "../../src/labs/credentials";
import { api } from "./helpers";

const ADMIN = "test-admin-token-0123456789abcdef";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
  return api(path, { method, headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) });
}

let labA: { id: string; apiKey: string; keyId: string };
let labB: { id: string; apiKey: string };
let revokedKey = "";
let hookA = "";
let deliveryA = "";
const MODEL_A = "matrix-model";
const newCodename = () => `matrix-${crypto.randomUUID().slice(0, 8)}`;
const preview = (codename: string) => ({ codename, provider: "openai-compatible", endpoint: "https://models.lab-a.example/v1", providerModelId: "m-1", apiKey: "sk-lab-a" });

beforeAll(async () => {
  const a = (await (await call("POST", "/api/v1/admin/labs", bearer(ADMIN), { name: "Lab A" })).json()) as { lab: { id: string }; apiKey: string; keyId: string };
  const b = (await (await call("POST", "/api/v1/admin/labs", bearer(ADMIN), { name: "Lab B" })).json()) as { lab: { id: string }; apiKey: string };
  labA = { id: a.lab.id, apiKey: a.apiKey, keyId: a.keyId };
  labB = { id: b.lab.id, apiKey: b.apiKey };
  const extra = (await (await call("POST", `/api/v1/admin/labs/${labA.id}/keys`, bearer(ADMIN))).json()) as { keyId: string; apiKey: string };
  revokedKey = extra.apiKey;
  expect((await call("DELETE", `/api/v1/admin/labs/${labA.id}/keys/${extra.keyId}`, bearer(ADMIN))).status).toBe(200);
  const hook = await call("POST", "/api/v1/lab/webhooks", bearer(labA.apiKey), { url: "https://hooks.lab-a.example/arena", events: ["model.rank_changed"] });
  expect(hook.status).toBe(201);
  hookA = ((await hook.json()) as { id: string }).id;
  // A delivered delivery of lab A's webhook, written straight to D1 (nothing is queued).
  deliveryA = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare("INSERT INTO webhook_deliveries (id, webhook_id, lab_id, event_type, payload, status, attempts) VALUES (?, ?, ?, 'model.rank_changed', '{}', 'delivered', 1)")
    .bind(deliveryA, hookA, labA.id)
    .run();
  expect((await call("POST", "/api/v1/lab/models", bearer(labA.apiKey), preview(MODEL_A))).status).toBe(201);
});

type Caller = "admin" | "labA" | "labB" | "anonymous" | "junk" | "revoked";
const CALLERS: Caller[] = ["admin", "labA", "labB", "anonymous", "junk", "revoked"];
function headersOf(caller: Caller): Record<string, string> {
  switch (caller) {
    case "admin":
      return bearer(ADMIN);
    case "labA":
      return bearer(labA.apiKey);
    case "labB":
      return bearer(labB.apiKey);
    case "anonymous":
      return {};
    case "junk":
      return bearer("ealab_00000000_" + "A".repeat(43));
    case "revoked":
      return bearer(revokedKey);
  }
}

interface Case {
  name: string;
  request: () => [string, string, unknown?];
  /** Expected status per caller. */
  expect: Record<Caller, number>;
}

const adminOnly = (ok: number): Record<Caller, number> => ({ admin: ok, labA: 401, labB: 401, anonymous: 401, junk: 401, revoked: 401 });
const labAOnly = (ok: number): Record<Caller, number> => ({ admin: 401, labA: ok, labB: 404, anonymous: 401, junk: 401, revoked: 401 });
const anyLab = (ok: number): Record<Caller, number> => ({ admin: 401, labA: ok, labB: ok, anonymous: 401, junk: 401, revoked: 401 });

const CASES: Case[] = [
  { name: "GET /admin/labs", request: () => ["GET", "/api/v1/admin/labs"], expect: adminOnly(200) },
  { name: "POST /admin/labs", request: () => ["POST", "/api/v1/admin/labs", { name: `Lab ${crypto.randomUUID()}` }], expect: adminOnly(201) },
  { name: "POST /admin/labs/{id}/keys", request: () => ["POST", `/api/v1/admin/labs/${labB.id}/keys`], expect: adminOnly(201) },
  { name: "DELETE /admin/labs/{id}/keys/{keyId}", request: () => ["DELETE", `/api/v1/admin/labs/${labB.id}/keys/no-such-key`], expect: adminOnly(404) },
  { name: "GET /lab/webhooks", request: () => ["GET", "/api/v1/lab/webhooks"], expect: anyLab(200) },
  { name: "POST /lab/webhooks", request: () => ["POST", "/api/v1/lab/webhooks", { url: "https://hooks.example/x", events: ["leaderboard.published"] }], expect: anyLab(201) },
  { name: "POST /lab/webhooks/{id}/rotate-secret", request: () => ["POST", `/api/v1/lab/webhooks/${hookA}/rotate-secret`], expect: labAOnly(200) },
  { name: "GET /lab/webhooks/{id}/deliveries", request: () => ["GET", `/api/v1/lab/webhooks/${hookA}/deliveries`], expect: labAOnly(200) },
  // Lab A's replay is 202 the first time, then 409 while it is pending: only other callers are checked here.
  { name: "POST /lab/webhooks/{id}/deliveries/{deliveryId}/replay (another lab's)", request: () => ["POST", `/api/v1/lab/webhooks/${hookA}/deliveries/${deliveryA}/replay`], expect: { ...labAOnly(202), labA: 0 } },
  { name: "GET /lab/models", request: () => ["GET", "/api/v1/lab/models"], expect: anyLab(200) },
  { name: "POST /lab/models", request: () => ["POST", "/api/v1/lab/models", preview(newCodename())], expect: anyLab(201) },
  { name: "GET /lab/models/{id}", request: () => ["GET", `/api/v1/lab/models/${MODEL_A}`], expect: labAOnly(200) },
  { name: "GET /lab/models/{id}/results", request: () => ["GET", `/api/v1/lab/models/${MODEL_A}/results`], expect: labAOnly(200) },
  // Lifecycle actions would change lab A's model: only other callers are checked here (lab A's own are in lab-models.test.ts).
  { name: "POST /lab/models/{id}/release (another lab's)", request: () => ["POST", `/api/v1/lab/models/${MODEL_A}/release`, { name: "Taken Over" }], expect: { ...labAOnly(200), labA: 0 } },
  { name: "POST /lab/models/{id}/withdraw (another lab's)", request: () => ["POST", `/api/v1/lab/models/${MODEL_A}/withdraw`], expect: { ...labAOnly(200), labA: 0 } },
  { name: "POST /lab/models/{id}/retire (another lab's)", request: () => ["POST", `/api/v1/lab/models/${MODEL_A}/retire`, { reason: "not yours" }], expect: { ...labAOnly(200), labA: 0 } },
  { name: "DELETE /lab/webhooks/{id} (another lab's)", request: () => ["DELETE", `/api/v1/lab/webhooks/${hookA}`], expect: { ...labAOnly(200), labA: 0 } },
];

describe("authorisation matrix", () => {
  for (const c of CASES) {
    for (const caller of CALLERS) {
      const status = c.expect[caller];
      if (status === 0) continue;
      it(`${c.name} as ${caller} → ${status}`, async () => {
        const [method, path, body] = c.request();
        const response = await call(method, path, headersOf(caller), body);
        expect(response.status).toBe(status);
        if (status === 401) {
          expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
          expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
        }
      });
    }
  }

  it("a lab sees only its own webhooks", async () => {
    const listed = (await (await call("GET", "/api/v1/lab/webhooks", bearer(labB.apiKey))).json()) as { webhooks: { id: string }[] };
    expect(listed.webhooks.map((w) => w.id)).not.toContain(hookA);
  });

  it("admin and lab routes are not open to other origins", async () => {
    const response = await call("GET", "/api/v1/lab/webhooks", { ...bearer(labA.apiKey), origin: "https://elsewhere.example" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("webhook URLs", () => {
  const refused = [
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/",
    "https://10.0.0.1/hook",
    "https://10.255.255.255/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:7f00:1]/hook",
    // 10.0.0.1 and 169.254.169.254 spelled as numbers (loopback is allowed in tests, as under npm run dev).
    "https://167772161/hook",
    "https://0xa.0.0.1/hook",
    "http://2852039166/latest/meta-data/",
    "https://192.168.1.10/hook",
    "https://100.64.0.1/hook",
    "https://metadata.google.internal/",
    "https://user:pass@hooks.example/",
    "https://hooks.example:8443/",
    "ftp://hooks.example/",
  ];
  for (const url of refused) {
    it(`refuses ${url} with 400 and stores nothing`, async () => {
      const before = (await env.DB.prepare("SELECT count(*) AS n FROM webhooks").first<{ n: number }>())!.n;
      const response = await call("POST", "/api/v1/lab/webhooks", bearer(labA.apiKey), { url, events: ["leaderboard.published"] });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: expect.stringMatching(/outbound_url_refused|invalid_request/) } });
      expect((await env.DB.prepare("SELECT count(*) AS n FROM webhooks").first<{ n: number }>())!.n).toBe(before);
    });
  }
});

describe("secrets", () => {
  it("a webhook secret is shown once, stored sealed, and a rotation keeps the previous one live for the overlap", async () => {
    const created = await call("POST", "/api/v1/lab/webhooks", bearer(labA.apiKey), { url: "https://hooks.lab-a.example/two", events: ["model.retired", "model.retired"] });
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const row = (await env.DB.prepare("SELECT * FROM webhooks WHERE id = ?").bind(id).first<Record<string, string>>())!;
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(JSON.parse(row.events!)).toEqual(["model.retired"]);
    const master = await deriveMasterKey(env.LAB_SECRETS_KEY!);
    expect(await openSecret(master, row.secret_sealed!, id)).toBe(secret);
    // A receiver's library accepts the secret as issued.
    expect(() => new Webhook(secret)).not.toThrow();

    const listed = await (await call("GET", "/api/v1/lab/webhooks", bearer(labA.apiKey))).text();
    expect(listed).not.toContain(secret.slice(6));

    const rotated = (await (await call("POST", `/api/v1/lab/webhooks/${id}/rotate-secret`, bearer(labA.apiKey))).json()) as { secret: string; previousSecretExpiresAt: string };
    expect(rotated.secret).not.toBe(secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const after = (await env.DB.prepare("SELECT secret_sealed, previous_secret_sealed FROM webhooks WHERE id = ?").bind(id).first<Record<string, string>>())!;
    expect(await openSecret(master, after.previous_secret_sealed!, id)).toBe(secret);
    expect(await openSecret(master, after.secret_sealed!, id)).toBe(rotated.secret);
  });

  it("an API key is stored as its hash only, and listed by prefix", async () => {
    const rows = await env.DB.prepare("SELECT * FROM lab_api_keys").all<Record<string, string>>();
    expect(JSON.stringify(rows.results)).not.toContain(labA.apiKey);
    const listed = await (await call("GET", "/api/v1/admin/labs", bearer(ADMIN))).text();
    expect(listed).not.toContain(labA.apiKey);
    expect(listed).toContain(labA.apiKey.slice(0, 14));
  });

  it("a second lab with the same name is refused with 409; a wrong content type with 415", async () => {
    expect((await call("POST", "/api/v1/admin/labs", bearer(ADMIN), { name: "Lab A" })).status).toBe(409);
    const form = await api("/api/v1/admin/labs", { method: "POST", headers: { ...bearer(ADMIN), "content-type": "text/plain" }, body: "name=x" });
    expect(form.status).toBe(415);
  });
});

describe("an arena without lab secrets", () => {
  it("refuses with unavailable (503), not a crash, when a webhook would need sealing", async () => {
    const { createWebhook } = await import("../../worker/labs/service");
    const bare = { ...env, LAB_SECRETS_KEY: "short" } as Env;
    await expect(createWebhook(bare, labA.id, { url: "https://hooks.example/x", events: ["model.retired"] })).rejects.toMatchObject({ code: "unavailable" });
  });
});
