/**
 * Browser tests of the private-variant register and the lifecycle log: both
 * reached from the leaderboard, every variant and event shown with its
 * dates, and the empty and not-yet-published states.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newPage, shot, useArena } from "./harness.mjs";
import { leaderboardIndex, publishedLeaderboard } from "./leaderboard-fixtures.mjs";

const arena = useArena();

const REGISTER = {
  computedAt: "2026-12-01T12:00:00.000Z",
  entries: [
    { modelId: "quiet-otter", codename: "quiet-otter", lab: "Nimbus Research", status: "active", registeredAt: "2026-11-01T09:00:00.000Z", disclosedAt: "2026-11-20T09:00:00.000Z", releasedAt: "2026-11-20T09:00:00.000Z", withdrawnAt: null, publicName: "Nimbus Otter 1", votes: 4210, rating: 1032.4, lower: 1024.1, upper: 1040.9 },
    { modelId: "loud-otter", codename: "loud-otter", lab: "Nimbus Research", status: "withdrawn", registeredAt: "2026-11-02T09:00:00.000Z", disclosedAt: "2026-11-15T09:00:00.000Z", releasedAt: null, withdrawnAt: "2026-11-15T09:00:00.000Z", publicName: null, votes: 3120, rating: 998.7, lower: 989.2, upper: 1008.3 },
  ],
};
const LIFECYCLE = {
  computedAt: "2026-12-01T12:00:00.000Z",
  events: [
    { at: "2026-11-25T10:00:00.000Z", kind: "weight_changed", modelId: "quiet-otter", name: "Nimbus Otter 1", organization: "Nimbus Research", detail: { from: "2", to: "1", reason: "equal" } },
    { at: "2026-11-20T09:00:00.000Z", kind: "released", modelId: "quiet-otter", name: "Nimbus Otter 1", organization: "Nimbus Research", detail: { name: "Nimbus Otter 1", organization: "Nimbus Research" } },
    { at: "2026-11-15T09:00:00.000Z", kind: "withdrawn", modelId: "loud-otter", name: "loud-otter", organization: "Nimbus Research", detail: {} },
  ],
};

describe("transparency pages", () => {
  test("the leaderboard links to the register and the lifecycle log, which show every variant and event", async () => {
    const { page, problems } = await newPage();
    await page.route("**/api/v1/leaderboard/categories", (route) => route.fulfill({ json: leaderboardIndex() }));
    await page.route("**/api/v1/leaderboard?*", (route) => {
      const url = new URL(route.request().url());
      return route.fulfill({ json: publishedLeaderboard(url.searchParams.get("category"), url.searchParams.get("style")) });
    });
    await page.route("**/api/v1/register", (route) => route.fulfill({ json: REGISTER }));
    await page.route("**/api/v1/lifecycle", (route) => route.fulfill({ json: LIFECYCLE }));
    await page.goto(`${arena.baseUrl}/leaderboard`);
    await page.getByRole("link", { name: "every variant labs tested" }).click();
    const rows = page.locator('[data-testid="register-table"] tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.filter({ hasText: "quiet-otter" }).innerText(), /Released as\s+Nimbus Otter 1[\s\S]*4,210[\s\S]*1032 \(1024–1041\)/);
    assert.match(await rows.filter({ hasText: "loud-otter" }).innerText(), /Withdrawn[\s\S]*3,120/);
    await shot(page, "register", { fullPage: true });

    await page.goBack();
    await page.getByRole("link", { name: "releases and retirements" }).click();
    const events = page.locator('[data-testid="lifecycle-table"] tbody tr');
    await events.first().waitFor();
    assert.equal(await events.count(), 3);
    assert.match(await events.nth(0).innerText(), /Sampling weight 2 → 1 \(equal\)/);
    assert.match(await events.nth(1).innerText(), /Released as Nimbus Otter 1/);
    assert.match(await events.nth(2).innerText(), /Preview withdrawn/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("before the first ranking run each page says so", async () => {
    const { page, problems } = await newPage();
    for (const path of ["register", "lifecycle"]) {
      await page.route(`**/api/v1/${path}`, (route) => route.fulfill({ status: 404, json: { error: { code: "not_found", message: "nothing has been published yet" } } }));
      await page.goto(`${arena.baseUrl}/${path}`);
      await page.locator(".empty-state").waitFor();
      assert.match(await page.locator(".empty-state").innerText(), /next ranking run/);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});
