/**
 * Limits how fast one client can start turns (each costs two model calls),
 * with the Workers Rate Limiting binding. The key is the session cookie the
 * client sent back; a client without one (a script that drops cookies) is
 * keyed by its IP address instead, so dropping the cookie does not lift the
 * limit.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { errorResponse } from "./errors";
import { SESSION_COOKIE } from "./session";

/** The limiter's period, sent as Retry-After. */
const PERIOD_S = 60;

export const limitTurns: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const session = getCookie(c, SESSION_COOKIE);
  const key = session ? `session:${session}` : `ip:${c.req.header("cf-connecting-ip") ?? "unknown"}`;
  const { success } = await c.env.TURN_RATE_LIMITER.limit({ key });
  if (!success) {
    c.header("retry-after", String(PERIOD_S));
    return errorResponse(c, "rate_limited", "too many prompts in a short time; please wait a minute");
  }
  return next();
};
