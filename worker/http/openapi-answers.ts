/**
 * Shared pieces of route definitions: OpenAPI answer objects, and mapping a
 * service Result to a response (the value to `ok`, a domain error to the
 * error shape).
 */
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Result } from "../../src/errors";
import { errorBodySchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { errorResponse } from "./errors";

/** A JSON answer of `schema` in a route's `responses`. */
export const jsonAnswer = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });

/** An error answer (the shared error shape) in a route's `responses`. */
export const failure = (description: string) => jsonAnswer(description, errorBodySchema);

/** Answers a service result: the value through `ok`, an error with its status. */
export function respond<T>(c: Context<AppEnv>, result: Result<T>, ok: (value: T) => Response): Response {
  return result.ok ? ok(result.value) : errorResponse(c, result.error.code, result.error.message);
}
