/**
 * HTTP hygiene of the Worker: JSON-only battle routes (415), same-origin
 * battles and votes (403 for a foreign Origin, bare preflights), security
 * headers on every kind of answer, and no 5xx for any malformed input.
 */
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../src/wire";
import { MAX_BODY_BYTES } from "../../worker/app";
import { API_CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, REFERRER_POLICY } from "../../worker/http/security-headers";
import { ALPHA, BRAVO, api, postJson, registerModels, startBattle } from "./helpers";

const UNKNOWN_BATTLE = "9f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const OWN_ORIGIN = "http://arena.test";
const FOREIGN_ORIGIN = "https://evil.example";

/** Every POST route that takes a JSON body, with a body it would accept. */
const JSON_ROUTES = [
  { path: "/api/v1/battles", body: { mode: "anonymous", prompt: "Hello" } },
  { path: `/api/v1/battles/${UNKNOWN_BATTLE}/messages`, body: { prompt: "Hello again" } },
  { path: `/api/v1/battles/${UNKNOWN_BATTLE}/vote`, body: { winner: "a" } },
];

/** Every state-changing battle route. */
const STATE_CHANGING = [...JSON_ROUTES, { path: `/api/v1/battles/${UNKNOWN_BATTLE}/stop`, body: {} }];

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  const body = (await response.json()) as ErrorBody;
  expect(body.error.requestId).toBeTruthy();
  return body.error;
}

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe(REFERRER_POLICY);
  expect(response.headers.get("permissions-policy")).toBe(PERMISSIONS_POLICY);
}

describe("a JSON route sent something other than JSON", () => {
  const wrongBodies: [string, () => { headers: Record<string, string>; body: BodyInit }][] = [
    ["text/plain", () => ({ headers: { "content-type": "text/plain" }, body: '{"prompt":"Hello"}' })],
    ["a urlencoded form", () => ({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "prompt=Hello&winner=a" })],
    ["a multipart form", () => {
      // The Request sets multipart/form-data with its boundary itself.
      const form = new FormData();
      form.set("prompt", "Hello");
      return { headers: {}, body: form };
    }],
    ["JSON declared in another charset", () => ({ headers: { "content-type": "application/json; charset=iso-8859-1" }, body: '{"prompt":"Hello"}' })],
    ["a JSON-like type that is not JSON", () => ({ headers: { "content-type": "application/jsonp" }, body: '{"prompt":"Hello"}' })],
  ];

  for (const { path } of JSON_ROUTES) {
    for (const [what, make] of wrongBodies) {
      it(`answers 415 unsupported_media_type to ${what} on POST ${path.replace(UNKNOWN_BATTLE, "{id}")}`, async () => {
        const { headers, body } = make();
        const response = await api(path, { method: "POST", headers, body });

        expect(response.status).toBe(415);
        expect((await errorOf(response)).code).toBe("unsupported_media_type");
      });
    }

    it(`answers 415 to a body with no Content-Type at all on POST ${path.replace(UNKNOWN_BATTLE, "{id}")}`, async () => {
      // A byte array sets no Content-Type, unlike a string body.
      const response = await api(path, { method: "POST", body: new TextEncoder().encode('{"prompt":"Hello"}') });

      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.status).toBe(415);
      expect((await errorOf(response)).code).toBe("unsupported_media_type");
    });
  }

  it("accepts application/json with a UTF-8 charset, in any spelling", async () => {
    for (const type of ["application/json; charset=utf-8", 'application/json;charset="UTF-8"', "Application/JSON"]) {
      const response = await postJson(`/api/v1/battles/${UNKNOWN_BATTLE}/vote`, { winner: "a" }, { "content-type": type });
      expect(response.status, type).toBe(404);
    }
  });

  it("starts a battle sent as application/json; charset=utf-8", async () => {
    await registerModels(ALPHA, BRAVO);
    const response = await postJson("/api/v1/battles", { mode: "anonymous", prompt: "Hello" }, { "content-type": "application/json; charset=utf-8" });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    await response.body?.cancel();
  });
});

describe("no malformed input gives a 5xx", () => {
  const malformed: [string, string, number][] = [
    ["malformed JSON", '{"prompt": "Hel', 400],
    ["an empty body", "", 400],
    ["JSON null", "null", 400],
    ["a JSON array", '[{"prompt":"Hello"}]', 400],
    ["a JSON string", '"Hello"', 400],
    ["deeply nested JSON", "[".repeat(5_000) + "]".repeat(5_000), 400],
    ["a body over the limit", JSON.stringify({ prompt: "x".repeat(MAX_BODY_BYTES) }), 413],
  ];
  for (const { path } of JSON_ROUTES) {
    for (const [what, body, status] of malformed) {
      it(`answers ${status} to ${what} on POST ${path.replace(UNKNOWN_BATTLE, "{id}")}`, async () => {
        const response = await postJson(path, body);

        expect(response.status).toBe(status);
        expect((await errorOf(response)).code).toBe(status === 413 ? "payload_too_large" : "invalid_request");
      });
    }
  }

  it("answers stop with an unexpected body type by the battle's state, not a 5xx", async () => {
    const response = await api(`/api/v1/battles/${UNKNOWN_BATTLE}/stop`, { method: "POST", headers: { "content-type": "text/plain" }, body: "stop!" });
    expect(response.status).toBe(404);
  });
});

