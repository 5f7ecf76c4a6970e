/**
 * Optional Turnstile on battle start. The Worker is run with the Turnstile
 * settings in its env (the same `fetch` the entry exports, given another
 * env), against the fake Siteverify in test/fake-providers/server.ts, which
 * answers as Cloudflare documents for its test secret keys.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { ErrorBody } from "../../src/wire";
import { createApp } from "../../worker/app";
import { ALPHA, BRAVO, api, parseEvents, postJson, registerModels } from "./helpers";

// Cloudflare's published test secrets (developers.cloudflare.com/turnstile/troubleshooting/testing/).
const ALWAYS_PASSES = "1x0000000000000000000000000000000AA";
const ALWAYS_FAILS = "2x0000000000000000000000000000000AA";
const ALREADY_SPENT = "3x0000000000000000000000000000000AA";
const TEST_SITE_KEY = "1x00000000000000000000AA";
// What the widget hands out with a test site key.
const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

const app = createApp();
let clientIp = 0;

/** The arena with Turnstile settings in its env, as `wrangler secret put` would give it. */
function arenaWith(vars: Record<string, string>) {
  return (body: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    // A client address per request, so the per-client turn limit never interferes.
    clientIp += 1;
    const request = new Request("http://arena.test/api/v1/battles", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `198.51.100.${clientIp % 250}`, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return Promise.resolve(app.fetch(request, { ...env, ...vars }, createExecutionContext()));
  };
}

const siteverify = `${env.FAKE_PROVIDER_URL}/turnstile/v0/siteverify`;
const withSecret = (secret: string, verifyUrl = siteverify) =>
  arenaWith({ TURNSTILE_SECRET_KEY: secret, TURNSTILE_SITE_KEY: TEST_SITE_KEY, TURNSTILE_VERIFY_URL: verifyUrl });
const BATTLE = { mode: "anonymous", prompt: "Say hello." };

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as ErrorBody).error.code;
}

async function expectBattleStarted(response: Response): Promise<void> {
  const raw = await response.text();
  expect(response.status, raw).toBe(200);
  expect(parseEvents(raw)[0]?.type).toBe("battle");
}

beforeEach(async () => {
  await registerModels(ALPHA, BRAVO);
});

describe("Turnstile off (no secret set)", () => {
  it("a battle starts without any token and the client is told no widget is needed", async () => {
    await expectBattleStarted(await postJson("/api/v1/battles", BATTLE));
    expect(await (await api("/api/v1/config")).json()).toEqual({ turnstileSiteKey: null });
  });
});

describe("Turnstile on", () => {
  it("tells the client its site key", async () => {
    const request = new Request("http://arena.test/api/v1/config");
    const response = await app.fetch(request, { ...env, TURNSTILE_SECRET_KEY: ALWAYS_PASSES, TURNSTILE_SITE_KEY: TEST_SITE_KEY }, createExecutionContext());
    expect(await response.json()).toEqual({ turnstileSiteKey: TEST_SITE_KEY });
  });

  it("starts a battle whose token passes, sent in the body", async () => {
    await expectBattleStarted(await withSecret(ALWAYS_PASSES)({ ...BATTLE, turnstileToken: DUMMY_TOKEN }));
  });

  it("starts a battle whose token passes, sent in the cf-turnstile-response header", async () => {
    await expectBattleStarted(await withSecret(ALWAYS_PASSES)(BATTLE, { "cf-turnstile-response": DUMMY_TOKEN }));
  });

  it("refuses a token Siteverify rejects with 403 turnstile_failed", async () => {
    const response = await withSecret(ALWAYS_FAILS)({ ...BATTLE, turnstileToken: DUMMY_TOKEN });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("turnstile_failed");
  });

  it("refuses a token that was already spent with 403", async () => {
    const response = await withSecret(ALREADY_SPENT)(BATTLE, { "cf-turnstile-response": DUMMY_TOKEN });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("turnstile_failed");
  });

  it("refuses a battle start with no token, or an empty or oversized one, with 403 and never calls a model", async () => {
    const start = withSecret(ALWAYS_PASSES);
    for (const body of [BATTLE, { ...BATTLE, turnstileToken: "" }, { ...BATTLE, turnstileToken: "x".repeat(2049) }]) {
      const response = await start(body);
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(await errorCode(response)).toBe("turnstile_failed");
    }
  });

  it("answers 503 turnstile_unavailable when Siteverify cannot be reached", async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const response = await withSecret(ALWAYS_PASSES, "http://127.0.0.1:9/turnstile/v0/siteverify")({ ...BATTLE, turnstileToken: DUMMY_TOKEN });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("turnstile_unavailable");
  });

  it("answers 503 when Siteverify answers an error page", async () => {
    const response = await withSecret(ALWAYS_PASSES, `${env.FAKE_PROVIDER_URL}/turnstile/outage/siteverify`)({ ...BATTLE, turnstileToken: DUMMY_TOKEN });
    expect(response.status).toBe(503);
    expect(await errorCode(response)).toBe("turnstile_unavailable");
  });

  it("leaves the route's own validation intact after reading the token from the body", async () => {
    const start = withSecret(ALWAYS_PASSES);
    const invalid = await start({ mode: "anonymous", prompt: "", turnstileToken: DUMMY_TOKEN });
    expect(invalid.status).toBe(400);
    const malformed = await start('{"mode":"anonymous","prompt":', { "cf-turnstile-response": DUMMY_TOKEN });
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe("invalid_request");
  });

  it("does not apply to continuing a battle", async () => {
    const first = await withSecret(ALWAYS_PASSES)({ ...BATTLE, turnstileToken: DUMMY_TOKEN });
    const battleId = first.headers.get("x-battle-id")!;
    await first.text();
    const request = new Request(`http://arena.test/api/v1/battles/${battleId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: first.headers.get("set-cookie")?.split(";")[0] ?? "" },
      body: JSON.stringify({ prompt: "And again." }),
    });
    const next = await app.fetch(request, { ...env, TURNSTILE_SECRET_KEY: ALWAYS_FAILS, TURNSTILE_VERIFY_URL: siteverify }, createExecutionContext());
    expect(next.status).not.toBe(403);
    await next.body?.cancel();
  });
});
