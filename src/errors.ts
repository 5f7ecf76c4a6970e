/**
 * Domain errors. Domain code throws these; exactly one adapter in the worker
 * maps a code to an HTTP status and the `{"error":{code,message,requestId}}`
 * body. Messages are shown to users, so they must never contain a model's
 * identity while a battle is anonymous.
 */
export const ERROR_CODES = [
  "invalid_request",
  "not_found",
  "conflict",
  "vote_not_allowed",
  "already_voted",
  "turn_in_progress",
  "turn_limit_reached",
  "prompt_too_long",
  "payload_too_large",
  "rate_limited",
  "no_models_available",
  "unavailable",
  "internal",
  "unsupported_media_type",
  "forbidden_origin",
  "turnstile_failed",
  "turnstile_unavailable",
  "outbound_url_refused",
  "outbound_redirect",
  "outbound_timeout",
  "outbound_unreachable",
  "unauthorized",
  "range_not_satisfiable",
  "invalid_image",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ArenaError extends Error {
  override readonly name = "ArenaError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Result of a domain operation that is expected to fail in ordinary use. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** Converts a thrown ArenaError into a Result; rethrows anything else. */
export function toResult<T>(run: () => T): Result<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof ArenaError) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}