describe("battles and votes are same-origin", () => {
  for (const { path, body } of STATE_CHANGING) {
    const route = path.replace(UNKNOWN_BATTLE, "{id}");
    it(`refuse POST ${route} from another origin with 403 forbidden_origin and no CORS allowance`, async () => {
      const response = await postJson(path, body, { origin: FOREIGN_ORIGIN });

      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("forbidden_origin");
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    });

    it(`refuse POST ${route} from an opaque origin (Origin: null)`, async () => {
      const response = await postJson(path, body, { origin: "null" });
      expect(response.status).toBe(403);
    });

    it(`accept POST ${route} from the arena's own origin and without any Origin (scripts)`, async () => {
      const cases: Record<string, string>[] = [{ origin: OWN_ORIGIN }, {}];
      for (const headers of cases) {
        const response = await postJson(path, body, headers);
        // The unknown battle id, or a battle start that has no models here: not an origin refusal.
        expect(response.status).not.toBe(403);
        expect(response.status).toBeLessThan(500);
        await response.body?.cancel();
      }
    });
  }

  it("refuse a cross-site form post before reading it", async () => {
    const response = await api("/api/v1/battles", {
      method: "POST",
      headers: { origin: FOREIGN_ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: "mode=anonymous&prompt=Hello",
    });
    expect(response.status).toBe(403);
  });

  for (const path of ["/api/v1/battles", `/api/v1/battles/${UNKNOWN_BATTLE}/vote`, `/api/v1/battles/${UNKNOWN_BATTLE}`]) {
    it(`answer a preflight of ${path.replace(UNKNOWN_BATTLE, "{id}")} with 204, no CORS allowance and no cookie`, async () => {
      const response = await api(path, {
        method: "OPTIONS",
        headers: { origin: FOREIGN_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });

      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-methods")).toBeNull();
      expect(response.headers.get("set-cookie")).toBeNull();
    });
  }

  it("give a battle view read from another origin no CORS allowance", async () => {
    const response = await api(`/api/v1/battles/${UNKNOWN_BATTLE}`, { headers: { origin: FOREIGN_ORIGIN } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("security headers", () => {
  it("are on a JSON answer, with the API's CSP", async () => {
    const response = await api("/api/v1/config");

    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("are on a battle's event stream", async () => {
    await registerModels(ALPHA, BRAVO);
    const turn = await startBattle({ mode: "anonymous", prompt: "Hello" });
    expectSecurityHeaders(turn.response);
    expect(turn.response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
  });

  it("are on every error answer: 400, 403, 404, 413, 415, an unknown route and a preflight", async () => {
    const answers = [
      await postJson("/api/v1/battles", { mode: "anonymous", prompt: "" }),
      await postJson("/api/v1/battles", { mode: "anonymous", prompt: "Hi" }, { origin: FOREIGN_ORIGIN }),
      await api(`/api/v1/battles/${UNKNOWN_BATTLE}`),
      await postJson("/api/v1/battles", "x".repeat(MAX_BODY_BYTES + 1)),
      await api("/api/v1/battles", { method: "POST", headers: { "content-type": "text/plain" }, body: "Hello" }),
      await api("/api/v1/no-such-thing"),
      await api("/api/v1/battles", { method: "OPTIONS" }),
    ];
    expect(answers.map((r) => r.status)).toEqual([400, 403, 404, 413, 415, 404, 204]);
    for (const response of answers) {
      expectSecurityHeaders(response);
      expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    }
  });

  it("are on the public reads and their CORS preflight, which stay open to other origins", async () => {
    const read = await api("/api/v1/openapi.json", { headers: { origin: FOREIGN_ORIGIN } });
    const preflight = await api("/api/v1/models", {
      method: "OPTIONS",
      headers: { origin: FOREIGN_ORIGIN, "access-control-request-method": "GET" },
    });
    for (const response of [read, preflight]) {
      expectSecurityHeaders(response);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
    }
  });

  it("keep the API reference page's own CSP, which lets it load its assets and forbids framing", async () => {
    const response = await api("/api/docs");

    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe("GET /api/v1/config", () => {
  it("says Turnstile is off when no secret is set, with a short cache lifetime", async () => {
    const response = await api("/api/v1/config");

    expect(await response.json()).toEqual({ turnstileSiteKey: null });
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
  });
});
