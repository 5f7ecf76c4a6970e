/**
 * Accounts as a person uses them: play anonymously, create an account with
 * a passkey (the battles so far move into it), sign out, sign in on another
 * browser, find every battle in history and continue an unvoted one there.
 */
import { describe, expect, it } from "vitest";
import type { HistoryDetail, HistoryPage, MeResponse } from "../../src/accounts/wire";
import { Browser, signIn, signUp, VirtualPasskey } from "./account-helpers";
import { ALPHA, BRAVO, battlePair, d1Rows, parseEvents, registerModels } from "./helpers";

describe("accounts: sign-up, merge, sign-in elsewhere", () => {
  it("moves the anonymous battles into the new account and finds them all from another browser", async () => {
    await registerModels(ALPHA, BRAVO);
    const laptop = new Browser();
    const voted = await laptop.battle("What is a monad, in plain words?");
    await battlePair(voted.battleId);
    expect((await laptop.vote(voted.battleId, "b")).status).toBe(200);
    const open = await laptop.battle("Write a haiku about rain");
    await battlePair(open.battleId);

    const anonymous = await laptop.json<MeResponse>("/api/v1/me");
    expect(anonymous).toMatchObject({ signedIn: false, battles: 2, votes: 1 });

    const { passkey, body } = await signUp(laptop);
    expect(body.merged.battles).toBe(2);
    expect(body.account.passkeys).toEqual([expect.objectContaining({ name: "Test key", lastUsedAt: null })]);
    const me = await laptop.json<MeResponse>("/api/v1/me");
    expect(me).toMatchObject({ signedIn: true, battles: 2, votes: 1, account: { id: body.account.id, publishConversations: false, sessions: 1 } });

    // Sign out: this browser keeps nothing of the account, not even the battles it played anonymously.
    expect((await laptop.send("POST", "/api/v1/auth/signout", {})).status).toBe(204);
    expect(await laptop.json<MeResponse>("/api/v1/me")).toMatchObject({ signedIn: false, battles: 0, votes: 0 });
    expect((await laptop.json<HistoryPage>("/api/v1/me/battles")).battles).toEqual([]);

    // Another browser plays one anonymous battle, then signs in: three battles in history.
    const phone = new Browser();
    const third = await phone.battle("Explain TCP slow start");
    await battlePair(third.battleId);
    const signedIn = await signIn(phone, passkey);
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { merged: { battles: number } }).merged.battles).toBe(1);
    const history = await phone.json<HistoryPage>("/api/v1/me/battles");
    expect(history.battles.map((b) => b.battleId).sort()).toEqual([voted.battleId, open.battleId, third.battleId].sort());

    const votedItem = history.battles.find((b) => b.battleId === voted.battleId)!;
    expect(votedItem.vote).toMatchObject({ winner: "b", counted: true });
    expect(Object.keys(votedItem.models ?? {}).sort()).toEqual(["a", "b"]);
    // An unvoted anonymous battle stays anonymous in history too.
    const openItem = history.battles.find((b) => b.battleId === open.battleId)!;
    expect(openItem.vote).toBeUndefined();
    expect(openItem.models).toBeUndefined();

    // The unvoted battle started on the laptop can be continued and voted on from the phone.
    const detail = await phone.json<HistoryDetail>(`/api/v1/me/battles/${open.battleId}`);
    expect(detail).toMatchObject({ continuable: true, prompt: "Write a haiku about rain" });
    expect(detail.turnsDetail[0]!.answers.a!.text.length).toBeGreaterThan(0);
    const next = await phone.send("POST", `/api/v1/battles/${open.battleId}/messages`, { prompt: "Another one, about snow" });
    expect(next.status).toBe(200);
    expect(parseEvents(await next.text()).at(-1)?.type).toBe("end");
    expect((await phone.vote(open.battleId, "tie")).status).toBe(200);
    const after = await phone.json<HistoryDetail>(`/api/v1/me/battles/${open.battleId}`);
    expect(after).toMatchObject({ continuable: false, turns: 2, vote: { winner: "tie" } });
  });

  it("searches prompts and answers, filters by vote and category, and pages with a cursor", async () => {
    await registerModels(ALPHA, BRAVO);
    const browser = new Browser();
    await signUp(browser);
    const ids: string[] = [];
    for (const prompt of ["Sort a list in Python", "A poem on 100% cotton", "Sort a list in Rust", "Capital of Peru?"]) {
      const { battleId } = await browser.battle(prompt);
      await battlePair(battleId);
      ids.push(battleId);
    }
    expect((await browser.vote(ids[0]!, "a")).status).toBe(200);

    const search = await browser.json<HistoryPage>(`/api/v1/me/battles?q=${encodeURIComponent("sort a LIST")}`);
    expect(search.battles.map((b) => b.battleId).sort()).toEqual([ids[0], ids[2]].sort());
    // LIKE wildcards in the query are literal characters.
    const percent = await browser.json<HistoryPage>(`/api/v1/me/battles?q=${encodeURIComponent("100%")}`);
    expect(percent.battles.map((b) => b.battleId)).toEqual([ids[1]]);
    expect((await browser.json<HistoryPage>("/api/v1/me/battles?q=%25")).battles.map((b) => b.battleId)).toEqual([ids[1]]);
    expect((await browser.json<HistoryPage>("/api/v1/me/battles?voted=true")).battles.map((b) => b.battleId)).toEqual([ids[0]]);
    expect((await browser.json<HistoryPage>("/api/v1/me/battles?voted=false")).battles).toHaveLength(3);
    const [row] = await d1Rows<{ categories: string }>("SELECT categories FROM battles WHERE id = ?", ids[0]);
    const tag = (JSON.parse(row!.categories) as string[])[0]!;
    const byTag = await browser.json<HistoryPage>(`/api/v1/me/battles?category=${tag}`);
    expect(byTag.battles.map((b) => b.battleId)).toContain(ids[0]);

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: HistoryPage = await browser.json<HistoryPage>(`/api/v1/me/battles?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      pages.push(page.battles.map((b) => b.battleId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());
    expect((await browser.fetch("/api/v1/me/battles?cursor=not-a-cursor")).status).toBe(400);
  });

  it("adds and removes passkeys, never the last one, and turns publishing on from now on", async () => {
    const browser = new Browser();
    const { passkey, body } = await signUp(browser);
    const second = await VirtualPasskey.create();
    const { options } = (await (await browser.send("POST", "/api/v1/auth/passkeys/options", {})).json()) as { options: { challenge: string; user: { id: string }; excludeCredentials: { id: string }[] } };
    // The options name the account (same user handle) and exclude its existing passkey.
    expect(options.excludeCredentials.map((c) => c.id)).toEqual([passkey.credentialId]);
    const added = await browser.send("POST", "/api/v1/auth/passkeys", { response: await second.attest(options), name: "Phone" });
    expect(added.status).toBe(201);
    const me = await browser.json<MeResponse>("/api/v1/me");
    expect(me.account!.id).toBe(body.account.id);
    expect(me.account!.passkeys.map((p) => p.name)).toEqual(["Test key", "Phone"]);

    expect((await browser.send("DELETE", `/api/v1/me/passkeys/${passkey.credentialId}`)).status).toBe(204);
    const last = await browser.send("DELETE", `/api/v1/me/passkeys/${second.credentialId}`);
    expect(last.status).toBe(409);
    // The removed passkey no longer signs in; the other one does.
    const other = new Browser();
    expect((await signIn(other, passkey)).status).toBe(401);
    expect((await signIn(other, second)).status).toBe(200);

    const before = Date.now();
    const on = await browser.send("PATCH", "/api/v1/me/settings", { publishConversations: true });
    expect(on.status).toBe(200);
    const account = (await on.json()) as { publishConversations: boolean; publishSince: number };
    expect(account.publishConversations).toBe(true);
    expect(account.publishSince).toBeGreaterThanOrEqual(before);
    const off = (await (await browser.send("PATCH", "/api/v1/me/settings", { publishConversations: false })).json()) as { publishSince: number | null };
    expect(off.publishSince).toBeNull();
  });
});
