/**
 * Bearer authentication of the admin and lab routes. Both answer 401 with
 * `WWW-Authenticate: Bearer` and the error shape when the token is missing,
 * malformed, unknown or revoked — one answer for every failure, so a caller
 * learns nothing about which keys exist.
 *
 * - Admin: the `ADMIN_TOKEN` secret, compared through SHA-256 digests so the
 *   comparison takes the same time whatever the input (and never leaks the
 *   token's length). Unset, nobody is admin.
 * - Lab: an `ealab_…` key (src/labs/credentials.ts); junk is refused by its
 *   shape before any lookup; a match is by the key's SHA-256.
 */
import type { MiddlewareHandler } from "hono";
import { hashLabApiKey, isWellFormedLabApiKey } from "../../src/labs/credentials";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../http/errors";

function bearer(header: string | undefined): string | null {
  const match = /^Bearer ([^\s]+)$/.exec(header ?? "");
  return match ? match[1]! : null;
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function unauthorized(c: Parameters<MiddlewareHandler<AppEnv>>[0], what: string): Response {
  const response = errorResponse(c, "unauthorized", `a valid ${what} is required: Authorization: Bearer <token>`);
  response.headers.set("WWW-Authenticate", 'Bearer realm="edge-arena"');
  return response;
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  const expected = c.env.ADMIN_TOKEN;
  if (!token || !expected || !(await sameSecret(token, expected))) return unauthorized(c, "admin token");
  await next();
};

export const requireLab: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = bearer(c.req.header("authorization"));
  if (!key || !isWellFormedLabApiKey(key)) return unauthorized(c, "lab API key");
  const row = await c.env.DB.prepare("SELECT lab_id FROM lab_api_keys WHERE hash = ? AND revoked_at IS NULL")
    .bind(await hashLabApiKey(key))
    .first<{ lab_id: string }>();
  if (!row) return unauthorized(c, "lab API key");
  c.set("labId", row.lab_id);
  await next();
};
