/**
 * Optional Cloudflare Turnstile on battle start. Off unless the
 * `TURNSTILE_SECRET_KEY` secret is set; then `POST /api/v1/battles` needs a
 * token from the widget, in the `cf-turnstile-response` header or as
 * `turnstileToken` in the JSON body, and the token is checked server-side
 * with Siteverify before any model is called. A token proves a browser
 * passed the challenge; it costs a script far more than a fresh cookie.
 *
 * - No token, or one Siteverify rejects: 403 `turnstile_failed`.
 * - Siteverify unreachable, slow or answering nonsense: 503
 *   `turnstile_unavailable`. Failing closed keeps a Siteverify outage from
 *   switching the check off; the message says to retry.
 *
 * Protocol: https://developers.cloudflare.com/turnstile/get-started/server-side-validation/
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { configOf } from "../config";
import { errorResponse } from "./errors";

/** Header the Turnstile widget's token may travel in, as Cloudflare's examples name it. */
export const TURNSTILE_HEADER = "cf-turnstile-response";

/** Longest token Siteverify accepts (Cloudflare's server-side validation docs). */
const MAX_TOKEN_CHARS = 2048;

/** Siteverify normally answers in well under a second; a stuck call must not hold a battle start. */
const VERIFY_TIMEOUT_MS = 5_000;

/** What Siteverify says about a token. */
export type TurnstileVerdict = { ok: true } | { ok: false; errorCodes: string[] };

/**
 * Asks Siteverify about `token`. Throws when Siteverify cannot be asked or
 * gives no verdict (network error, timeout, non-2xx, a body without
 * `success`), which the caller answers 503.
 */
export async function verifyTurnstileToken(
  settings: { secretKey: string; verifyUrl: string },
  token: string,
  remoteIp: string | undefined,
): Promise<TurnstileVerdict> {
  const form = new URLSearchParams({ secret: settings.secretKey, response: token });
  if (remoteIp) form.set("remoteip", remoteIp);
  const response = await fetch(settings.verifyUrl, { method: "POST", body: form, signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`siteverify answered ${response.status}`);
  }
  const verdict = (await response.json()) as { success?: unknown; "error-codes"?: unknown };
  if (typeof verdict.success !== "boolean") throw new Error("siteverify answered without a verdict");
  if (verdict.success) return { ok: true };
  const errorCodes = Array.isArray(verdict["error-codes"]) ? verdict["error-codes"].map(String) : [];
  return { ok: false, errorCodes };
}

/**
 * The token of this request: the header first (no body read), else the
 * body's `turnstileToken`. The body is read through Hono's body cache, so
 * the route's own validator reads the same JSON again; a body that does not
 * parse yields no token here and is answered 400 by that validator.
 */
async function tokenOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<string | null | "unreadable"> {
  const header = c.req.header(TURNSTILE_HEADER);
  if (header) return header;
  try {
    const body: unknown = await c.req.json();
    const token = typeof body === "object" && body !== null ? (body as { turnstileToken?: unknown }).turnstileToken : undefined;
    return typeof token === "string" && token !== "" ? token : null;
  } catch {
    return "unreadable";
  }
}

/** Checks the Turnstile token of a battle start when Turnstile is on; does nothing when it is off. */
export const requireTurnstile: MiddlewareHandler<AppEnv> = async (c, next) => {
  const settings = configOf(c.env).turnstile;
  if (!settings || c.req.method !== "POST") return next();
  const token = await tokenOf(c);
  if (token === "unreadable") return next();
  if (token === null || token.length > MAX_TOKEN_CHARS) {
    return errorResponse(c, "turnstile_failed", "this arena asks for a Turnstile check before a battle starts; complete it and try again");
  }
  let verdict: TurnstileVerdict;
  try {
    verdict = await verifyTurnstileToken(settings, token, c.req.header("cf-connecting-ip"));
  } catch (error) {
    console.error(JSON.stringify({ requestId: c.get("requestId"), turnstile: "siteverify unavailable", error: String(error) }));
    return errorResponse(c, "turnstile_unavailable", "the Turnstile check could not be completed right now; please try again in a moment");
  }
  if (!verdict.ok) {
    return errorResponse(c, "turnstile_failed", `the Turnstile check did not pass (${verdict.errorCodes.join(", ") || "rejected"}); please complete it again`);
  }
  return next();
};
