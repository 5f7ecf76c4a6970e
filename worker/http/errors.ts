/**
 * The one place where errors become HTTP responses:
 * `{"error":{"code","message","requestId"}}` with the status for the code.
 * Unknown errors are logged with the request id and answered 500 without
 * internals.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ArenaError, type ErrorCode } from "../../src/errors";
import type { ErrorBody } from "../../src/wire";
import type { AppEnv } from "../app-env";

export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  not_found: 404,
  conflict: 409,
  vote_not_allowed: 409,
  already_voted: 409,
  turn_in_progress: 409,
  turn_limit_reached: 409,
  prompt_too_long: 413,
  payload_too_large: 413,
  rate_limited: 429,
  no_models_available: 503,
  unavailable: 503,
  internal: 500,
  unsupported_media_type: 415,
  forbidden_origin: 403,
  turnstile_failed: 403,
  turnstile_unavailable: 503,
  // A URL a lab gave: refused by the SSRF guard, or its server misbehaved.
  outbound_url_refused: 400,
  outbound_redirect: 502,
  outbound_timeout: 504,
  outbound_unreachable: 502,
  unauthorized: 401,
  range_not_satisfiable: 416,
  invalid_image: 422,
};

function requestIdOf(c: Context<AppEnv>): string {
  return c.get("requestId") ?? "unknown";
}

/** Answers a domain error code with its status. */
export function errorResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  issues?: { path: string; message: string }[],
): Response {
  const body: ErrorBody = { error: { code, message, requestId: requestIdOf(c), ...(issues ? { issues } : {}) } };
  return c.json(body, STATUS_OF[code]);
}

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: "invalid_request",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** Hono `onError` handler. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ArenaError) return errorResponse(c, error.code, error.message);
  if (error instanceof HTTPException && HTTP_CODES[error.status]) {
    return errorResponse(c, HTTP_CODES[error.status]!, error.message || "invalid request");
  }
  // The platform's own transient failures (a Durable Object reset or moved,
  // or overloaded; workerd marks them retryable, overloaded or
  // durableObjectReset): nothing the client sent was wrong, and trying again
  // is safe (a repeated vote gets the answer of the first).
  const platform = error as { retryable?: unknown; overloaded?: unknown; durableObjectReset?: unknown };
  if (platform.retryable === true || platform.overloaded === true || platform.durableObjectReset === true) {
    console.warn(JSON.stringify({ requestId: requestIdOf(c), event: "platform.transient", overloaded: platform.overloaded === true, error: String(error) }));
    c.header("retry-after", platform.overloaded === true ? "10" : "1");
    return errorResponse(c, "unavailable", "the service was briefly unavailable; please try again");
  }
  console.error(JSON.stringify({ requestId: requestIdOf(c), error: error.stack ?? String(error) }));
  return errorResponse(c, "internal", "something went wrong on our side; please try again");
}
