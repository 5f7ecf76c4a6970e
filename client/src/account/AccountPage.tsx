/**
 * The account page: create an account or sign in with a passkey (or GitHub
 * or Google where the arena offers them); signed in, the passkeys, the
 * sessions, the publishing setting, the data download and account deletion.
 * Its own chunk, with @simplewebauthn/browser: the arena never loads it.
 */
import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useEffect, useState } from "preact/hooks";
import type { AuthenticationOptionsResponse, MeResponse, RegistrationOptionsResponse } from "../../../src/accounts/wire";
import { describeError, getJson, sendJson } from "../api/http";
import { useTitle } from "../app/use-title";
import { formatWhen, passkeyErrorText } from "./account-view";
import "./account.css";

type Status = { kind: "idle" } | { kind: "busy"; what: string } | { kind: "error"; message: string } | { kind: "done"; message: string };

function useMe(): [MeResponse | null, string | null, () => void] {
  const [me, setMe] = useState<MeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    getJson<MeResponse>("/api/v1/me")
      .then((value) => {
        setMe(value);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [version]);
  return [me, error, () => setVersion((v) => v + 1)];
}

export function AccountPage() {
  useTitle("Your account");
  const [me, loadError, reload] = useMe();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const params = new URLSearchParams(location.search);
  const oauthError = params.get("oauthError");

  const run = async (what: string, action: () => Promise<string | void>) => {
    setStatus({ kind: "busy", what });
    try {
      const message = await action();
      setStatus(message ? { kind: "done", message } : { kind: "idle" });
      reload();
    } catch (error) {
      setStatus({ kind: "error", message: passkeyErrorText(error) ?? describeError(error) });
    }
  };

  const createPasskey = (label: string) =>
    run(label, async () => {
      const { options } = await sendJson<RegistrationOptionsResponse>("POST", "/api/v1/auth/passkeys/options", {});
      const response = await startRegistration({ optionsJSON: options });
      const name = navigator.platform ? `Passkey on ${navigator.platform}` : undefined;
      const result = await sendJson<{ merged: { battles: number } }>("POST", "/api/v1/auth/passkeys", { response, ...(name ? { name } : {}) });
      return result.merged.battles > 0 ? `Signed in. ${result.merged.battles} battle(s) from this browser moved into your account.` : "Passkey saved.";
    });

  const signIn = () =>
    run("Signing in", async () => {
      const { options } = await sendJson<AuthenticationOptionsResponse>("POST", "/api/v1/auth/signin/options", {});
      const response = await startAuthentication({ optionsJSON: options });
      const result = await sendJson<{ merged: { battles: number } }>("POST", "/api/v1/auth/signin", { response });
      return result.merged.battles > 0 ? `Signed in. ${result.merged.battles} battle(s) from this browser moved into your account.` : "Signed in.";
    });

  const busy = status.kind === "busy";
  if (loadError) return <p class="request-error" role="alert">{loadError}</p>;
  if (!me) return <p aria-busy="true">Loading your account…</p>;

  return (
    <section class="account-page" aria-labelledby="account-title">
      <h1 id="account-title">{me.signedIn ? "Your account" : "Sign in"}</h1>
      {oauthError && <p class="request-error" role="alert">{oauthError}</p>}
      {status.kind === "error" && <p class="request-error" role="alert">{status.message}</p>}
      {status.kind === "done" && <p class="banner" role="status">{status.message}</p>}
      {status.kind === "busy" && <p role="status">{status.what}…</p>}
      {me.signedIn && me.account ? (
        <SignedIn me={me} busy={busy} run={run} addPasskey={() => createPasskey("Adding a passkey")} />
      ) : (
        <div class="account-card">
          <p>
            Playing needs no account. An account keeps your history across browsers and gives you a personal leaderboard; the {me.battles} battle(s)
            of this browser move into it when you first sign in.
          </p>
          <div class="account-actions">
            <button type="button" class="primary-button" disabled={busy} onClick={() => createPasskey("Creating your account")}>
              Create an account with a passkey
            </button>
            <button type="button" class="ghost-button" disabled={busy} onClick={signIn}>
              Sign in with a passkey
            </button>
            {me.oauth.github && (
              <a class="ghost-button" href="/api/v1/auth/oauth/github/start">
                Sign in with GitHub
              </a>
            )}
            {me.oauth.google && (
              <a class="ghost-button" href="/api/v1/auth/oauth/google/start">
                Sign in with Google
              </a>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function SignedIn({ me, busy, run, addPasskey }: { me: MeResponse; busy: boolean; run: (what: string, action: () => Promise<string | void>) => Promise<void>; addPasskey: () => void }) {
  const account = me.account!;
  const [confirmText, setConfirmText] = useState("");
  const onlyWay = account.passkeys.length === 1 && account.linked.length === 0;
  return (
    <>
      <p>
        {me.battles} battle(s), {me.votes} vote(s). <a href="/history">Your history and personal leaderboard</a>
      </p>

      <section class="account-card" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title">Passkeys</h2>
        <ul class="passkey-list">
          {account.passkeys.map((p) => (
            <li key={p.id} data-testid="passkey">
              <span class="passkey-name">{p.name}</span>
              <span class="small">
                added {formatWhen(p.createdAt)} · {p.lastUsedAt ? `last used ${formatWhen(p.lastUsedAt)}` : "not used to sign in yet"} ·{" "}
                {p.backedUp ? "synced" : "this device only"}
              </span>
              <button
                type="button"
                class="ghost-button"
                disabled={busy || onlyWay}
                title={onlyWay ? "Your only way to sign in: add another passkey first" : undefined}
                onClick={() => run("Removing the passkey", async () => void (await sendJson("DELETE", `/api/v1/me/passkeys/${encodeURIComponent(p.id)}`)))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        {account.linked.length > 0 && <p class="small">Also signs in with: {account.linked.join(", ")}</p>}
        <button type="button" class="ghost-button" disabled={busy} onClick={addPasskey}>
          Add a passkey
        </button>
      </section>

      <section class="account-card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p>
          Signed in on {account.sessions} browser(s){me.sessionExpiresAt ? `; this sign-in lasts until ${formatWhen(me.sessionExpiresAt)}` : ""}.
        </p>
        <div class="account-actions">
          <button type="button" class="ghost-button" disabled={busy} onClick={() => run("Signing out", async () => void (await sendJson("POST", "/api/v1/auth/signout", {})))}>
            Sign out
          </button>
          <button
            type="button"
            class="ghost-button"
            disabled={busy}
            onClick={() => run("Signing out everywhere", async () => void (await sendJson("POST", "/api/v1/auth/signout-everywhere", {})))}
          >
            Sign out everywhere
          </button>
        </div>
      </section>

      <section class="account-card" aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <label class="toggle">
          <input
            type="checkbox"
            checked={account.publishConversations}
            disabled={busy}
            onChange={(e) =>
              run("Saving", async () => void (await sendJson("PATCH", "/api/v1/me/settings", { publishConversations: (e.target as HTMLInputElement).checked })))
            }
          />
          Allow my conversations to be published in the open dataset
        </label>
        <p class="small">
          Off by default. When on, battles you start from now on are published once voted, with e-mail addresses, phone numbers, API keys and tokens,
          and IP addresses removed. Turning it off keeps them out of every later dataset.
        </p>
        <a class="ghost-button" href="/api/v1/me/export" download>
          Download my data
        </a>
        <h3>Delete my account</h3>
        <p class="small">
          Deletes the account, its passkeys and sign-ins, and the prompts and answers of your battles. Your votes stay counted on the leaderboards,
          no longer linked to you.
        </p>
        <label>
          Type <code>delete my account</code> to confirm{" "}
          <input type="text" value={confirmText} onInput={(e) => setConfirmText((e.target as HTMLInputElement).value)} />
        </label>
        <button
          type="button"
          class="stop-button"
          disabled={busy || confirmText !== "delete my account"}
          onClick={() =>
            run("Deleting your account", async () => {
              await sendJson("DELETE", "/api/v1/me", { confirm: "delete my account" });
              return "Your account is deleted.";
            })
          }
        >
          Delete my account
        </button>
      </section>
    </>
  );
}
