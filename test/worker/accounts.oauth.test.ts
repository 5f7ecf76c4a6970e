/**
 * Sign-in with GitHub and Google, against a local provider speaking OAuth
 * 2.0 with PKCE: a first sign-in creates the account, the next finds it, a
 * signed-in person can link one, and a forged, replayed or foreign callback
 * signs nobody in.
 */
import { describe, expect, it } from "vitest";
import type { MeResponse } from "../../src/accounts/wire";
import { Browser, signUp } from "./account-helpers";

/** Follows the arena's redirect to the provider, signs in there as `subject`, and returns the callback path. */
async function authorize(browser: Browser, provider: "github" | "google", subject: string): Promise<string> {
  const start = await browser.fetch(`/api/v1/auth/oauth/${provider}/start`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get("location")!);
  expect(location.searchParams.get("code_challenge_method")).toBe("S256");
  location.searchParams.set("as", subject);
  const back = await fetch(location, { redirect: "manual" });
  expect(back.status).toBe(302);
  const callback = new URL(back.headers.get("location")!);
  return callback.pathname + callback.search;
}

async function finish(browser: Browser, callback: string): Promise<string> {
  const response = await browser.fetch(callback, { redirect: "manual" });
  expect(response.status).toBe(302);
  return response.headers.get("location")!;
}

describe("sign-in with GitHub and Google", () => {
  it("creates an account on the first sign-in and finds it on the next, for each provider", async () => {
    for (const provider of ["github", "google"] as const) {
      const subject = String(100_000 + Math.floor(Math.random() * 1e6));
      const first = new Browser();
      expect((await first.json<MeResponse>("/api/v1/me")).oauth).toEqual({ github: true, google: true });
      expect(await finish(first, await authorize(first, provider, subject))).toBe(`/account?signedIn=${provider}`);
      const me = await first.json<MeResponse>("/api/v1/me");
      expect(me).toMatchObject({ signedIn: true, account: { linked: [provider], passkeys: [] } });

      const again = new Browser();
      await finish(again, await authorize(again, provider, subject));
      expect((await again.json<MeResponse>("/api/v1/me")).account!.id).toBe(me.account!.id);
    }
  });

  it("links a provider to the signed-in account, which then lets the last passkey go", async () => {
    const browser = new Browser();
    const { passkey, body } = await signUp(browser);
    expect((await browser.send("DELETE", `/api/v1/me/passkeys/${passkey.credentialId}`)).status).toBe(409);
    await finish(browser, await authorize(browser, "github", "777001"));
    const me = await browser.json<MeResponse>("/api/v1/me");
    expect(me.account).toMatchObject({ id: body.account.id, linked: ["github"] });
    expect((await browser.send("DELETE", `/api/v1/me/passkeys/${passkey.credentialId}`)).status).toBe(204);
    const elsewhere = new Browser();
    await finish(elsewhere, await authorize(elsewhere, "github", "777001"));
    expect((await elsewhere.json<MeResponse>("/api/v1/me")).account!.id).toBe(body.account.id);
  });

  it("signs nobody in with a forged state, a callback in another browser, a replayed code or a provider error", async () => {
    const victim = new Browser();
    const callback = await authorize(victim, "github", "424242");

    // Another browser (an attacker who got the URL) has no flow cookie bound to it.
    const attacker = new Browser();
    expect(await finish(attacker, callback)).toMatch(/^\/account\?oauthError=/);
    expect((await attacker.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);

    // A forged state in the victim's own browser.
    const forged = callback.replace(/state=[^&]+/, "state=forged");
    expect(await finish(victim, forged)).toMatch(/^\/account\?oauthError=/);

    // The flow cookie was used up by that attempt, so the genuine callback no longer works either.
    expect(await finish(victim, callback)).toMatch(/^\/account\?oauthError=/);
    expect((await victim.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);

    // A fresh flow whose code was already redeemed: the provider refuses it.
    const second = await authorize(victim, "github", "424242");
    const code = new URL(second, "http://arena.test").searchParams.get("code");
    const redo = await authorize(victim, "github", "424242");
    expect(await finish(victim, redo.replace(/code=[^&]+/, `code=${code}`))).toMatch(/^\/account\?oauthError=/);

    const denied = new Browser();
    await denied.fetch("/api/v1/auth/oauth/google/start", { redirect: "manual" });
    expect(decodeURIComponent(await finish(denied, "/api/v1/auth/oauth/google/callback?error=access_denied"))).toContain("access_denied");
    expect((await denied.json<MeResponse>("/api/v1/me")).signedIn).toBe(false);
  });
});
