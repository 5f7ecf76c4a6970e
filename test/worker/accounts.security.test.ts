/**
 * Accounts against a script: no one reads or changes another's history,
 * a replayed, forged, expired or foreign sign-in is refused, sign-in
 * rotates every token, and cross-site requests change nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HistoryPage, MeResponse } from "../../src/accounts/wire";
import { AUTH_COOKIE, tokenHash } from "../../worker/accounts/auth-session";
import { Browser, ORIGIN, signIn, signUp, VirtualPasskey } from "./account-helpers";
import { ALPHA, BRAVO, battlePair, d1Rows, registerModels } from "./helpers";

const UNKNOWN = "00000000-0000-4000-8000-0000000000ff";

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: error.code, message: error.message };
}

/** Every route that reads or changes one battle of the caller's history or the battle itself. */
function battleRoutes(browser: Browser, battleId: string): Promise<Response>[] {
  return [
    browser.fetch(`/api/v1/me/battles/${battleId}`),
    browser.send("DELETE", `/api/v1/me/battles/${battleId}`),
    browser.fetch(`/api/v1/battles/${battleId}`),
    browser.send("POST", `/api/v1/battles/${battleId}/messages`, { prompt: "take over" }),
    browser.send("POST", `/api/v1/battles/${battleId}/vote`, { winner: "a" }),
  ];
}

describe("accounts: authorisation between people", () => {
  it("answers another account, and an anonymous visitor, exactly as for an unknown battle, on every route", async () => {
    await registerModels(ALPHA, BRAVO);
    const alice = new Browser();
    const { battleId } = await alice.battle("Alice's private question about her visa");
    await battlePair(battleId);
    await signUp(alice);
    const bob = new Browser();
    await signUp(bob);
    const stranger = new Browser();
    await stranger.battle("hello");

    for (const intruder of [bob, stranger]) {
      const theirs = await Promise.all(battleRoutes(intruder, battleId).map(async (r) => errorOf(await r)));
      const unknown = await Promise.all(battleRoutes(intruder, UNKNOWN).map(async (r) => errorOf(await r)));
      expect(theirs).toEqual(unknown);
      expect(theirs.every((r) => r.status === 404)).toBe(true);
      const list = await intruder.json<HistoryPage>(`/api/v1/me/battles?q=${encodeURIComponent("visa")}`);
      expect(list.battles).toEqual([]);
      const exported = (await (await intruder.fetch("/api/v1/me/export")).json()) as { battles: { battleId: string }[] };
      expect(exported.battles.map((b) => b.battleId)).not.toContain(battleId);
      const board = (await (await intruder.fetch("/api/v1/me/leaderboard")).json()) as { votes: number };
      expect(board.votes).toBe(0);
    }
    // Nothing the intruders sent changed Alice's battle.
    expect(await d1Rows("SELECT 1 FROM votes WHERE battle_id = ?", battleId)).toEqual([]);
    expect((await alice.json<HistoryPage>("/api/v1/me/battles")).battles.map((b) => b.battleId)).toEqual([battleId]);
  });

  it("needs a sign-in for the account routes, and answers an anonymous session only about its own battles", async () => {
    const visitor = new Browser();
    for (const [method, path, body] of [
      ["PATCH", "/api/v1/me/settings", { publishConversations: true }],
      ["DELETE", "/api/v1/me/passkeys/abc", undefined],
      ["DELETE", "/api/v1/me", { confirm: "delete my account" }],
      ["POST", "/api/v1/auth/signout-everywhere", {}],
    ] as const) {
      const response = await visitor.send(method, path, body);
      expect((await errorOf(response)).status, `${method} ${path}`).toBe(401);
    }
    expect(await visitor.json<MeResponse>("/api/v1/me")).toMatchObject({ signedIn: false, battles: 0, votes: 0 });
  });
});

