/**
 * JSON bodies only: the battle routes take `application/json` and nothing
 * else. Anything else (text/plain, a form, multipart, no Content-Type at all)
 * is answered 415 with the error shape before any body is read, so a form
 * post from another page or a script's typo gets a clear answer instead of a
 * validation error about fields it never sent.
 *
 * A `charset` parameter is allowed only as UTF-8: JSON exchanged between
 * systems must be UTF-8 (RFC 8259 §8.1), and a body declared as another
 * charset would be read as something its sender did not mean.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { errorResponse } from "./errors";

/**
 * Whether `contentType` declares a JSON body we read as sent:
 * `application/json`, with at most a UTF-8 charset among its parameters.
 *
 * @example isJsonContentType("application/json; charset=UTF-8") // true
 * @example isJsonContentType("text/plain") // false
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [essence, ...parameters] = contentType.split(";");
  if (essence!.trim().toLowerCase() !== "application/json") return false;
  return parameters.every((parameter) => {
    const [name, value = ""] = parameter.split("=");
    if (name!.trim().toLowerCase() !== "charset") return true;
    return value.trim().replace(/^"(.*)"$/, "$1").toLowerCase() === "utf-8";
  });
}

/** Answers 415 `unsupported_media_type` unless a request of one of `methods` declares a JSON body. */
export function jsonBodyOn(methods: readonly string[]): MiddlewareHandler<AppEnv> {
  return (c, next) => (methods.includes(c.req.method) ? checkJson(c, next) : next());
}

/** {@link jsonBodyOn} POST: the battle routes. */
export const requireJsonBody: MiddlewareHandler<AppEnv> = jsonBodyOn(["POST"]);

const checkJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = c.req.header("content-type");
  if (!isJsonContentType(contentType)) {
    const sent = contentType ? `Content-Type ${contentType.slice(0, 100)}` : "no Content-Type";
    return errorResponse(c, "unsupported_media_type", `this endpoint takes a JSON body (Content-Type: application/json); the request sent ${sent}`);
  }
  return next();
};
