/**
 * Browser tests of the battle page against a real local arena (wrangler dev,
 * D1, Durable Objects, demo models), driven in Chromium. Crafted streams
 * stand in for answers the demo models never give (hostile markup, failures).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { ask, newPage, shot, useArena } from "./harness.mjs";
import { failingSideStream, maliciousStream, sseResponse } from "./sse-fixtures.mjs";

const arena = useArena();

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
    await page.getByRole("button", { name: /Copy Aster|Copy Bramble|Copy Cobalt|Copy Dune|Copy Ember/ }).first().click();
    assert.ok((await page.evaluate(() => navigator.clipboard.readText())).length > 20, "an answer was copied");
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

describe("stopping", () => {
  test("Stop ends reading at once; the answers are fetched when complete and the vote opens", async () => {
    const { page, problems } = await newPage();
    const aborted = [];
    page.on("requestfailed", (request) => {
      if (request.url().endsWith("/api/v1/battles")) aborted.push(request.failure()?.errorText);
    });
    await page.goto(arena.baseUrl);
    // The demo answers stream in well under a second here, so the "stopped"
    // state is recorded as it happens rather than polled for.
    await page.evaluate(() => {
      globalThis.__statuses = new Set();
      new MutationObserver(() => {
        for (const el of document.querySelectorAll(".status")) globalThis.__statuses.add(el.dataset.status);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    // A slow connection (about 2 KB/s) keeps the stream arriving long after
    // the demo models have finished, so Stop is always pressed mid-stream.
    const cdp = await arena.context.newCDPSession(page);
    const throttle = (downloadThroughput) =>
      cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput, uploadThroughput: -1 });
    await throttle(2048);
    await page.getByLabel("Prompt").fill("Write a long essay about the history of bridges, with many examples.");
    await page.getByLabel("Prompt").press("Enter");
    await page.locator('.status[data-status="streaming"]').first().waitFor();
    await shot(page, "streaming");
    await page.getByRole("button", { name: "Stop" }).click();
    await throttle(-1);
    // The server finishes both answers anyway; the page follows its record until they are complete.
    await page.locator('.pane[data-side="a"] .status[data-status="done"]').waitFor();
    await page.locator('.pane[data-side="b"] .status[data-status="done"]').waitFor();
    assert.ok(await page.evaluate(() => globalThis.__statuses.has("stopped")), "the panes showed that reading stopped");
    assert.equal(aborted.length, 1, "the stream request was aborted");
    assert.equal(await page.getByRole("button", { name: "Both are bad" }).isEnabled(), true);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("reloading", () => {
  test("an unvoted battle comes back after a reload and can still be voted on", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await ask(page, "Why is the sky blue?");
    const before = await page.locator('.pane[data-side="b"] .markdown').innerText();
    await page.reload();
    await page.locator('.pane[data-side="b"] .status[data-status="done"]').waitFor();
    assert.equal(await page.locator('.pane[data-side="b"] .markdown').innerText(), before);
    await page.getByRole("button", { name: "Both are bad" }).click();
    await page.locator(".reveal-notice").waitFor();
    await page.reload();
    await page.getByLabel("Prompt").waitFor();
    assert.equal(await page.locator(".turn").count(), 0, "a voted battle is not brought back");
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

describe("failures and other modes", () => {
  test("a failed side shows its error while the other finishes, and the vote is marked as not counting", async () => {
    const { page, problems } = await newPage();
    await page.route("**/api/v1/battles", (route) => route.fulfill(sseResponse(failingSideStream())));
    await page.goto(arena.baseUrl);
    await page.getByLabel("Prompt").fill("Anything");
    await page.getByLabel("Prompt").press("Enter");
    const failed = page.locator('.pane[data-side="b"] .side-error');
    await failed.waitFor();
    assert.match(await failed.innerText(), /will not count/);
    await page.locator('.pane[data-side="a"] .status[data-status="done"]').waitFor();
    assert.match(await page.locator('.pane[data-side="a"] .markdown').innerText(), /second half/);
    assert.match(await page.locator("#vote-hint").innerText(), /will not count/);
    await shot(page, "side-error");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("direct chat talks to one chosen model and has no vote", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await page.getByLabel("Direct chat").check();
    await page.getByLabel("Model", { exact: true }).selectOption("demo-dune");
    await ask(page, "What is a good name for a cat?");
    assert.equal(await page.locator(".pane").count(), 1);
    assert.match(await page.locator(".pane-title").innerText(), /Dune/);
    assert.equal(await page.locator(".vote-bar").count(), 0);
    await shot(page, "direct");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("side by side names both chosen models from the start; code answers are highlighted and copyable", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await page.getByLabel("Side by side").check();
    await page.getByLabel("Model A").selectOption("demo-aster");
    await page.getByLabel("Model B").selectOption("demo-cobalt");
    await ask(page, "Compare tea and coffee.");
    assert.deepEqual(
      (await page.locator(".pane-title").allInnerTexts()).map((t) => t.split("\n")[0].replace(/Edge Arena demo/, "").trim()),
      ["Aster (demo)", "Cobalt (demo)"],
    );
    // The demo model Cobalt always answers with a TypeScript block.
    const code = page.locator('.pane[data-side="b"] pre code');
    await code.locator(".hljs-keyword").first().waitFor();
    await page.locator('.pane[data-side="b"] pre').hover();
    await page.getByRole("button", { name: "Copy code" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await code.textContent());
    assert.match(await page.locator("#vote-hint").innerText(), /not ranked/);
    await shot(page, "side-by-side");
    await page.getByRole("button", { name: "B is better" }).click();
    await page.locator(".reveal-notice").waitFor();
    assert.match(await page.locator(".reveal-notice").innerText(), /Not counted/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("sharing", () => {
  test("a voted battle is shared by link; another browser reads it, with names and winner, and nothing about the voter", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    const prompt = "What makes a sourdough starter rise?";
    await ask(page, prompt);
    assert.equal(await page.getByRole("button", { name: "Share" }).count(), 0, "nothing to share before the vote");
    await page.getByRole("button", { name: "B is better" }).click();
    await page.locator(".reveal-notice").waitFor();
    const [nameA, nameB] = await page.locator(".reveal-notice strong").allInnerTexts();
    const answers = { a: await page.locator('.pane[data-side="a"] .markdown').innerText(), b: await page.locator('.pane[data-side="b"] .markdown').innerText() };

    await page.getByRole("button", { name: "Share" }).click();
    const field = page.getByRole("textbox", { name: "Share link" });
    await field.waitFor();
    assert.equal(await field.evaluate((el) => el === document.activeElement), true, "focus moves to the new link");
    const url = await field.inputValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/shared\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{16,64}$/);
    assert.ok(url.startsWith(`${arena.baseUrl}/shared/`), "the full address on the arena's origin");
    await page.getByRole("button", { name: "Copy share link" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    await shot(page, "share");
    const voterSession = (await arena.context.cookies()).find((c) => c.name === "arena_session")?.value;
    assert.ok(voterSession, "the voter has a session");

    // Someone else: a separate browser profile, so another session without the voter's cookies.
    const other = await launchBrowser();
    try {
      const reader = await other.context.newPage();
      reader.setDefaultTimeout(20_000);
      const readerProblems = [];
      reader.on("pageerror", (error) => readerProblems.push(String(error)));
      const answered = reader.waitForResponse((r) => r.url().includes("/api/v1/shared/"));
      await reader.goto(url);
      const body = await (await answered).json();
      await reader.getByRole("heading", { name: "Shared battle", exact: true }).waitFor();

      assert.deepEqual(Object.keys(body).sort(), ["arena", "battleId", "mode", "models", "turns", "winner"], "the API answers the battle only");
      assert.ok(!JSON.stringify(body).includes(voterSession.split(".")[0]), "the voter's session is not in the answer");
      assert.match(await reader.locator(".turn-prompt").innerText(), new RegExp(prompt.replace("?", "\\?")));
      assert.equal(await reader.locator('.shared-answer[data-side="a"] .markdown').innerText(), answers.a);
      assert.equal(await reader.locator('.shared-answer[data-side="b"] .markdown').innerText(), answers.b);
      const linkA = reader.locator('.shared-model[data-side="a"] a');
      const linkB = reader.locator('.shared-model[data-side="b"] a');
      assert.equal(await linkA.innerText(), nameA);
      assert.equal(await linkB.innerText(), nameB);
      assert.equal(await linkA.getAttribute("href"), `/models/${encodeURIComponent(body.models.a.id)}`);
      assert.equal(await reader.locator(".shared-model--winner").getAttribute("data-side"), "b");
      assert.ok((await reader.locator(".shared-outcome").innerText()).includes(`${nameB} won`), "the outcome names the winner");

      const text = await reader.locator("main").innerText();
      assert.doesNotMatch(text, /you preferred|you called|you found|your vote|counted|voter|session/i, "nothing about who voted, or how their vote counted");
      assert.equal(await reader.getByRole("button", { name: /better|Tie|Both are bad|Share/ }).count(), 0, "read-only");

      // Dark theme: the page is drawn from the theme's colours.
      await reader.getByRole("button", { name: "Switch to dark theme" }).click();
      assert.equal(await reader.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(14, 17, 22)");
      assert.equal(await reader.locator(".shared-answer").first().evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(22, 27, 34)");
      await shot(reader, "shared-dark", { fullPage: true });

      // The model link leads to the model's page, by keyboard.
      await linkA.focus();
      await reader.keyboard.press("Enter");
      await reader.waitForURL(`${arena.baseUrl}/models/${encodeURIComponent(body.models.a.id)}`);

      // A tampered token, or one longer than any issued, opens nothing.
      const last = url.at(-1) === "A" ? "B" : "A";
      for (const bad of [url.slice(0, -1) + last, `${url}${"x".repeat(64)}`]) {
        await reader.goto(bad);
        await reader.getByRole("heading", { name: "This link does not exist" }).waitFor();
        assert.equal(await reader.locator(".shared-answer").count(), 0);
        const shown = await reader.locator("main").innerText();
        assert.ok(!shown.includes(nameA) && !shown.includes(nameB), "no model is named");
      }
      await shot(reader, "shared-unknown");
      assert.deepEqual(readerProblems, []);
    } finally {
      await other.close();
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a failed share can be retried; the shared page shows loading, then a server error with a way to try again", async () => {
    const { page, problems } = await newPage();
    const error = (route) =>
      route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal", message: "The arena failed", requestId: "req-42" } }) });
    await page.route("**/api/v1/battles/*/share", error);
    await page.goto(arena.baseUrl);
    await ask(page, "Name three rivers.");
    await page.getByRole("button", { name: "Tie" }).click();
    await page.getByRole("button", { name: "Share" }).click();
    assert.match(await page.getByRole("alert").innerText(), /could not be created: The arena failed \(request req-42\)/);
    await page.unroute("**/api/v1/battles/*/share");
    await page.getByRole("button", { name: "Share" }).click();
    const url = await page.getByRole("textbox", { name: "Share link" }).inputValue();

    // The answer is held back, then fails: first the loading state, then the error.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route("**/api/v1/shared/**", async (route) => {
      await held;
      await error(route);
    });
    await page.goto(url);
    await page.getByRole("status").filter({ hasText: "Loading the shared battle" }).waitFor();
    release();
    await page.getByRole("heading", { name: "The shared battle could not be loaded" }).waitFor();
    assert.match(await page.getByRole("alert").innerText(), /The arena failed \(request req-42\)/);
    await page.unroute("**/api/v1/shared/**");
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "Shared battle", exact: true }).waitFor();
    assert.equal(await page.locator(".shared-answer").count(), 2);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
