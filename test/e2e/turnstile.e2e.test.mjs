/**
 * Turnstile end to end, on an arena that has it on: the battle page loads the
 * widget, sends its token with each new battle, and asks for a fresh one
 * after every start; the Worker checks each token with Siteverify.
 *
 * Nothing leaves the machine: the browser's requests for Cloudflare's script
 * are answered here with a small stand-in that plays the widget's documented
 * client API (render, callback, reset), and Siteverify is a loopback server
 * that accepts each token it issued once, as the real one does.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, describe, test } from "node:test";
import { ask, newPage, useArena } from "./harness.mjs";

const SECRET = "e2e-turnstile-secret";
const SITE_KEY = "e2e-turnstile-site-key";

/** Every Siteverify call the Worker made, in order. */
const verified = [];
const spent = new Set();
const siteverify = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const form = new URLSearchParams(body);
    const token = form.get("response") ?? "";
    const success = form.get("secret") === SECRET && /^e2e-token-\d+$/.test(token) && !spent.has(token);
    if (success) spent.add(token);
    verified.push({ token, success });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(success ? { success } : { success, "error-codes": ["invalid-input-response"] }));
  });
});
await new Promise((resolve) => siteverify.listen(0, "127.0.0.1", resolve));
after(() => new Promise((resolve) => siteverify.close(resolve)));

const arena = useArena({
  vars: {
    TURNSTILE_SECRET_KEY: SECRET,
    TURNSTILE_SITE_KEY: SITE_KEY,
    TURNSTILE_VERIFY_URL: `http://127.0.0.1:${siteverify.address().port}/siteverify`,
  },
});

/** The widget's client API, as far as the arena uses it: each render or reset issues the next token. */
const FAKE_WIDGET = `
  let issued = 0;
  const widgets = new Map();
  const issue = (id) => setTimeout(() => widgets.get(id)?.callback("e2e-token-" + ++issued), 50);
  window.turnstile = {
    render(container, params) {
      const id = "w" + (widgets.size + 1);
      widgets.set(id, params);
      container.dataset.sitekey = params.sitekey;
      issue(id);
      return id;
    },
    reset: issue,
    remove: (id) => widgets.delete(id),
  };
`;

async function pageWithWidget() {
  const opened = await newPage();
  await opened.page.route("https://challenges.cloudflare.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: FAKE_WIDGET }));
  return opened;
}

describe("Turnstile on battle start", () => {
  test("the page renders the widget with the arena's site key and each battle spends a fresh token", async () => {
    const { page, problems } = await pageWithWidget();
    await page.goto(arena.baseUrl);
    await page.locator(`.turnstile[data-sitekey="${SITE_KEY}"]`).waitFor({ state: "attached" });

    await ask(page, "What makes a good bread crust?");
    await page.getByRole("button", { name: "A is better" }).click();
    await page.locator(".reveal-notice").waitFor();
    await page.getByRole("button", { name: "New battle" }).click();
    await ask(page, "And a good pizza crust?");

    assert.deepEqual(verified, [
      { token: "e2e-token-1", success: true },
      { token: "e2e-token-2", success: true },
    ]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a script without a token, or replaying a spent one, is refused before any model answers", async () => {
    const post = (body) =>
      fetch(`${arena.baseUrl}/api/v1/battles`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    const missing = await post({ mode: "anonymous", prompt: "Hello" });
    const replayed = await post({ mode: "anonymous", prompt: "Hello", turnstileToken: "e2e-token-1" });

    for (const response of [missing, replayed]) {
      assert.equal(response.status, 403);
      assert.equal((await response.json()).error.code, "turnstile_failed");
    }
    assert.deepEqual(verified.at(-1), { token: "e2e-token-1", success: false });
  });
});
