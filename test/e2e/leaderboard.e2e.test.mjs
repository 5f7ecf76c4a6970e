/**
 * Browser tests of the leaderboard and model pages (published fixtures and a
 * real ranking run), and of the phone and dark layouts.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { castVotes, publishLeaderboards } from "./api.mjs";
import { ask, newPage, shot, useArena } from "./harness.mjs";
import { leaderboardIndex, modelDetail, publishedLeaderboard } from "./leaderboard-fixtures.mjs";

const arena = useArena();

describe("leaderboard", () => {
  test("a published board with separate groups, open intervals and a provisional category is explained", async () => {
    const { page, problems } = await newPage();
    const requested = [];
    await page.route("**/api/v1/leaderboard/categories", (route) => route.fulfill({ json: leaderboardIndex() }));
    await page.route("**/api/v1/leaderboard?*", (route) => {
      const url = new URL(route.request().url());
      requested.push(url.search);
      return route.fulfill({ json: publishedLeaderboard(url.searchParams.get("category"), url.searchParams.get("style")) });
    });
    await page.route("**/api/v1/models/quill-70b", (route) => route.fulfill({ json: modelDetail() }));
    await page.goto(`${arena.baseUrl}/leaderboard`);
    const rows = page.locator(".leaderboard-table tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 8);
    assert.match(requested[0], /category=overall&style=default&matrices=1/);
    assert.match(await page.locator(".banner").first().innerText(), /not comparable/);
    const loneWolf = rows.filter({ hasText: "Lone Wolf" });
    assert.match(await loneWolf.locator(".ci-cell").innerText(), /∞/, "an open upper bound is shown as ∞");
    assert.match(await loneWolf.innerText(), /never lost/);
    assert.match(await rows.filter({ hasText: "Tern Mini" }).locator(".rank-cell").innerText(), /5\s*5–6/);
    assert.equal(await page.locator(".heatmap").first().locator("rect").count(), 64);
    await page.locator(".ci-plot").waitFor();
    await shot(page, "leaderboard-fixture", { fullPage: true });

    // The board is fetched after the URL changes: wait for the request itself, not the URL.
    await Promise.all([
      page.waitForRequest((request) => /\/api\/v1\/leaderboard\?.*style=control/.test(request.url())),
      page.getByRole("switch", { name: "Style control" }).check(),
    ]);
    await page.waitForURL(/style=control/);
    await page.getByLabel("Category").selectOption("coding");
    await page.waitForURL(/category=coding/);
    await page.locator(".banner", { hasText: "provisional" }).waitFor();
    assert.equal(await page.getByRole("switch", { name: "Style control" }).isDisabled(), true, "coding has no style-controlled board");

    await page.getByRole("link", { name: "Quill 70B" }).first().click();
    await page.locator(".rating-chart canvas").waitFor();
    assert.match(await page.locator(".model-page h1").innerText(), /Quill 70B/);
    assert.equal(await page.locator(".model-section").nth(2).locator("tbody tr").count(), 3);
    await shot(page, "model-fixture", { fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("before any ranking run the leaderboard says no votes are ranked yet", async () => {
    const { page, problems } = await newPage();
    await page.route("**/api/v1/leaderboard/categories", (route) =>
      route.fulfill({ status: 404, json: { error: { code: "not_found", message: "nothing published yet", requestId: "r-1" } } }),
    );
    await page.goto(`${arena.baseUrl}/leaderboard`);
    await page.getByRole("heading", { name: "No votes ranked yet" }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("after votes and a ranking run, the leaderboard lists the models with intervals and heatmaps", async () => {
    await castVotes(arena.baseUrl, 14);
    await publishLeaderboards(arena.baseUrl);
    const { page, problems } = await newPage();
    await page.goto(`${arena.baseUrl}/leaderboard`);
    const rows = page.locator(".leaderboard-table tbody tr");
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 2, "at least two ranked models");
    assert.match(await rows.first().innerText(), /\(demo\)/);
    assert.match(await page.locator(".banner").first().innerText(), /provisional|not comparable/);
    await page.locator(".ci-plot").waitFor();
    assert.equal(await page.locator(".heatmap").count(), 2, "win-rate and battle-count heatmaps");
    assert.match(await page.getByTestId("chain-head").innerText(), /vote log up to vote \d+, chain hash [0-9a-f]{12}…/);
    await page.getByRole("button", { name: "Votes" }).click();
    assert.match(await page.locator('th[aria-sort="descending"]').innerText(), /votes/i);
    await page.getByLabel("Search models").fill("aster");
    assert.equal(await rows.count(), 1);
    await page.getByLabel("Search models").fill("");
    await shot(page, "leaderboard", { fullPage: true });
    await rows.first().locator("a").click();
    await page.locator(".model-page h1").waitFor();
    assert.match(await page.locator(".model-page h1").innerText(), /\(demo\)/);
    await page.locator(".model-section").nth(2).locator("tbody tr").first().waitFor();
    await shot(page, "model", { fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("the leaderboard links to the audit, which shows each lab's and model's stored, counted and excluded votes", async () => {
    const { page, problems } = await newPage();
    await page.goto(`${arena.baseUrl}/leaderboard`);
    await page.getByRole("link", { name: "votes that did not count, and why" }).click();
    await page.waitForURL(/\/audit$/);
    const labs = page.locator(".audit-table").first();
    await labs.locator("tbody tr").first().waitFor();
    assert.match(await labs.locator("caption").innerText(), /By lab/);
    assert.match(await labs.innerText(), /Edge Arena demo/);
    const header = await labs.locator("thead").innerText();
    for (const reason of ["Over vote cap", "Anomalous voter", "Repeated prompt", "Model named itself"]) assert.match(header, new RegExp(reason));
    const models = page.locator(".audit-table").nth(1).locator("tbody tr");
    assert.ok((await models.count()) >= 2, "every model that got votes has a row");
    assert.match(await models.first().innerText(), /\(demo\)/);
    await page.locator('[data-testid="audit-anomaly"]').waitFor();
    await shot(page, "audit", { fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("the leaderboard links to the sampling weights, their rules and every weight change", async () => {
    const { page, problems } = await newPage();
    await page.goto(`${arena.baseUrl}/leaderboard`);
    await page.getByRole("link", { name: "how often each model is sampled" }).click();
    await page.waitForURL(/\/sampling$/);
    const rows = page.locator(".audit-table").first().locator("tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 5, "the five demo models");
    assert.match(await rows.first().innerText(), /\(demo\)/);
    assert.match(await page.locator('[data-testid="sampling-rules"]').innerText(), /counted votes is drawn with 3× weight/);
    assert.ok((await page.locator('[data-testid="sampling-history"] tbody tr').count()) >= 5, "each model's first weight is in the history");
    await shot(page, "sampling", { fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("layouts", () => {
  test("mobile and dark layouts render the battle and the leaderboard", async () => {
    const { page, problems } = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(arena.baseUrl);
    await ask(page, "Give me three tips for learning a language.");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await shot(page, "mobile", { fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByLabel("Prompt").press("Escape");
    await page.keyboard.press("2");
    await page.locator(".reveal-notice").waitFor();
    await page.waitForTimeout(700);
    await shot(page, "dark");
    await page.getByRole("link", { name: "Leaderboard" }).click();
    await page.locator(".leaderboard-page").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "leaderboard-dark", { fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await shot(page, "leaderboard-mobile-dark", { fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole("button", { name: /Switch to light theme/ }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
    assert.deepEqual(problems, []);
    await page.close();
  });
});