describe("accounts: sign-in against scripts", () => {
  it("refuses a replayed sign-in, a challenge from another session, a foreign origin and a cloned authenticator", async () => {
    const owner = new Browser();
    const { passkey } = await signUp(owner);
    const attacker = new Browser();

    // Replay: the same signed response twice; the challenge was consumed by the first.
    const { options } = (await (await attacker.send("POST", "/api/v1/auth/signin/options", {})).json()) as { options: { challenge: string } };
    const signed = await passkey.assert(options);
    expect((await attacker.send("POST", "/api/v1/auth/signin", { response: signed })).status).toBe(200);
    const replay = await new Browser().send("POST", "/api/v1/auth/signin", { response: signed });
    expect(await errorOf(replay)).toMatchObject({ status: 401, code: "unauthorized" });

    // A challenge issued to one session cannot be answered from another.
    const victim = new Browser();
    const issued = (await (await victim.send("POST", "/api/v1/auth/signin/options", {})).json()) as { options: { challenge: string } };
    expect((await new Browser().send("POST", "/api/v1/auth/signin", { response: await passkey.assert(issued.options) })).status).toBe(401);

    // A response made for another site (its origin in clientDataJSON) fails verification.
    const phished = new Browser();
    const phishOptions = (await (await phished.send("POST", "/api/v1/auth/signin/options", {})).json()) as { options: { challenge: string } };
    const foreign = await phished.send("POST", "/api/v1/auth/signin", { response: await passkey.assert(phishOptions.options, "https://arena-login.example") });
    expect(await errorOf(foreign)).toMatchObject({ status: 401 });

    // A cloned authenticator replays an old counter: refused.
    passkey.counter = 0;
    expect((await signIn(new Browser(), passkey)).status).toBe(401);
    // An unregistered passkey signs nobody in.
    expect((await signIn(new Browser(), await VirtualPasskey.create())).status).toBe(401);
  });

  it("stores only known transport names, whatever the browser claims", async () => {
    for (const [claimed, stored] of [["usb", []], [["usb", 5, "evil", "usb", "internal"], ["usb", "internal"]]] as const) {
      const browser = new Browser();
      const key = await VirtualPasskey.create();
      const { options } = (await (await browser.send("POST", "/api/v1/auth/passkeys/options", {})).json()) as { options: { challenge: string; user: { id: string } } };
      const response = await key.attest(options);
      (response.response as Record<string, unknown>).transports = claimed;
      expect((await browser.send("POST", "/api/v1/auth/passkeys", { response })).status).toBe(201);
      const [row] = await d1Rows<{ transports: string }>("SELECT transports FROM passkeys WHERE id = ?", key.credentialId);
      expect(JSON.parse(row!.transports)).toEqual(stored);
    }
  });

  it("rotates the sign-in token and the anonymous session at sign-in; a planted or forged token is worth nothing", async () => {
    const browser = new Browser();
    const { passkey } = await signUp(browser);
    const first = browser.cookies.get(AUTH_COOKIE)!;
    const firstSession = browser.cookies.get("arena_session")!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await signIn(browser, passkey)).status).toBe(200);
    const second = browser.cookies.get(AUTH_COOKIE)!;
    expect(second).not.toBe(first);
    expect(browser.cookies.get("arena_session")).not.toBe(firstSession);
    // The token presented at sign-in is gone: a copy of it (planted or stolen before) signs nobody in.
    const stale = await browser.fetch("/api/v1/me", { headers: { cookie: `${AUTH_COOKIE}=${first}` } });
    expect(((await stale.json()) as MeResponse).signedIn).toBe(false);
    // D1 keeps hashes only.
    expect(await d1Rows("SELECT 1 FROM auth_sessions WHERE token_hash = ?", second)).toEqual([]);
    expect(await d1Rows("SELECT 1 FROM auth_sessions WHERE token_hash = ?", await tokenHash(second))).toHaveLength(1);
    // The real token with its last character changed (never equal to it, whatever that character is).
    const altered = `${second.slice(0, 42)}${second.endsWith("A") ? "B" : "A"}`;
    for (const forged of ["x".repeat(43), altered, "", "a.b.c"]) {
      const response = await new Browser().fetch("/api/v1/me", { headers: { cookie: `${AUTH_COOKIE}=${forged}` } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as MeResponse).signedIn).toBe(false);
    }
  });

  it("ends an expired sign-in, and signs out every device at once", async () => {
    const laptop = new Browser();
    const { passkey } = await signUp(laptop);
    const phone = new Browser();
    expect((await signIn(phone, passkey)).status).toBe(200);
    expect(((await laptop.json<MeResponse>("/api/v1/me")).account!.sessions)).toBe(2);

    await env.DB.prepare("UPDATE auth_sessions SET expires_at = ? WHERE token_hash = ?").bind(Date.now() - 1, await tokenHash(phone.cookies.get(AUTH_COOKIE)!)).run();
    expect((await phone.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);
    expect((await signIn(phone, passkey)).status).toBe(200);

    expect((await laptop.send("POST", "/api/v1/auth/signout-everywhere", {})).status).toBe(204);
    expect((await laptop.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);
    expect((await phone.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);
  });

  it("refuses cross-site and non-JSON state changes, and limits sign-in attempts per session", async () => {
    const browser = new Browser();
    await signUp(browser);
    const evil = { origin: "https://evil.example", "content-type": "application/json" };
    for (const [method, path, body] of [
      ["POST", "/api/v1/auth/signout", "{}"],
      ["PATCH", "/api/v1/me/settings", '{"publishConversations":true}'],
      ["DELETE", "/api/v1/me", '{"confirm":"delete my account"}'],
    ] as const) {
      const response = await browser.fetch(path, { method, headers: evil, body });
      expect((await errorOf(response)).code, `${method} ${path}`).toBe("forbidden_origin");
    }
    const form = await browser.fetch("/api/v1/me/settings", { method: "PATCH", headers: { origin: ORIGIN, "content-type": "text/plain" }, body: '{"publishConversations":true}' });
    expect(form.status).toBe(415);
    const me = await browser.json<MeResponse>("/api/v1/me");
    expect(me).toMatchObject({ signedIn: true, account: { publishConversations: false } });

    const script = new Browser();
    const statuses: number[] = [];
    for (let k = 0; k < 12; k++) statuses.push((await script.send("POST", "/api/v1/auth/signin/options", {})).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe("accounts: the person's control over their data", () => {
  it("deletes a battle from history: its conversation goes, its vote stays counted and unlinked", async () => {
    await registerModels(ALPHA, BRAVO);
    const browser = new Browser();
    await signUp(browser);
    const { battleId } = await browser.battle("my phone is 555-0100, help me write a letter");
    await battlePair(battleId);
    expect((await browser.vote(battleId, "a")).status).toBe(200);
    expect((await browser.send("DELETE", `/api/v1/me/battles/${battleId}`)).status).toBe(204);
    expect(await d1Rows("SELECT 1 FROM battle_turns WHERE battle_id = ?", battleId)).toEqual([]);
    expect(await d1Rows("SELECT account_id, session_id FROM battles WHERE id = ?", battleId)).toEqual([{ account_id: null, session_id: null }]);
    expect(await d1Rows("SELECT counted FROM votes WHERE battle_id = ?", battleId)).toEqual([{ counted: 1 }]);
    expect((await browser.json<HistoryPage>("/api/v1/me/battles")).battles).toEqual([]);
    // The live state is gone too: the battle route knows it no more.
    expect((await browser.fetch(`/api/v1/battles/${battleId}`)).status).toBe(404);
    expect((await browser.send("DELETE", `/api/v1/me/battles/${battleId}`)).status).toBe(404);
  });

  it("downloads everything linked to the person, and deletes the account with its conversations but not its votes", async () => {
    await registerModels(ALPHA, BRAVO);
    const browser = new Browser();
    const { passkey, body } = await signUp(browser);
    const { battleId } = await browser.battle("Plan a week of meals");
    await battlePair(battleId);
    expect((await browser.vote(battleId, "b")).status).toBe(200);
    const unvoted = await browser.battle("Another question");
    await battlePair(unvoted.battleId);

    const download = await browser.fetch("/api/v1/me/export");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="edge-arena-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(download.headers.get("cache-control")).toBe("no-store, private");
    const data = (await download.json()) as { account: { id: string }; battles: { battleId: string; turnsDetail: { prompt: string }[]; models?: unknown }[]; sessions: unknown[] };
    expect(data.account.id).toBe(body.account.id);
    expect(data.sessions).toHaveLength(1);
    expect(data.battles.map((b) => b.battleId).sort()).toEqual([battleId, unvoted.battleId].sort());
    expect(data.battles.find((b) => b.battleId === battleId)!.turnsDetail[0]!.prompt).toBe("Plan a week of meals");
    expect(data.battles.find((b) => b.battleId === unvoted.battleId)!.models).toBeUndefined();

    expect((await browser.send("DELETE", "/api/v1/me", { confirm: "yes" })).status).toBe(400);
    expect((await browser.send("DELETE", "/api/v1/me", { confirm: "delete my account" })).status).toBe(204);
    expect(await d1Rows("SELECT 1 FROM accounts WHERE id = ?", body.account.id)).toEqual([]);
    for (const table of ["passkeys", "auth_sessions", "account_sessions"]) {
      expect(await d1Rows(`SELECT 1 FROM ${table} WHERE account_id = ?`, body.account.id), table).toEqual([]);
    }
    expect(await d1Rows("SELECT 1 FROM battle_turns WHERE battle_id IN (?, ?)", battleId, unvoted.battleId)).toEqual([]);
    expect(await d1Rows("SELECT counted FROM votes WHERE battle_id = ?", battleId)).toEqual([{ counted: 1 }]);
    expect(await d1Rows("SELECT 1 FROM battles WHERE id IN (?, ?) AND (account_id IS NOT NULL OR session_id IS NOT NULL)", battleId, unvoted.battleId)).toEqual([]);
    expect((await browser.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);
    expect((await browser.fetch(`/api/v1/battles/${unvoted.battleId}`)).status).toBe(404);
    expect((await signIn(new Browser(), passkey)).status).toBe(401);
  });
});
