/**
 * Shared set-up of the browser tests: one private arena and one Chromium per
 * test file, pages that record script errors and dialogs, screenshots, and
 * the "ask and wait for the answers" step.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { after, before } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { startArena } from "./server.mjs";

const SHOTS = resolve(import.meta.dirname, "../../test-results/e2e");
const STEP_MS = 20_000;

/** @type {Awaited<ReturnType<typeof startArena>>} */
let arena;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;

/**
 * Registers the file's set-up and tear-down; call once at the top of a test file.
 * @param {{ vars?: Record<string, string> }} options extra Worker variables of this file's arena
 */
export function useArena({ vars = {} } = {}) {
  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    arena = await startArena({ build: process.env.E2E_SKIP_BUILD !== "1", vars });
    browser = await launchBrowser();
  }, { timeout: 240_000 });
  after(async () => {
    await browser?.close();
    await arena?.stop();
  }, { timeout: 30_000 });
  return {
    get baseUrl() {
      return arena.baseUrl;
    },
    get context() {
      return browser.context;
    },
  };
}

/** A new tab; `problems` collects uncaught script errors and any dialog (alert, confirm…). */
export async function newPage() {
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

/** Saves a screenshot as test-results/e2e/NAME.png. */
export const shot = (page, name, options = {}) => page.screenshot({ path: join(SHOTS, `${name}.png`), ...options });

/** Sends a prompt and waits until every pane shows a finished answer for that turn. */
export async function ask(page, prompt, turn = 1) {
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByLabel("Prompt").press("Enter");
  const panes = page.locator(".pane");
  const count = await panes.count();
  try {
    for (let i = 0; i < count; i++) {
      await panes.nth(i).locator(".turn").nth(turn - 1).locator(".markdown").filter({ hasText: /\S/ }).waitFor();
      await panes.nth(i).locator('.status[data-status="done"]').waitFor();
    }
  } catch (error) {
    // Keep what the page showed, and any message it gave, for the failure report.
    await shot(page, `failed-turn-${turn}`);
    const shown = await page.locator(".request-error").allInnerTexts();
    throw new Error(`turn ${turn} did not complete${shown.length ? `; the page said: ${shown.join(" ")}` : ""}`, { cause: error });
  }
}
