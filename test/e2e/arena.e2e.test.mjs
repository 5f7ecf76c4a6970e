/**
 * Browser end-to-end tests of the web client against a real local arena
 * (wrangler dev, D1, Durable Objects, demo models), driven in Chromium.
 * Run with `npm run test:e2e`; screenshots go to test-results/e2e/.
 */
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { startArena } from "./server.mjs";
import { maliciousStream, sseResponse } from "./sse-fixtures.mjs";

const SHOTS = resolve(import.meta.dirname, "../../test-results/e2e");
const STEP_MS = 20_000;

/** @type {Awaited<ReturnType<typeof startArena>>} */
let arena;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;

async function newPage() {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { page, problems };
}

const shot = (page, name, options = {}) => page.screenshot({ path: join(SHOTS, `${name}.png`), ...options });

/** Sends a prompt and waits until every pane shows a finished answer for that turn. */
async function ask(page, prompt, turn = 1) {
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByLabel("Prompt").press("Enter");
  const panes = page.locator(".pane");
  const count = await panes.count();
  for (let i = 0; i < count; i++) {
    await panes.nth(i).locator(".turn").nth(turn - 1).locator(".markdown").filter({ hasText: /\S/ }).waitFor();
    await panes.nth(i).locator('.status[data-status="done"]').waitFor();
  }
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  arena = await startArena({ build: process.env.E2E_SKIP_BUILD !== "1" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await arena?.stop();
});

describe("anonymous battle", () => {
  test("a full battle streams both answers, takes a vote and reveals the models", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await assertVoteDisabled(page);
    await ask(page, "How do I make a good cup of coffee?");
    await shot(page, "battle");
    const voteA = page.getByRole("button", { name: "A is better" });
    assert.equal(await voteA.isEnabled(), true, "the vote opens once both answers are done");
    // Escape leaves the prompt field; then the shortcut votes.
    await page.getByLabel("Prompt").press("Escape");
    await page.keyboard.press("1");
    const notice = page.locator(".reveal-notice");
    await notice.waitFor();
    assert.match(await notice.innerText(), /You preferred model A/);
    assert.match(await notice.innerText(), /Counted|Not counted/);
    const titles = await page.locator(".pane-title").allInnerTexts();
    assert.ok(titles.every((title) => !/^Model [AB]$/.test(title.trim())), `names revealed, got ${titles}`);
    assert.equal(await page.locator(".pane--winner").getAttribute("data-side"), "a");
    await page.waitForTimeout(700);
    await shot(page, "reveal");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a battle can be continued for a second turn before voting", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await ask(page, "Explain recursion to a child.");
    await ask(page, "Now give a short code example in Python.", 2);
    for (const side of ["a", "b"]) {
      assert.equal(await page.locator(`.pane[data-side="${side}"] .turn`).count(), 2);
    }
    await page.getByRole("button", { name: "Tie" }).click();
    await page.locator(".reveal-notice").waitFor();
    assert.match(await page.locator(".reveal-notice").innerText(), /tie/);
    assert.equal(await page.getByLabel("Prompt").isDisabled(), true, "a voted battle cannot be continued");
    await page.getByRole("button", { name: "New battle" }).click();
    assert.equal(await page.locator(".turn").count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

async function assertVoteDisabled(page) {
  for (const name of ["A is better", "B is better", "Tie", "Both are bad"]) {
    assert.equal(await page.getByRole("button", { name }).isDisabled(), true, `${name} is disabled before any answer`);
  }
}

describe("answers are untrusted", () => {
  test("HTML and javascript: links in a model answer never execute", async () => {
    const { page, problems } = await newPage();
    await page.route("**/api/v1/battles", (route) => route.fulfill(sseResponse(maliciousStream())));
    await page.goto(arena.baseUrl);
    await ask(page, "Say something dangerous");
    const pane = page.locator('.pane[data-side="a"]');
    assert.equal(await pane.locator("img").count(), 0, "no image element survives");
    assert.equal(await page.locator("[onerror], [onclick], script:not([src])").count(), 0);
    const links = pane.locator(".markdown a");
    assert.ok((await links.count()) >= 2, "the links are shown as text");
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      assert.ok(href === null || /^https?:/.test(href), `unsafe href kept: ${href}`);
    }
    await links.first().click({ noWaitAfter: true });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => globalThis.__pwned), undefined);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
