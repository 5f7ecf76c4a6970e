/**
 * Accounts in Chromium with a virtual WebAuthn authenticator (DevTools
 * Protocol `WebAuthn.addVirtualAuthenticator`): a person plays, creates an
 * account with a passkey, votes, signs out, signs in with the passkey and
 * finds the earlier battle in their history. The page is opened on
 * `localhost` (a WebAuthn relying party must be a host name, not an IP).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ask, newPage, shot, useArena } from "./harness.mjs";

const arena = useArena();
const base = () => arena.baseUrl.replace("127.0.0.1", "localhost");

async function withAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

describe("accounts with passkeys", () => {
  test("play, create an account with a passkey, vote, sign out, sign in again and find the battle in history", async () => {
    const { page, problems } = await newPage();
    const { cdp, authenticatorId } = await withAuthenticator(page);

    // An anonymous battle first: it moves into the account at sign-up.
    await page.goto(base());
    await ask(page, "Which is heavier, a kilo of feathers or a kilo of steel?");
    await page.getByRole("button", { name: "A is better" }).click();
    await page.getByRole("button", { name: "New battle" }).waitFor();

    await page.goto(`${base()}/account`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("button", { name: "Create an account with a passkey" }).click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    await page.getByText(/1 battle\(s\) from this browser moved into your account/).waitFor();
    assert.equal(await page.getByTestId("passkey").count(), 1);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1, "the authenticator holds the new passkey");
    assert.equal(credentials[0].isResidentCredential, true, "a discoverable credential: sign-in needs no user name");

    // A battle played signed in.
    await page.goto(base());
    await ask(page, "Name three rivers in Peru");
    await page.getByRole("button", { name: "Tie" }).click();
    await page.getByRole("button", { name: "New battle" }).waitFor();

    await page.goto(`${base()}/account`);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.goto(`${base()}/history`);
    await page.getByText("No battles here yet").waitFor();

    await page.goto(`${base()}/account`);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();

    await page.goto(`${base()}/history`);
    const items = page.getByTestId("history-item");
    await items.first().waitFor();
    assert.equal(await items.count(), 2);
    await page.getByText(/more time\(s\) in anonymous battles to see your personal leaderboard/).waitFor();
    await page.getByLabel("Search prompts and answers").fill("rivers in Peru");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-item"]').length === 1);
    assert.match(await page.getByTestId("history-item").innerText(), /Name three rivers in Peru/);
    await shot(page, "history");
    await page.getByRole("link", { name: "Name three rivers in Peru" }).click();
    await page.getByRole("heading", { name: "Name three rivers in Peru" }).waitFor();
    await page.getByText("Tie").first().waitFor();
    assert.equal(await page.locator(".history-answer").count(), 2, "both answers are shown");
    assert.deepEqual(problems, []);
  });
});
