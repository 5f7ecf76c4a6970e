/**
 * Layered rate limits with the Workers Rate Limiting binding: every turn
 * (each costs two model calls) and every vote is checked against a limit per
 * session AND a limit per client IP. The session is the verified one (see
 * session.ts), so rotating or forging cookies only yields fresh sessions, and
 * all of them share their IP's limit; the IP limit is set high enough (60 a
 * minute by default) that people behind one NAT can still play. Limits and
 * periods are configured on the bindings in wrangler.toml.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { errorResponse } from "./errors";

/** The limiters' period, sent as Retry-After. */
const PERIOD_S = 60;

interface Layer {
  session: (env: Env) => RateLimit;
  ip: (env: Env) => RateLimit;
  message: string;
}

function limitBoth(layer: Layer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    // Both are always consumed, so a client cannot probe one limit while the other blocks it.
    const [bySession, byIp] = await Promise.all([
      layer.session(c.env).limit({ key: `session:${c.get("sessionId")}` }),
      layer.ip(c.env).limit({ key: `ip:${c.get("clientIp")}` }),
    ]);
    if (!bySession.success || !byIp.success) {
      c.header("retry-after", String(PERIOD_S));
      return errorResponse(c, "rate_limited", layer.message);
    }
    return next();
  };
}

/** New battles and follow-up prompts. */
export const limitTurns = limitBoth({
  session: (env) => env.TURN_SESSION_LIMITER,
  ip: (env) => env.TURN_IP_LIMITER,
  message: "too many prompts in a short time; please wait a minute",
});

/** Votes. */
export const limitVotes = limitBoth({
  session: (env) => env.VOTE_SESSION_LIMITER,
  ip: (env) => env.VOTE_IP_LIMITER,
  message: "too many votes in a short time; please wait a minute",
});

/** Passkey registration and sign-in attempts (each one verifies a signature and writes D1). */
export const limitAuth = limitBoth({
  session: (env) => env.AUTH_SESSION_LIMITER,
  ip: (env) => env.AUTH_IP_LIMITER,
  message: "too many sign-in attempts in a short time; please wait a minute",
});
