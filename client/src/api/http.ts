/**
 * JSON calls to the arena API. Every failure becomes an {@link ApiError}
 * carrying the server's error code and request id, so the UI can show a
 * message a user can report.
 */
import type { ErrorBody } from "../../../src/wire";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Builds an {@link ApiError} from a failed response, tolerating non-JSON bodies. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (body.error) return new ApiError(response.status, body.error.code, body.error.message, body.error.requestId);
  } catch {
    // Not our JSON error shape (a proxy page, an empty body): fall through.
  }
  return new ApiError(response.status, "http_error", `The server answered ${response.status} ${response.statusText}`.trim());
}

/** Fetches JSON; throws {@link ApiError} on any non-2xx answer. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { accept: "application/json" }, signal });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** POSTs a JSON body and reads a JSON answer; throws {@link ApiError} on failure. */
export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** Sends `method` with an optional JSON body; resolves to the JSON answer, or undefined for 204. */
export async function sendJson<T = undefined>(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await errorFromResponse(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A message fit for the UI, from anything a call may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  if (error instanceof TypeError) return "The arena could not be reached. Check your connection and try again.";
  return "Something went wrong. Please try again.";
}
