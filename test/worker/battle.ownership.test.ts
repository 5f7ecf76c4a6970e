/**
 * A battle belongs to the session that started it. Any other session gets
 * the same 404 as for an id that does not exist (no oracle), and nothing it
 * sends changes the battle. Sharing is explicit, after the vote, read-only,
 * and never shows the voter.
 */
import { describe, expect, it } from "vitest";
import type { BattleView, SharedBattleView, ShareResponse } from "../../src/wire";
import { ALPHA, BRAVO, api, d1Rows, ownerCookie, postJson, registerModels, startBattle, vote } from "./helpers";

const UNKNOWN = "00000000-0000-4000-8000-0000000000ff";

async function bodyOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: error.code, message: error.message };
}

/** Every battle route, as a client with `cookie` (none: a new visitor) would call it. */
function everyRoute(battleId: string, cookie?: string): Promise<Response>[] {
  const headers = cookie ? { cookie } : { cookie: "arena_session=stranger" };
  return [
    api(`/api/v1/battles/${battleId}`, { headers }),
    postJson(`/api/v1/battles/${battleId}/messages`, { prompt: "take over" }, headers),
    postJson(`/api/v1/battles/${battleId}/stop`, {}, headers),
    postJson(`/api/v1/battles/${battleId}/vote`, { winner: "a" }, headers),
    postJson(`/api/v1/battles/${battleId}/share`, {}, headers),
  ];
}

describe("battle ownership", () => {
  it("answers another session on every battle route exactly as for an unknown battle", async () => {
    await registerModels(ALPHA, BRAVO);
    const theirs = await startBattle({ mode: "anonymous", prompt: "my private question" });
    const intruder = await startBattle({ mode: "anonymous", prompt: "mine" });
    const asOther = await Promise.all(everyRoute(theirs.battleId, ownerCookie(intruder.battleId)).map(async (r) => bodyOf(await r)));
    const asNobody = await Promise.all(everyRoute(UNKNOWN, ownerCookie(intruder.battleId)).map(async (r) => bodyOf(await r)));
    expect(asOther).toEqual(asNobody);
    expect(asOther.every((r) => r.status === 404)).toBe(true);

    // Nothing the intruder sent changed the battle: one turn, no vote, still the owner's to vote on.
    const view = (await (await api(`/api/v1/battles/${theirs.battleId}`)).json()) as BattleView;
    expect(view.turns).toHaveLength(1);
    expect(view.voted).toBe(false);
    expect(await d1Rows("SELECT 1 FROM votes WHERE battle_id = ?", theirs.battleId)).toEqual([]);
    expect((await vote(theirs.battleId, "b")).status).toBe(200);
  });

  it("refuses a client without a session cookie too", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    const response = await api(`/api/v1/battles/${battleId}`, { headers: { cookie: "" } });
    expect(response.status).toBe(404);
  });
});

describe("share links", () => {
  it("cannot be made before the vote, nor by another session", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    const early = await postJson(`/api/v1/battles/${battleId}/share`, {});
    expect((await bodyOf(early)).status).toBe(409);
    await vote(battleId, "a");
    const other = await startBattle({ mode: "anonymous", prompt: "Hello" });
    expect((await postJson(`/api/v1/battles/${battleId}/share`, {}, { cookie: ownerCookie(other.battleId) })).status).toBe(404);
  });

  it("shows the conversation, the revealed models and the outcome to anyone with the link, never the voter", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId, text } = await startBattle({ mode: "anonymous", prompt: "Share this" });
    await vote(battleId, "b");
    const share = (await (await postJson(`/api/v1/battles/${battleId}/share`, {})).json()) as ShareResponse;
    expect(share.path).toBe(`/shared/${battleId}/${share.token}`);
    const again = (await (await postJson(`/api/v1/battles/${battleId}/share`, {})).json()) as ShareResponse;
    expect(again.token).toBe(share.token);

    const response = await api(`/api/v1/shared/${battleId}/${share.token}`, { headers: { cookie: "" } });
    expect(response.status).toBe(200);
    const raw = await response.text();
    const shared = JSON.parse(raw) as SharedBattleView;
    expect(shared.turns[0]).toMatchObject({ prompt: "Share this", sides: { a: { text: text.a }, b: { text: text.b } } });
    expect(shared.winner).toBe("b");
    expect(new Set([shared.models.a!.id, shared.models.b!.id])).toEqual(new Set([ALPHA.id, BRAVO.id]));
    const sessionId = ownerCookie(battleId).split("=")[1]!.split(".")[0]!;
    expect(raw).not.toContain(sessionId);
    expect(Object.keys(shared).sort()).toEqual(["arena", "battleId", "mode", "models", "turns", "winner"]);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("opens nothing with a wrong or missing token, or for an unshared battle", async () => {
    await registerModels(ALPHA, BRAVO);
    const { battleId } = await startBattle({ mode: "anonymous", prompt: "Hi" });
    await vote(battleId, "a");
    expect((await api(`/api/v1/shared/${battleId}/${"A".repeat(22)}`)).status).toBe(404);
    const share = (await (await postJson(`/api/v1/battles/${battleId}/share`, {})).json()) as ShareResponse;
    const wrong = share.token.slice(0, -1) + (share.token.endsWith("A") ? "B" : "A");
    expect((await api(`/api/v1/shared/${battleId}/${wrong}`)).status).toBe(404);
    expect((await api(`/api/v1/shared/${UNKNOWN}/${share.token}`)).status).toBe(404);
  });
});
