/**
 * Browser tests of the arenas beyond text chat, against a real local arena
 * (wrangler dev, R2, demo models): an image battle drawn by the demo image
 * provider, a vision prompt with an uploaded picture, and the WebDev
 * sandbox. The sandbox tests load each app through the Worker's own route
 * and keep its real headers, but swap the body for an app that tries to
 * escape — what a hostile model would write.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encode } from "fast-png";
import { newPage, shot, useArena } from "./harness.mjs";

const arena = useArena();

/** Chooses an arena on the battle page. */
async function chooseArena(page, name) {
  await page.getByRole("radio", { name }).check();
}

/** The page's frame whose address contains `part`, once it has one (frames attach after the pane renders). */
async function frameAt(page, part, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes(part));
    if (frame || Date.now() > deadline) return frame;
    await page.waitForTimeout(100);
  }
}

/** Waits until both panes report their answer done. */
async function waitForBothDone(page) {
  for (const side of ["a", "b"]) await page.locator(`.pane[data-side="${side}"] .status[data-status="done"]`).waitFor();
}

describe("text-to-image arena", () => {
  test("both demo models draw the prompt; the images load, differ, and the vote can report a visible maker", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await chooseArena(page, "Text to image");
    await page.getByLabel("Prompt").fill("a red fox under a night sky");
    await page.getByLabel("Prompt").press("Enter");
    await waitForBothDone(page);
    const images = page.locator(".answer-image");
    await page.waitForFunction(() => [...document.querySelectorAll(".answer-image")].filter((i) => i.complete && i.naturalWidth === 256).length === 2);
    const sources = await images.evaluateAll((all) => all.map((i) => i.getAttribute("src")));
    assert.equal(sources.length, 2);
    assert.notEqual(sources[0], sources[1], "two demo painters never paint the same bytes");
    for (const src of sources) assert.match(src, /^\/api\/v1\/media\/[0-9a-f]{64}\.png$/);
    await shot(page, "text-to-image");

    await page.getByRole("group", { name: "Vote" }).getByLabel("A", { exact: true }).check();
    await page.getByRole("button", { name: "B is better" }).click();
    const notice = page.locator(".reveal-notice");
    await notice.waitFor();
    assert.match(await notice.innerText(), /Not counted/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe("vision arena", () => {
  test("an attached image is uploaded, shown with the prompt, and seen by both models", async () => {
    const { page, problems } = await newPage();
    await page.goto(arena.baseUrl);
    await chooseArena(page, "Vision");
    const png = encode({ width: 40, height: 30, data: new Uint8Array(40 * 30 * 3).fill(90), channels: 3, depth: 8 });
    await page.locator('input[type="file"]').setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from(png) });
    await page.locator(".thumb img").waitFor();
    await page.getByLabel("Prompt").fill("What is in this picture?");
    await page.getByLabel("Prompt").press("Enter");
    await waitForBothDone(page);
    for (const side of ["a", "b"]) {
      const pane = page.locator(`.pane[data-side="${side}"]`);
      assert.match(await pane.locator(".markdown").innerText(), /I see a 40×30 PNG image/);
      assert.equal(await pane.locator(".images img").count(), 1, "the attachment is shown with the turn");
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});

/**
 * An app that tries every escape and writes what happened into its own page.
 * Each attempt must fail; `ran` proves the script itself did run.
 */
const hostileApp = ({ navigate }) => `<!doctype html><html><body><pre id="out"></pre><script>
const results = { ran: true };
const attempt = async (name, run) => { try { results[name] = await run(); } catch (e) { results[name] = "blocked: " + e.name; } };
(async () => {
  await attempt("cookie", () => document.cookie);
  await attempt("localStorage", () => localStorage.getItem("edge-arena:battle") ?? "readable");
  await attempt("sessionStorage", () => sessionStorage.getItem("edge-arena:battle") ?? "readable");
  await attempt("parentDocument", () => window.parent.document.title);
  await attempt("fetchMe", async () => (await fetch("/api/v1/me", { credentials: "include" })).status);
  await attempt("fetchVote", async () => (await fetch(location.pathname.replace(/\\/app$/, "/vote"), { method: "POST", credentials: "include", headers: { "content-type": "application/json" }, body: '{"winner":"a"}' })).status);
  await attempt("popup", () => (window.open("https://evil.example/") === null ? "blocked: null" : "opened"));
  document.getElementById("out").textContent = JSON.stringify(results);
  document.body.dataset.done = "yes";
  ${navigate ? 'try { window.top.location.href = "https://evil.example/"; } catch {}' : ""}
})();
</script></body></html>`;

describe("WebDev sandbox", () => {
  test("a generated app runs, but cannot read the arena's cookies or storage, reach its API, or navigate the arena's window", async () => {
    const { page } = await newPage();
    await page.route("**/api/v1/battles/*/app?*", async (route) => {
      const response = await route.fetch();
      assert.equal(response.status(), 200, "the Worker serves the real app first");
      await route.fulfill({ response, body: hostileApp({ navigate: true }) });
    });
    const navigations = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.goto(arena.baseUrl);
    await chooseArena(page, "WebDev");
    await page.getByLabel("Prompt").fill("a counter app");
    await page.getByLabel("Prompt").press("Enter");
    await waitForBothDone(page);
    const frames = page.locator("iframe.webapp-frame");
    assert.equal(await frames.count(), 2);
    assert.equal(await frames.first().getAttribute("sandbox"), "allow-scripts");

    const battleUrl = page.url();
    const cookiesBefore = await page.context().cookies();
    const app = await frameAt(page, "/app?turn=1&side=a");
    assert.ok(app, "the app frame loaded");
    await app.waitForFunction(() => document.body.dataset.done === "yes", null, { timeout: 10_000 });
    const results = JSON.parse(await app.locator("#out").innerText());
    await shot(page, "webdev-sandbox");

    assert.equal(results.ran, true);
    for (const name of ["cookie", "localStorage", "sessionStorage", "parentDocument", "fetchMe", "fetchVote"]) {
      assert.match(String(results[name]), /^blocked: /, `${name} must be blocked, got ${results[name]}`);
    }
    assert.match(String(results.popup), /^blocked: /);
    // The app tried to navigate the arena's window last; give it time to have done so.
    await page.waitForTimeout(500);
    assert.equal(page.url(), battleUrl, "the arena's window was not navigated");
    assert.deepEqual(navigations.filter((url) => !url.startsWith(arena.baseUrl)), []);
    assert.deepEqual(await page.context().cookies(), cookiesBefore, "no cookie changed");
    const voteA = page.getByRole("button", { name: "A is better" });
    assert.equal(await voteA.isEnabled(), true, "the battle is still unvoted: the app could not vote");
    await page.close();
  });

  test("the app is sandboxed even when opened on its own, outside the frame", async () => {
    const { page } = await newPage();
    await page.goto(arena.baseUrl);
    await chooseArena(page, "WebDev");
    await page.getByLabel("Prompt").fill("a todo list");
    await page.getByLabel("Prompt").press("Enter");
    await waitForBothDone(page);
    const src = await page.locator("iframe.webapp-frame").first().getAttribute("src");
    const direct = await page.context().newPage();
    await direct.route("**/api/v1/battles/*/app?*", async (route) => route.fulfill({ response: await route.fetch(), body: hostileApp({ navigate: false }) }));
    await direct.goto(new URL(src, arena.baseUrl).href);
    await direct.waitForFunction(() => document.body.dataset.done === "yes", null, { timeout: 10_000 });
    const results = JSON.parse(await direct.locator("#out").innerText());
    for (const name of ["cookie", "localStorage", "fetchMe", "fetchVote"]) {
      assert.match(String(results[name]), /^blocked: /, `${name} must be blocked when opened directly, got ${results[name]}`);
    }
    await direct.close();
    await page.close();
  });
});
