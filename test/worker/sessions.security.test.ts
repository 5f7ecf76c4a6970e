/**
 * Sessions and limits hold against a script: cookies that are missing, junk,
 * unsigned or forged get a fresh signed session (never trust), and rotating
 * them does not lift the per-IP limits; X-Forwarded-For is never believed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintSession, verifySession } from "../../worker/http/session";
import { ALPHA, BRAVO, api, postJson, registerModels, sessionCookieOf, startBattle } from "./helpers";

const SECRET = env.SESSION_SECRET!;
const UUID = "6f1c7e0a-2b3d-4c5e-8f90-a1b2c3d4e5f6";

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("signed sessions", () => {
  it("gives a first battle exactly one signed session cookie, on the streamed answer", async () => {
    await registerModels(ALPHA, BRAVO);
    const turn = await startBattle({ mode: "anonymous", prompt: "Hi" });
    const cookies = turn.response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^arena_session=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(await verifySession(SECRET, sessionCookieOf(turn.response)!.slice("arena_session=".length))).not.toBeNull();
  });

  it("keeps a valid session: no new cookie", async () => {
    const { cookie } = await mintSession(SECRET);
    const response = await postJson("/api/v1/battles", { mode: "anonymous" }, { cookie: `arena_session=${cookie}` });
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("replaces a junk, unsigned, tampered or foreign-signed cookie with a fresh session", async () => {
    const genuine = await mintSession(SECRET);
    const foreign = await mintSession("another-secret-another-secret-0000");
    const otherId = genuine.cookie.replace(genuine.id, UUID);
    for (const value of ["x1", UUID, `${UUID}.`, `${UUID}.${"A".repeat(43)}`, otherId, foreign.cookie, genuine.cookie + "x"]) {
      const response = await postJson("/api/v1/battles", { mode: "anonymous" }, { cookie: `arena_session=${value}` });
      const fresh = sessionCookieOf(response);
      expect(fresh, value).toBeDefined();
      const id = await verifySession(SECRET, fresh!.slice("arena_session=".length));
      expect(id, value).not.toBeNull();
      expect(id, value).not.toBe(UUID);
      expect(id, value).not.toBe(genuine.id);
    }
  });

  it("does not read or mint a session on a preflight request", async () => {
    const response = await api("/api/v1/battles", { method: "OPTIONS" });
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe("limits that hold against scripts", () => {
  it("holds a client that rotates cookies (junk, none or forged) to the per-IP turn limit of 60 a minute", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const cookie: Record<string, string> = i % 3 === 0 ? {} : { cookie: `arena_session=${i % 3 === 1 ? "x1" : crypto.randomUUID()}` };
      // A fresh X-Forwarded-For each time changes nothing: only CF-Connecting-IP is the client's address.
      const headers = { "cf-connecting-ip": "198.51.100.7", "x-forwarded-for": `203.0.113.${i}`, ...cookie };
      statuses.push((await postJson("/api/v1/battles", { mode: "anonymous" }, headers)).status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
    expect(statuses[60]).toBe(429);
    // Another address is not affected.
    expect((await postJson("/api/v1/battles", { mode: "anonymous" }, { "cf-connecting-ip": "198.51.100.8" })).status).toBe(400);
  });

  it("limits votes per session (20 a minute) whatever the address", async () => {
    const { cookie } = await mintSession(SECRET);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await postJson(`/api/v1/battles/${unknown}/vote`, { winner: "a" }, { cookie: `arena_session=${cookie}` })).status);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("limits votes per IP (60 a minute) however many sessions vote", async () => {
    const unknown = "00000000-0000-4000-8000-000000000001";
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await postJson(`/api/v1/battles/${unknown}/vote`, { winner: "a" }, { "cf-connecting-ip": "198.51.100.9" })).status);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    const limited = await postJson(`/api/v1/battles/${unknown}/vote`, { winner: "a" }, { "cf-connecting-ip": "198.51.100.9" });
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe("rate_limited");
  });
});
