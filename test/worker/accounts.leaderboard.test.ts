/**
 * The personal leaderboard: hidden below the minimum number of votes, then
 * the caller's own counted votes fitted toward the public board — only
 * theirs, whichever sessions they were cast in before signing in.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PersonalLeaderboardResponse } from "../../src/accounts/wire";
import { leaderboardKey } from "../../worker/leaderboard/kv-keys";
import { Browser, signIn, signUp } from "./account-helpers";
import { ALPHA, BRAVO, battlePair, registerModels } from "./helpers";

/** Plays `n` battles in `browser` and votes for Bravo each time, whichever side it is on. */
async function preferBravo(browser: Browser, n: number): Promise<void> {
  for (let k = 0; k < n; k++) {
    const { battleId } = await browser.battle(`Question number ${k} from ${browser.ip}`);
    const [modelA] = await battlePair(battleId);
    expect((await browser.vote(battleId, modelA === BRAVO.id ? "a" : "b")).status).toBe(200);
  }
}

describe("personal leaderboard", () => {
  it("stays hidden below 30 votes, then ranks the models by the person's own votes, pulled toward the public board", async () => {
    await registerModels(ALPHA, BRAVO);
    await env.LEADERBOARD.put(
      leaderboardKey("overall", "default"),
      JSON.stringify({ rows: [{ modelId: ALPHA.id, name: ALPHA.name, rating: 1100 }, { modelId: BRAVO.id, name: BRAVO.name, rating: 1000 }] }),
    );
    // Someone else's votes never count for this person.
    await preferBravo(new Browser(), 3);

    const first = new Browser();
    await preferBravo(first, 15);
    const { passkey } = await signUp(first);
    const below = await first.json<PersonalLeaderboardResponse>("/api/v1/me/leaderboard");
    expect(below).toMatchObject({ votes: 15, minimumVotes: 30, shown: false, rows: [], agreement: null });

    // Votes from a second browser, merged at sign-in, count too.
    const second = new Browser();
    await preferBravo(second, 15);
    expect((await signIn(second, passkey)).status).toBe(200);
    const board = await second.json<PersonalLeaderboardResponse>("/api/v1/me/leaderboard");
    expect(board).toMatchObject({ votes: 30, shown: true });
    expect(board.rows.map((r) => r.model)).toEqual([BRAVO.id, ALPHA.id]);
    const bravo = board.rows[0]!;
    const alpha = board.rows[1]!;
    expect(bravo).toMatchObject({ name: BRAVO.name, publicRating: 1000, votes: 30, wins: 30, losses: 0 });
    expect(bravo.rating).toBeGreaterThan(1000);
    expect(alpha.rating).toBeLessThan(1100);
    // Regularised: thirty votes do not send the ratings to infinity.
    expect(bravo.rating - alpha.rating).toBeLessThan(400);
    expect(board.agreement).toMatchObject({ battles: 30, rate: 0, rankCorrelation: -1 });
    expect(board.agreement!.expected).toBeCloseTo(1 / (1 + 10 ** (-100 / 400)), 10);
  });
});
